/**
 * Ranks of two sorted samples within their pooled sample, ties given their average rank (`scipy.stats.rankdata`,
 * method "average"), in one merge walk. Also returns Σ (t³ − t) over the tie groups, which the Mann–Whitney
 * variance needs.
 */
export function pooledMidranks(
  a: Float64Array,
  b: Float64Array,
): { ranksA: Float64Array; ranksB: Float64Array; tieTerm: number; hasTies: boolean } {
  const ranksA = new Float64Array(a.length);
  const ranksB = new Float64Array(b.length);
  let i = 0;
  let j = 0;
  let seen = 0;
  let tieTerm = 0;
  while (i < a.length || j < b.length) {
    const v = Math.min(
      i < a.length ? a[i]! : Number.POSITIVE_INFINITY,
      j < b.length ? b[j]! : Number.POSITIVE_INFINITY,
    );
    let i2 = i;
    let j2 = j;
    while (i2 < a.length && a[i2] === v) i2++;
    while (j2 < b.length && b[j2] === v) j2++;
    const t = i2 - i + (j2 - j);
    // Ranks seen+1 … seen+t share their mean.
    const rank = seen + (t + 1) / 2;
    ranksA.fill(rank, i, i2);
    ranksB.fill(rank, j, j2);
    tieTerm += t * t * t - t;
    seen += t;
    i = i2;
    j = j2;
  }
  return { ranksA, ranksB, tieTerm, hasTies: tieTerm > 0 };
}
