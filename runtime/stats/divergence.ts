import { StatsInputError } from "./errors";

/**
 * Distances between two discrete distributions given as aligned share (or count) vectors: bin i of `p` and bin i
 * of `q` describe the same bin or category. Every function checks the vectors and names the bad argument.
 */

function checkPair(p: ArrayLike<number>, q: ArrayLike<number>): void {
  if (p.length !== q.length) {
    throw new StatsInputError(
      "length-mismatch",
      "q",
      `length ${q.length} vs p length ${p.length}`,
      "Bin reference and current over the same bins or categories.",
    );
  }
  if (p.length === 0) throw new StatsInputError("empty-sample", "p", undefined, "Pass at least one bin.");
  for (const [name, v] of [
    ["p", p],
    ["q", q],
  ] as const) {
    for (let i = 0; i < v.length; i++) {
      const x = v[i]!;
      if (!Number.isFinite(x)) {
        throw new StatsInputError(
          "non-finite-value",
          `${name}[${i}]`,
          String(x),
          "Shares must be finite numbers.",
        );
      }
      if (x < 0) {
        throw new StatsInputError("negative-count", `${name}[${i}]`, String(x), "Shares must be ≥ 0.");
      }
    }
  }
}

function sum(v: ArrayLike<number>): number {
  let s = 0;
  for (let i = 0; i < v.length; i++) s += v[i]!;
  return s;
}

function checkLogBase(base: number): void {
  if (!(base > 0) || base === 1 || !Number.isFinite(base)) {
    throw new StatsInputError(
      "invalid-option",
      "base",
      String(base),
      "Use a finite log base > 0 other than 1.",
    );
  }
}

/** scipy.special.rel_entr: x·ln(x/y), 0 when x = 0, +∞ when x > 0 and y = 0. */
function relEntr(x: number, y: number): number {
  if (x > 0 && y > 0) return x * Math.log(x / y);
  if (x === 0 && y >= 0) return 0;
  return Number.POSITIVE_INFINITY;
}

/** The totals of both sides, which normalise them; a side with no mass cannot be compared. */
function masses(p: ArrayLike<number>, q: ArrayLike<number>): [number, number] {
  const sp = sum(p);
  const sq = sum(q);
  if (sp === 0 || sq === 0) {
    throw new StatsInputError(
      "empty-sample",
      sp === 0 ? "p" : "q",
      "all zeros",
      "Each side needs some mass.",
    );
  }
  return [sp, sq];
}

/**
 * Jensen–Shannon distance, as `scipy.spatial.distance.jensenshannon(p, q, base)`: both vectors are normalised
 * to sum 1, M = (p + q)/2, JS = √(½·KL(p‖M) + ½·KL(q‖M)), logarithms in `base`. Finite even when a bin is empty
 * on one side (M is never 0 where p or q is not). Range [0, √ln 2] for base e, [0, 1] for base 2.
 * @param base logarithm base. @default Math.E
 */
export function jensenShannonDistance(
  p: ArrayLike<number>,
  q: ArrayLike<number>,
  base: number = Math.E,
): number {
  checkPair(p, q);
  checkLogBase(base);
  const [sp, sq] = masses(p, q);
  let left = 0;
  let right = 0;
  for (let i = 0; i < p.length; i++) {
    const pi = p[i]! / sp;
    const qi = q[i]! / sq;
    // x·ln(x/m) with m = (p+q)/2 written as x·ln(2x/(p+q)): the same value bit for bit (scaling
    // by 2 is exact), but a subnormal share whose half underflows to 0 no longer makes m = 0 and
    // the distance infinite.
    const twice = pi + qi;
    left += relEntr(2 * pi, twice) / 2;
    right += relEntr(2 * qi, twice) / 2;
  }
  let js = left + right;
  if (base !== Math.E) js /= Math.log(base);
  return Math.sqrt(Math.max(js, 0) / 2);
}

/**
 * Kullback–Leibler divergence KL(p‖q) = Σ p_i ln(p_i/q_i), as `scipy.stats.entropy(p, q, base)`: both vectors are
 * normalised to sum 1 first. Infinite when q has an empty bin where p does not — apply
 * {@link fillZeroSharesEvidently} first, as Evidently's `kl_div` does.
 * @param base logarithm base. @default Math.E
 */
export function klDivergence(p: ArrayLike<number>, q: ArrayLike<number>, base: number = Math.E): number {
  checkPair(p, q);
  checkLogBase(base);
  const [sp, sq] = masses(p, q);
  let s = 0;
  for (let i = 0; i < p.length; i++) s += relEntr(p[i]! / sp, q[i]! / sq);
  return base === Math.E ? s : s / Math.log(base);
}

/**
 * Population stability index as Evidently computes it: Σ (r_i − c_i)·ln(r_i/c_i) on the shares *as given*
 * (no renormalisation). Apply {@link fillZeroSharesEvidently} to each side first, as Evidently's `psi` does;
 * an empty bin left in either side makes the index infinite.
 */
export function populationStabilityIndex(reference: ArrayLike<number>, current: ArrayLike<number>): number {
  checkPair(reference, current);
  let s = 0;
  for (let i = 0; i < reference.length; i++) {
    const r = reference[i]!;
    const c = current[i]!;
    if (r === c) continue;
    s += (r - c) * Math.log(r / c);
  }
  return s;
}

/**
 * Hellinger distance between two share vectors, as Evidently computes it: H = √(1 − clip(Σ √(p_i·q_i), 0, 1))
 * (Bhattacharyya coefficient clipped against rounding). Shares are used as given (they should each sum to 1).
 * Range [0, 1].
 */
export function hellingerDistance(p: ArrayLike<number>, q: ArrayLike<number>): number {
  checkPair(p, q);
  let bc = 0;
  for (let i = 0; i < p.length; i++) bc += Math.sqrt(p[i]! * q[i]!);
  bc = Math.min(Math.max(bc, 0), 1);
  return Math.sqrt(1 - bc);
}

/**
 * L∞ distance max_i |p_i − q_i| between two share vectors: SageMaker/Deequ and Vertex AI's categorical drift
 * distance (on CDF vectors it is Deequ's numerical `linf_simple`).
 */
export function lInfinityDistance(p: ArrayLike<number>, q: ArrayLike<number>): number {
  checkPair(p, q);
  let m = 0;
  for (let i = 0; i < p.length; i++) {
    const d = Math.abs(p[i]! - q[i]!);
    if (d > m) m = d;
  }
  return m;
}
