import gammaln from "@stdlib/math-base-special-gammaln";

/**
 * The distribution of the two-sided one-sample Kolmogorov–Smirnov statistic D_n for finite n — what
 * `scipy.stats.kstwo` computes, and what `scipy.stats.ks_2samp(method="asymp")` evaluates at n = round(n1·n2/(n1+n2)).
 *
 * This is a port of scipy's `scipy/stats/_ksstats.py::_kolmogn` (scipy 1.10), which follows
 * R. Simard and P. L'Ecuyer, "Computing the Two-Sided Kolmogorov-Smirnov Distribution", Journal of Statistical
 * Software 39(11), 2011: it picks, by n and n·x², between the Ruben–Gambino closed forms, the Durbin matrix
 * (Marsaglia–Tsang–Wang 2003), the Pomeranz recursion (1974), the Pelz–Good asymptotic series (1976) and the exact
 * one-sided Smirnov (Birnbaum–Tingey 1951) tail. No npm package offers the finite-n distribution (`@stdlib/stats-kstest`
 * only has the asymptotic Kolmogorov limit), so it is implemented here and checked digit-by-digit against scipy in
 * `test/runtime/stats`.
 */

const E128 = 128;
const EP128 = 2 ** E128;
const EM128 = 2 ** -E128;
const SQRT2PI = Math.sqrt(2 * Math.PI);
const LOG_2PI = Math.log(2 * Math.PI);
const MIN_LOG = -708;
const SQRT3 = Math.sqrt(3);
const PI_SQUARED = Math.PI ** 2;
const PI_FOUR = Math.PI ** 4;
const PI_SIX = Math.PI ** 6;

/** Terms of the Smirnov sum this far (in log) below the largest, once falling, end the sum. */
const TAIL_LOG_CUTOFF = 40;

/** Stirling-series coefficients B_2k/(2k(2k−1)), highest order first, as scipy's `_STIRLING_COEFFS`. */
const STIRLING_COEFFS = [
  -3617 / 122400,
  1 / 156,
  -691 / 360360,
  1 / 1188,
  -1 / 1680,
  1 / 1260,
  -1 / 360,
  1 / 12,
];

function polyval(coeffs: readonly number[], x: number): number {
  let acc = 0;
  for (const c of coeffs) acc = acc * x + c;
  return acc;
}

function clip01(p: number): number {
  return p < 0 ? 0 : Math.min(p, 1);
}

function select(cdfProb: number, sfProb: number, cdf: boolean): number {
  return clip01(cdf ? cdfProb : sfProb);
}

/** log(n!/n^n), by Stirling's series. */
function logNFactorialDivNPowN(n: number): number {
  const rn = 1 / n;
  return Math.log(n) / 2 - n + LOG_2PI / 2 + rn * polyval(STIRLING_COEFFS, rn / n);
}

/** Multiply two m×m row-major matrices. */
function matmul(a: Float64Array, b: Float64Array, m: number): Float64Array<ArrayBuffer> {
  const out = new Float64Array(m * m);
  for (let i = 0; i < m; i++) {
    for (let k = 0; k < m; k++) {
      const aik = a[i * m + k]!;
      if (aik === 0) continue;
      const rowB = k * m;
      const rowO = i * m;
      for (let j = 0; j < m; j++) out[rowO + j]! += aik * b[rowB + j]!;
    }
  }
  return out;
}

/** Pr(D_n ≤ d) by the Durbin matrix, Marsaglia–Tsang–Wang formulation. */
function kolmognDMTW(n: number, d: number, cdf: boolean): number {
  if (d >= 1) return select(1, 0, cdf);
  const nd = n * d;
  if (nd <= 0.5) return select(0, 1, cdf);
  const k = Math.ceil(nd);
  const h = k - nd;
  const m = 2 * k - 1;
  let H = new Float64Array(m * m);
  const v = new Float64Array(m);
  const w = new Float64Array(m);
  let fac = 1;
  for (let j = 1; j <= m; j++) {
    w[j - 1] = fac;
    fac /= j;
    v[j - 1] = (1 - h ** j) * fac;
  }
  const tt = Math.max(2 * h - 1, 0) ** m - 2 * h ** m;
  v[m - 1] = (1 + tt) * fac;
  for (let i = 1; i < m; i++) {
    for (let r = i - 1; r < m; r++) H[r * m + i] = w[r - (i - 1)]!;
  }
  for (let r = 0; r < m; r++) H[r * m] = v[r]!;
  for (let c = 0; c < m; c++) H[(m - 1) * m + c] = v[m - 1 - c]!;

  let Hpwr = new Float64Array(m * m);
  for (let i = 0; i < m; i++) Hpwr[i * m + i] = 1;
  let nn = n;
  let expnt = 0;
  let Hexpnt = 0;
  while (nn > 0) {
    if (nn % 2) {
      Hpwr = matmul(Hpwr, H, m);
      expnt += Hexpnt;
    }
    H = matmul(H, H, m);
    Hexpnt *= 2;
    if (Math.abs(H[(k - 1) * m + (k - 1)]!) > EP128) {
      for (let i = 0; i < H.length; i++) H[i]! /= EP128;
      Hexpnt += E128;
    }
    nn = Math.floor(nn / 2);
  }
  let p = Hpwr[(k - 1) * m + (k - 1)]!;
  for (let i = 1; i <= n; i++) {
    p = (i * p) / n;
    if (Math.abs(p) < EM128) {
      p *= EP128;
      expnt -= E128;
    }
  }
  if (expnt !== 0) p = p * 2 ** expnt;
  return select(p, 1 - p, cdf);
}

