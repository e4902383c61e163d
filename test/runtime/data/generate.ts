/**
 * Regenerates the small committed data files the runtime tests read (`npx tsx test/runtime/data/generate.ts`).
 * Seeded, so the files only change when this script does.
 */
import { writeFileSync } from "node:fs";
import { join } from "node:path";

function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function normal(random: () => number): number {
  return Math.sqrt(-2 * Math.log(1 - random())) * Math.cos(2 * Math.PI * random());
}

const PLANS = ["basic", "pro", "team", "enterprise"];

function rows(
  seed: number,
  count: number,
  shift: { age: number; income: number; planWeights: number[] },
): string[][] {
  const random = mulberry32(seed);
  const out: string[][] = [];
  for (let i = 0; i < count; i++) {
    const age = Math.round(40 + shift.age + 12 * normal(random));
    const income = (50_000 + shift.income + 15_000 * normal(random)).toFixed(2);
    let u = random();
    let plan = PLANS[PLANS.length - 1] as string;
    for (let p = 0; p < PLANS.length; p++) {
      u -= shift.planWeights[p] as number;
      if (u < 0) {
        plan = PLANS[p] as string;
        break;
      }
    }
    const score = (1 / (1 + Math.exp(-(age - 40) / 10))).toFixed(4);
    out.push([String(age), income, plan, score]);
  }
  return out;
}

function csv(header: string[], body: string[][]): string {
  return `${[header, ...body].map((r) => r.join(",")).join("\n")}\n`;
}

const header = ["age", "income", "plan", "score"];
const same = { age: 0, income: 0, planWeights: [0.4, 0.3, 0.2, 0.1] };
const drifted = { age: 15, income: 20_000, planWeights: [0.1, 0.2, 0.3, 0.4] };
const dir = __dirname;
const reference = rows(1, 2000, same);
const current = rows(2, 1500, same);
const drift = rows(3, 1500, drifted);
writeFileSync(join(dir, "reference.csv"), csv(header, reference));
writeFileSync(join(dir, "current-same.csv"), csv(header, current));
writeFileSync(join(dir, "current-drift.csv"), csv(header, drift));
writeFileSync(
  join(dir, "current-drift.jsonl"),
  `${drift.map((r) => JSON.stringify({ age: Number(r[0]), income: Number(r[1]), plan: r[2], score: Number(r[3]) })).join("\n")}\n`,
);
