/**
 * Seeded permutations for the permutation tests (`TVD`, `empirical_mmd`). Evidently draws them from numpy's
 * global generator (seeded with 0 for TVD, unseeded for MMD), which a TypeScript runtime cannot replay: the
 * p-values agree with Evidently's within the Monte-Carlo error of the permutation count, and a rerun here gives
 * the same p-value.
 */

/** mulberry32: a small, fast 32-bit generator; uniform in [0, 1). */
export function seededRandom(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Moves a uniformly random k-subset of `items` to its first k places (partial Fisher–Yates). */
export function shuffleFirst(items: Int32Array, k: number, random: () => number): void {
  for (let i = 0; i < k; i++) {
    const j = i + Math.floor(random() * (items.length - i));
    const t = items[i]!;
    items[i] = items[j]!;
    items[j] = t;
  }
}

/** ½·Σ |p_k − q_k| of two count vectors as shares. */
export function totalVariation(
  a: ArrayLike<number>,
  aTotal: number,
  b: ArrayLike<number>,
  bTotal: number,
): number {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += Math.abs(a[i]! / aTotal - b[i]! / bTotal);
  return 0.5 * s;
}

/**
 * Evidently's TVD test: the total variation distance between reference and current shares, and the share of
 * label permutations (reference size kept) whose distance is at least the observed one.
 */
export function tvdPermutationTest(
  reference: ArrayLike<number>,
  current: ArrayLike<number>,
  permutations: number,
  seed: number,
): { statistic: number; pValue: number } {
  const k = reference.length;
  let n = 0;
  let m = 0;
  for (let i = 0; i < k; i++) {
    n += reference[i]!;
    m += current[i]!;
  }
  const observed = totalVariation(reference, n, current, m);
  const pooled = new Int32Array(n + m);
  const totals = new Float64Array(k);
  let at = 0;
  for (let i = 0; i < k; i++) {
    totals[i] = reference[i]! + current[i]!;
    pooled.fill(i, at, at + totals[i]!);
    at += totals[i]!;
  }
  // Drawing the smaller side is enough: the other side is the rest of the pool.
  const drawn = Math.min(n, m);
  const random = seededRandom(seed);
  const picked = new Float64Array(k);
  const rest = new Float64Array(k);
  let atLeast = 0;
  for (let p = 0; p < permutations; p++) {
    shuffleFirst(pooled, drawn, random);
    picked.fill(0);
    for (let i = 0; i < drawn; i++) picked[pooled[i]!]! += 1;
    for (let i = 0; i < k; i++) rest[i] = totals[i]! - picked[i]!;
    const d = totalVariation(picked, drawn, rest, n + m - drawn);
    if (observed <= d) atLeast++;
  }
  return { statistic: observed, pValue: atLeast / permutations };
}
