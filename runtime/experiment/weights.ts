import { RuntimeInputError } from "../errors";

/**
 * Parses `--weights champion=90,challenger=10` into variant → weight. Weights are relative (90/10,
 * 0.9/0.1 and 9/1 mean the same split); each must be a positive number and each variant named once.
 */
export function parseWeights(text: string): Map<string, number> {
  const weights = new Map<string, number>();
  for (const part of text.split(",")) {
    const match = /^\s*([^=]+?)\s*=\s*([^=]+?)\s*$/.exec(part);
    const weight = match ? Number(match[2]) : Number.NaN;
    if (!match || !Number.isFinite(weight) || weight <= 0) {
      throw new RuntimeInputError({
        source: "--weights",
        problem: `"${part}" is not variant=weight with a positive weight`,
        fix: "Write --weights champion=90,challenger=10",
      });
    }
    const name = match[1] as string;
    if (weights.has(name)) {
      throw new RuntimeInputError({
        source: "--weights",
        problem: `the variant "${name}" is named twice`,
        fix: "Name each variant once",
      });
    }
    weights.set(name, weight);
  }
  return weights;
}