function pomeranzJ1J2(i: number, n: number, ll: number, ceilf: number, roundf: number): [number, number] {
  let j1: number;
  let j2: number;
  if (i === 0) {
    j1 = -ll - ceilf - 1;
    j2 = ll + ceilf - 1;
  } else {
    const ip1div2 = Math.floor((i + 1) / 2);
    const ip1mod2 = (i + 1) % 2;
    if (ip1mod2 === 0) {
      if (ip1div2 === n + 1) {
        j1 = n - ll - ceilf - 1;
        j2 = n + ll + ceilf - 1;
      } else {
        j1 = ip1div2 - 1 - ll - roundf - 1;
        j2 = ip1div2 + ll - 1 + ceilf - 1;
      }
    } else {
      j1 = ip1div2 - 1 - ll - 1;
      j2 = ip1div2 + ll + roundf - 1;
    }
  }
  return [Math.max(j1 + 2, 0), Math.min(j2, n)];
}

/** Pr(D_n ≤ x) by the Pomeranz recursion. */
function kolmognPomeranz(n: number, x: number, cdf: boolean): number {
  const t = n * x;
  const ll = Math.floor(t);
  const f = t - ll;
  const g = Math.min(f, 1 - f);
  const ceilf = f > 0 ? 1 : 0;
  const roundf = f > 0.5 ? 1 : 0;
  const npwrs = 2 * (ll + 1);
  const gpower = new Float64Array(npwrs);
  const twogpower = new Float64Array(npwrs);
  const onem2gpower = new Float64Array(npwrs);
  gpower[0] = 1;
  twogpower[0] = 1;
  onem2gpower[0] = 1;
  let expnt = 0;
  const gOverN = g / n;
  const twoGOverN = (2 * g) / n;
  const oneMinusTwoGOverN = (1 - 2 * g) / n;
  for (let m = 1; m < npwrs; m++) {
    gpower[m] = (gpower[m - 1]! * gOverN) / m;
    twogpower[m] = (twogpower[m - 1]! * twoGOverN) / m;
    onem2gpower[m] = (onem2gpower[m - 1]! * oneMinusTwoGOverN) / m;
  }
  let V0 = new Float64Array(npwrs);
  let V1 = new Float64Array(npwrs);
  V1[0] = 1;
  let V0s = 0;
  let V1s = 0;
  let [j1, j2] = pomeranzJ1J2(0, n, ll, ceilf, roundf);
  for (let i = 1; i < 2 * n + 2; i++) {
    const k1 = j1;
    [V0, V1] = [V1, V0];
    [V0s, V1s] = [V1s, V0s];
    V1.fill(0);
    [j1, j2] = pomeranzJ1J2(i, n, ll, ceilf, roundf);
    const pwrs = i === 1 || i === 2 * n + 1 ? gpower : i % 2 ? twogpower : onem2gpower;
    const ln2 = j2 - k1 + 1;
    if (ln2 > 0) {
      // Full convolution of a = V0[k1-V0s : k1-V0s+ln2] (clipped as numpy slices are) with b = pwrs[:ln2],
      // evaluated only at the indices that are kept.
      const aStart = k1 - V0s;
      const aLen = Math.max(0, Math.min(aStart + ln2, npwrs) - aStart);
      const bLen = Math.min(ln2, npwrs);
      const convStart = j1 - k1;
      const convLen = j2 - j1 + 1;
      let maxV1 = 0;
      for (let tIdx = 0; tIdx < convLen; tIdx++) {
        const kk = convStart + tIdx;
        let s = 0;
        const iLo = Math.max(0, kk - bLen + 1);
        const iHi = Math.min(aLen - 1, kk);
        for (let ii = iLo; ii <= iHi; ii++) s += V0[aStart + ii]! * pwrs[kk - ii]!;
        V1[tIdx] = s;
        if (s > maxV1) maxV1 = s;
      }
      if (maxV1 > 0 && maxV1 < EM128) {
        for (let q = 0; q < npwrs; q++) V1[q]! *= EP128;
        expnt -= E128;
      }
      V1s = V0s + j1 - k1;
    }
  }
  let ans = V1[n - V1s]!;
  for (let m = 1; m <= n; m++) {
    if (Math.abs(ans) > EP128) {
      ans *= EM128;
      expnt += E128;
    }
    ans *= m;
  }
  if (expnt !== 0) ans = ans * 2 ** expnt;
  return select(ans, 1 - ans, cdf);
}

