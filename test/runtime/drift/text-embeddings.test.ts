import { describe, expect, it } from "vitest";
import {
  type ColumnDriftOutcome,
  type ColumnDriftResult,
  detectEmbeddingDrift,
  detectTextContentDrift,
  detectTextDrift,
  nonLetterShare,
  oovShare,
  rocAuc,
  TEXT_DESCRIPTORS,
  textLength,
  textWords,
} from "../../../runtime/drift";
import { closeTo, pValueClose, reference } from "../stats/fixture";

function ok(o: ColumnDriftOutcome): ColumnDriftResult {
  if (o.status !== "ok") throw new Error(`expected a result, got error: ${o.error.message}`);
  return o;
}

describe("text drift through Evidently's descriptors", () => {
  it("each descriptor equals Python's (len, str.isalpha, the OOV word split) on every text", () => {
    for (const c of reference.text) {
      const vocabulary = new Set(c.reference.flatMap(textWords));
      for (const [side, texts] of [
        ["reference", c.reference],
        ["current", c.current],
      ] as const) {
        expect(texts.map(textLength)).toEqual(c.descriptors.length[side]);
        const nl = texts.map(nonLetterShare);
        const oov = texts.map((t) => oovShare(t, vocabulary));
        expect(nl.every((v, i) => closeTo(v, c.descriptors.nonLetterShare[side][i]!, 1e-13))).toBe(true);
        expect(oov.every((v, i) => closeTo(v, c.descriptors.oovShare[side][i]!, 1e-13))).toBe(true);
      }
    }
  });

  it("one numerical result per descriptor, with Evidently's default selection", () => {
    for (const c of reference.text) {
      const r = detectTextDrift("review", c.reference, c.current);
      expect(r.columns.map((o) => o.column)).toEqual(TEXT_DESCRIPTORS.map((d) => `review:${d}`));
      TEXT_DESCRIPTORS.forEach((d, i) => {
        const col = ok(r.columns[i]!);
        const distinct = new Set([...c.descriptors[d].reference, ...c.descriptors[d].current]).size;
        // Evidently's rule: > 5 distinct values ks, 3–5 chisquare, ≤ 2 z.
        expect(col).toMatchObject({
          kind: "numerical",
          method: distinct > 5 ? "ks" : distinct > 2 ? "chisquare" : "z",
        });
        if (col.method === "ks") expect(pValueClose(col.pValue!, c.descriptors[d].ksPvalue, 1e-9)).toBe(true);
      });
    }
    // New words in the current texts drift the OOV share; the fixture's second case adds them.
    const withNewWords = detectTextDrift("review", reference.text[1]!.reference, reference.text[1]!.current);
    expect(ok(withNewWords.columns[2]!).drifted).toBe(true);
  });
});

describe("embedding drift, Evidently's distance, ratio and MMD methods", () => {
  it("match scipy.spatial.distance, per-component normed Wasserstein and the unbiased MMD²", () => {
    for (const c of reference.embeddings) {
      for (const metric of ["euclidean", "cosine", "cityblock", "chebyshev"] as const) {
        const r = detectEmbeddingDrift("emb", c.reference, c.current, {
          method: "distance",
          distance: metric,
        });
        expect(closeTo(r.score, c.distances[metric], 1e-12)).toBe(true);
      }
      expect(detectEmbeddingDrift("emb", c.reference, c.current, { method: "ratio" }).score).toBe(c.ratio);
      const mmd = detectEmbeddingDrift("emb", c.reference, c.current, { method: "mmd" });
      expect(closeTo(mmd.details.sigma2 as number, c.sigma2, 1e-12)).toBe(true);
      expect(closeTo(mmd.score, c.mmd, 1e-10)).toBe(true);
    }
  });

  it("Evidently's default thresholds decide: 0.2 (distance, ratio), 0.015 (mmd)", () => {
    const shifted = reference.embeddings[2]!;
    for (const [method, threshold] of [
      ["distance", 0.2],
      ["ratio", 0.2],
      ["mmd", 0.015],
    ] as const) {
      const r = detectEmbeddingDrift("emb", shifted.reference, shifted.current, { method });
      expect([r.threshold, r.drifted]).toEqual([threshold, true]);
    }
    const same = reference.embeddings[0]!.reference;
    expect(detectEmbeddingDrift("emb", same, same, { method: "distance" })).toMatchObject({
      score: 0,
      drifted: false,
    });
  });

  it("ragged or non-finite vectors are refused, naming the row", () => {
    expect(() => detectEmbeddingDrift("emb", [[1, 2]], [[1, 2, 3]])).toThrow(
      /current\[0\].*length 3.*2 components/,
    );
    expect(() => detectEmbeddingDrift("emb", [[1, Number.NaN]], [[1, 2]])).toThrow(/reference\[0\]\[1\]/);
  });
});

describe("the domain classifier (text content drift and Evidently's default embedding method)", () => {
  it("its ROC AUC is scipy's Mann–Whitney U1 / (n1·n2), ties counted half", () => {
    for (const c of reference.mannWhitney.filter((m) => m.alternative === "less")) {
      const labels = Uint8Array.from([...c.sample1.map(() => 1), ...c.sample2.map(() => 0)]);
      const auc = rocAuc(labels, Float64Array.from([...c.sample1, ...c.sample2]));
      expect(closeTo(auc, c.statistic / (c.sample1.length * c.sample2.length), 1e-12)).toBe(true);
    }
  });

  it("embeddings: no drift between samples of one distribution, drift after a shift", () => {
    const same = reference.embeddings[0]!;
    const quiet = detectEmbeddingDrift("emb", same.reference, same.current);
    expect(quiet).toMatchObject({
      method: "model",
      drifted: false,
      details: { cutoff: "random-auc-95th-percentile" },
    });
    const shifted = reference.embeddings[2]!;
    const loud = detectEmbeddingDrift("emb", shifted.reference, shifted.current);
    expect(loud.score).toBeGreaterThan(0.75);
    expect(loud.drifted).toBe(true);
  });

  it("text: words the reference never used are drift; texts from the same vocabulary are not", () => {
    const [same, newWords] = reference.text;
    const quiet = detectTextContentDrift("review", same!.reference, same!.current);
    expect(quiet).toMatchObject({ method: "perc_text_content_drift", drifted: false });
    const loud = detectTextContentDrift("review", newWords!.reference, newWords!.current);
    expect(loud.drifted).toBe(true);
    expect(loud.score).toBeGreaterThan(loud.threshold);
  });
});