/** Pelz–Good asymptotic approximation of Pr(D_n ≤ x). */
function kolmognPelzGood(n: number, x: number, cdf: boolean): number {
  if (x <= 0) return select(0, 1, cdf);
  if (x >= 1) return select(1, 0, cdf);
  const z = Math.sqrt(n) * x;
  const zsquared = z ** 2;
  const zthree = z ** 3;
  const zfour = z ** 4;
  const zsix = z ** 6;
  const qlog = -PI_SQUARED / 8 / zsquared;
  if (qlog < MIN_LOG) return select(0, 1, cdf);
  let q = Math.exp(qlog);
  const k1a = -zsquared;
  const k1b = PI_SQUARED / 4;
  const k2a = 6 * zsix + 2 * zfour;
  const k2b = ((2 * zfour - 5 * zsquared) * PI_SQUARED) / 4;
  const k2c = (PI_FOUR * (1 - 2 * zsquared)) / 16;
  const k3d = (PI_SIX * (5 - 30 * zsquared)) / 64;
  const k3c = (PI_FOUR * (-60 * zsquared + 212 * zfour)) / 16;
  const k3b = (PI_SQUARED * (135 * zfour - 96 * zsix)) / 4;
  const k3a = -30 * zsix - 90 * z ** 8;
  const K = [0, 0, 0, 0];
  const maxk = Math.ceil((16 * z) / Math.PI);
  for (let k = maxk; k > 0; k--) {
    const m = 2 * k - 1;
    const msquared = m ** 2;
    const mfour = m ** 4;
    const msix = m ** 6;
    const qpower = q ** (8 * k);
    const coeffs = [
      1,
      k1a + k1b * msquared,
      k2a + k2b * msquared + k2c * mfour,
      k3a + k3b * msquared + k3c * mfour + k3d * msix,
    ];
    for (let i = 0; i < 4; i++) K[i] = K[i]! * qpower + coeffs[i]!;
  }
  const denominators = [z, 6 * zfour, 72 * z ** 7, 6480 * z ** 10];
  for (let i = 0; i < 4; i++) K[i] = (K[i]! * q * SQRT2PI) / denominators[i]!;
  q = Math.exp(-PI_SQUARED / 2 / zsquared);
  const sqrt3z = SQRT3 * z;
  let k2extra = 0;
  let k3extra = 0;
  for (let k = maxk; k > 0; k--) {
    const ksquared = k * k;
    const qp = q ** ksquared;
    const kspi = Math.PI * k;
    k2extra += ksquared * qp;
    k3extra += (sqrt3z + kspi) * (sqrt3z - kspi) * ksquared * qp;
  }
  K[2]! += (k2extra * PI_SQUARED * SQRT2PI) / (-36 * zthree);
  K[3]! += (k3extra * PI_SQUARED * SQRT2PI) / (216 * zsix);
  for (let i = 0; i < 4; i++) K[i] = K[i]! / n ** (i / 2);
  if (!cdf) {
    for (let i = 0; i < 4; i++) K[i] = -K[i]!;
    K[0]! += 1;
  }
  return K[0]! + K[1]! + K[2]! + K[3]!;
}

/**
 * Exact one-sided Smirnov tail Pr(D_n⁺ ≥ e), by the Birnbaum–Tingey sum
 * e·Σ_{v=0}^{⌊n(1−e)⌋} C(n,v)·(e + v/n)^{v−1}·(1 − e − v/n)^{n−v}.
 * Every term is positive (no cancellation); each is evaluated in log space through log-gamma, so terms whose
 * factors would underflow separately (e.g. n = 1000, e = 0.5, where p ≈ 1e-231) keep full relative precision.
 * (cephes' classic `smirnov` multiplied the factors directly below n = 1013 and lost such tails; scipy ≥ 1.2 uses
 * extended precision instead.)
 */
export function smirnovSf(n: number, e: number): number {
  if (!(n > 0 && e >= 0 && e <= 1)) return Number.NaN;
  if (e === 0) return 1;
  const nn = Math.floor(n * (1 - e));
  // log C(n, v) is carried from term to term (log C(n, v+1) = log C(n, v) + log((n−v)/(v+1))) and re-anchored on
  // log-gamma every 1024 terms, so the rounding drift stays ~1e-13 while costing two logs per term.
  const lgamnp1 = gammaln(n + 1);
  const logTerms = new Float64Array(nn + 1);
  let maxLog = Number.NEGATIVE_INFINITY;
  let logC = 0;
  for (let v = 0; v <= nn; v++) {
    if (v % 1024 === 0) logC = lgamnp1 - gammaln(v + 1) - gammaln(n - v + 1);
    const evn = e + v / n;
    const omevn = 1 - evn;
    const t =
      omevn > 0 ? logC + (v - 1) * Math.log(evn) + (n - v) * Math.log(omevn) : Number.NEGATIVE_INFINITY;
    logTerms[v] = t;
    if (t > maxLog) maxLog = t;
    else if (t < maxLog - TAIL_LOG_CUTOFF && t < logTerms[v - 1]!) {
      // Past the peak and falling: the terms are unimodal in v, so what is left is below e^-40 of the largest
      // term each and decreasing — at most ~n·4e-18 relative.
      logTerms.fill(Number.NEGATIVE_INFINITY, v + 1);
      break;
    }
    logC += Math.log((n - v) / (v + 1));
  }
  if (maxLog === Number.NEGATIVE_INFINITY) return 0;
  let s = 0;
  for (let v = 0; v <= nn; v++) s += Math.exp(logTerms[v]! - maxLog);
  return Math.exp(maxLog + Math.log(s) + Math.log(e));
}

/**
 * CDF (`cdf = true`) or survival function of the two-sided Kolmogorov–Smirnov statistic D_n, as
 * `scipy.stats.kstwo.cdf(x, n)` / `kstwo.sf(x, n)`.
 * @param n sample size, a positive integer.
 * @param x the statistic, in [0, 1].
 */
export function kolmogorovTwoSided(n: number, x: number, cdf: boolean): number {
  if (!Number.isInteger(n) || n <= 0 || Number.isNaN(x)) return Number.NaN;
  if (x >= 1) return select(1, 0, cdf);
  if (x <= 0) return select(0, 1, cdf);
  const t = n * x;
  if (t <= 1) {
    if (t <= 0.5) return select(0, 1, cdf);
    let prob: number;
    if (n <= 140) {
      prob = 1;
      for (let i = 1; i <= n; i++) prob *= i * (1 / n) * (2 * t - 1);
    } else {
      prob = Math.exp(logNFactorialDivNPowN(n) + n * Math.log(2 * t - 1));
    }
    return select(prob, 1 - prob, cdf);
  }
  if (t >= n - 1) {
    const prob = 2 * (1 - x) ** n;
    return select(1 - prob, prob, cdf);
  }
  if (x >= 0.5) {
    const prob = 2 * smirnovSf(n, x);
    return select(1 - prob, prob, cdf);
  }
  const nxsquared = t * x;
  if (n <= 140) {
    if (nxsquared <= 0.754693) {
      const prob = kolmognDMTW(n, x, true);
      return select(prob, 1 - prob, cdf);
    }
    if (nxsquared <= 4) {
      const prob = kolmognPomeranz(n, x, true);
      return select(prob, 1 - prob, cdf);
    }
    const prob = 2 * smirnovSf(n, x);
    return select(1 - prob, prob, cdf);
  }
  if (!cdf) {
    if (nxsquared >= 370) return 0;
    if (nxsquared >= 2.2) return clip01(2 * smirnovSf(n, x));
  }
  let cdfProb: number;
  if (nxsquared >= 18) cdfProb = 1;
  else if (n <= 100000 && n * x ** 1.5 <= 1.4) cdfProb = kolmognDMTW(n, x, true);
  else cdfProb = kolmognPelzGood(n, x, true);
  return select(cdfProb, 1 - cdfProb, cdf);
}

/** `scipy.stats.kstwo.sf(x, n)`: Pr(D_n > x). */
export function kolmogorovTwoSidedSf(n: number, x: number): number {
  return kolmogorovTwoSided(n, x, false);
}
