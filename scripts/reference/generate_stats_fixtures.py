#!/usr/bin/python3
"""Generate reference values for runtime/stats from scipy/numpy.

Run by hand (never by `npm test`), with Debian's python that has scipy:

    /usr/bin/python3 scripts/reference/generate_stats_fixtures.py

It writes test/runtime/fixtures/stats-reference.json. Every input sample is stored in the fixture, so the tests need
no python. Samples are drawn from a seeded numpy Generator, so reruns give identical files for the same
numpy/scipy versions (recorded in the fixture's "meta").

Floats are written with Python's repr (shortest round-trip form), so the TypeScript side reads back the exact
doubles scipy saw.
"""

import json
import math
import os
import sys
from math import gcd

import numpy as np
import scipy
from scipy import stats
from scipy.spatial.distance import jensenshannon
from scipy.stats import _stats_py

OUT = os.path.join(os.path.dirname(__file__), "..", "..", "test", "runtime", "fixtures", "stats-reference.json")
rng = np.random.default_rng(20261128)


def floats(a):
    return [float(x) for x in a]


def sample(kind, n, loc=0.0):
    """A sample of size n. 'ties' rounds to a coarse grid so many values repeat."""
    if kind == "normal":
        return rng.normal(loc, 1.0, n)
    if kind == "ties":
        return np.round(rng.normal(loc, 1.0, n) * 2) / 2
    if kind == "exponential":
        return rng.exponential(1.0 + loc, n)
    if kind == "constant":
        return np.full(n, 3.25)
    raise ValueError(kind)


# --- two-sample KS on stored samples ------------------------------------------------------------------------------
def ks_case(a, b, methods):
    results = {}
    for method in methods:
        r = stats.ks_2samp(a, b, method=method)
        results[method] = {"statistic": float(r.statistic), "pvalue": float(r.pvalue)}
    return {"sample1": floats(a), "sample2": floats(b), "results": results}


ks_cases = []
sizes = [
    (1, 1), (1, 2), (2, 1), (1, 10), (2, 3), (3, 3), (4, 4), (5, 7), (7, 5), (8, 8), (10, 10), (10, 25), (13, 17),
    (20, 20), (20, 35), (30, 31), (50, 50), (64, 48), (100, 100), (100, 150), (137, 211), (250, 250), (400, 600),
    (1000, 1000), (999, 1001), (1500, 900), (2000, 3000), (3000, 3000),
]
for (n1, n2) in sizes:
    for kind in ("normal", "ties"):
        for shift in (0.0, 0.4):
            a = sample(kind, n1)
            b = sample(kind, n2, shift)
            ks_cases.append(ks_case(a, b, ("auto", "exact", "asymp")))
# identical and constant samples
for (a, b) in ((sample("constant", 5), sample("constant", 9)), (np.arange(10.0), np.arange(10.0))):
    ks_cases.append(ks_case(a, b, ("auto", "exact", "asymp")))
# a large pair for the auto -> asymp switch (max(n1, n2) > 10000), stored as small-integer ties to stay compact
big_a = np.round(rng.normal(0, 3, 12000))
big_b = np.round(rng.normal(0.1, 3, 400))
ks_cases.append(ks_case(big_a, big_b, ("auto", "asymp")))

# --- KS p-value from (d, n1, n2), no samples: covers large exact lattices and the asymptotic branches ------------
ks_pvalue_cases = []
for (n1, n2) in [(50, 50), (300, 300), (5000, 5000), (10000, 10000), (700, 1300), (4000, 6000), (9999, 10000),
                 (10000, 3), (3, 10000), (123, 4567), (2500, 7500)]:
    g = gcd(n1, n2)
    lcm = (n1 // g) * n2
    # The lattice recursion costs up to O(n1 · n2): on large sizes keep to the d where p is not ~0.
    ds = (0.0, 0.001, 0.01, 0.02, 0.05, 0.1, 0.2, 0.35, 0.5, 0.8, 1.0)
    if n1 * n2 > 1e7:
        ds = tuple(d for d in ds if d <= 0.05)
    for d in ds:
        h = int(np.round(d * lcm))
        dd = h / lcm
        ok, d_out, p = _stats_py._attempt_exact_2kssamp(n1, n2, g, dd, "two-sided")
        if ok:
            ks_pvalue_cases.append({"d": dd, "n1": n1, "n2": n2, "mode": "exact", "pvalue": float(p)})
for (n1, n2) in [(20000, 20000), (1000000, 1000000), (12000, 50), (15001, 15001), (200000, 3000), (10001, 7)]:
    m, n = sorted([float(n1), float(n2)], reverse=True)
    en = m * n / (m + n)
    for d in (0.0005, 0.001, 0.003, 0.01, 0.02, 0.05, 0.1, 0.3, 0.6, 0.9):
        p = float(np.clip(stats.kstwo.sf(d, np.round(en)), 0, 1))
        ks_pvalue_cases.append({"d": d, "n1": n1, "n2": n2, "mode": "asymp", "pvalue": p})

# --- kstwo.sf over a grid, every branch of _kolmogn ------------------------------------------------------------
kstwo_cases = []
for n in (1, 2, 3, 5, 10, 30, 80, 140, 141, 500, 1000, 5000, 20000, 100000, 100001, 500000):
    for x in (0.0001, 0.001, 0.003, 0.01, 0.02, 0.03, 0.05, 0.08, 0.1, 0.15, 0.2, 0.3, 0.45, 0.5, 0.6, 0.75, 0.9,
              0.99, 0.5 / n + 1e-9, 1.0 / n, 1.0 / n + 1e-6, 1 - 1.0 / n):
        if not (0 <= x <= 1):
            continue
        kstwo_cases.append({"n": n, "x": x, "sf": float(stats.kstwo.sf(x, n))})

# --- Wasserstein ------------------------------------------------------------------------------------------------
wasserstein_cases = []
for (n1, n2) in [(1, 1), (1, 5), (3, 4), (10, 10), (57, 91), (500, 800), (2000, 2000)]:
    for kind in ("normal", "ties", "exponential"):
        a = sample(kind, n1)
        b = sample(kind, n2, 0.3)
        wasserstein_cases.append({"sample1": floats(a), "sample2": floats(b),
                                  "distance": float(stats.wasserstein_distance(a, b)),
                                  "referenceStd": float(np.std(a))})

# --- chi-squared ------------------------------------------------------------------------------------------------
contingency_cases = []
for k in (2, 3, 5, 12, 40):
    for trial in range(3):
        ref = rng.integers(0, 60, k)
        cur = rng.integers(0, 60, k)
        ref[0] += 1
        cur[-1] += 1
        if trial == 2 and k > 2:
            ref[1] = 0  # a category the reference never saw
        table = np.array([ref, cur])
        keep = table.sum(axis=0) > 0
        for correction in (True, False):
            r = stats.chi2_contingency(table[:, keep], correction=correction)
            contingency_cases.append({"reference": ref.tolist(), "current": cur.tolist(), "yates": correction,
                                      "statistic": float(r[0]), "pvalue": float(r[1]), "dof": int(r[2])})
gof_cases = []
for k in (2, 4, 9, 30):
    obs = rng.integers(1, 500, k).astype(float)
    ref = rng.integers(1, 500, k).astype(float)
    exp = ref * obs.sum() / ref.sum()
    r = stats.chisquare(obs, exp)
    gof_cases.append({"observed": floats(obs), "expected": floats(exp), "statistic": float(r.statistic),
                      "pvalue": float(r.pvalue)})
chi2_sf_cases = []
for df in (1, 2, 3, 7, 30, 99, 1000, 99999):
    for x in (0.001, 0.5, 1.0, 3.84, 10.0, 50.0, 200.0, 1000.0, 5000.0, 1.2e5):
        chi2_sf_cases.append({"x": x, "df": df, "sf": float(stats.chi2.sf(x, df))})


# --- binned distances, with Evidently's binning and zero fill ---------------------------------------------------
def evidently_binned(ref, cur, feel_zeroes, numerical=True):
    """A copy of evidently.legacy.calculations.stattests.utils.get_binned_data on numpy arrays."""
    n_vals = len(np.unique(ref))
    if numerical and n_vals > 20:
        bins = np.histogram_bin_edges(np.concatenate([ref, cur]), bins="sturges")
        rp = np.histogram(ref, bins)[0] / len(ref)
        cp = np.histogram(cur, bins)[0] / len(cur)
        keys = None
    else:
        keys = sorted(set(ref.tolist()) | set(cur.tolist()))
        rc = {k: 0 for k in keys}
        cc = {k: 0 for k in keys}
        for v in ref.tolist():
            rc[v] += 1
        for v in cur.tolist():
            cc[v] += 1
        rp = np.array([rc[k] / len(ref) for k in keys])
        cp = np.array([cc[k] / len(cur) for k in keys])
        bins = None
    if feel_zeroes:
        for arr in (rp, cp):
            mn = min(arr[arr != 0])
            np.place(arr, arr == 0, mn / 10 ** 6 if mn <= 0.0001 else 0.0001)
    return rp, cp, bins


binned_cases = []
for (n1, n2, kind) in [(300, 200, "normal"), (1000, 1000, "normal"), (5000, 300, "exponential"), (100, 100, "ties"),
                       (40, 60, "normal"), (20000, 20000, "normal")]:
    a = sample(kind, n1)
    b = sample(kind, n2, 0.5)
    rp, cp, edges = evidently_binned(a, b, True)
    rp0, cp0, _ = evidently_binned(a, b, False)
    psi = float(np.sum((rp - cp) * np.log(rp / cp)))
    kl = float(stats.entropy(rp, cp))
    js_e = float(jensenshannon(rp0, cp0))
    js_2 = float(jensenshannon(rp0, cp0, base=2))
    store_samples = n1 + n2 <= 12000
    binned_cases.append({
        "sample1": floats(a) if store_samples else None, "sample2": floats(b) if store_samples else None,
        "edges": floats(edges) if edges is not None else None,
        "referenceShares": floats(rp0), "currentShares": floats(cp0),
        "referenceFilled": floats(rp), "currentFilled": floats(cp),
        "psi": psi, "kl": kl, "jsE": js_e, "js2": js_2,
    })
# bin edges alone, including degenerate ranges
edge_cases = []
for arr in (np.array([1.0]), np.array([2.0, 2.0, 2.0]), np.array([0.0, 1.0]), rng.normal(0, 1, 1000),
            rng.normal(5, 1e-9, 50), rng.uniform(-1e6, 1e6, 99999)):
    e = np.histogram_bin_edges(arr, bins="sturges")
    edge_cases.append({"min": float(arr.min()), "max": float(arr.max()), "size": int(arr.size),
                       "edges": floats(e)})
# JS / KL on raw share vectors (with zeros) and Hellinger, L-infinity
vector_cases = []
for k in (2, 3, 10, 50):
    p = rng.random(k)
    q = rng.random(k)
    p[0] = 0.0
    if k > 2:
        q[1] = 0.0
    vector_cases.append({
        "p": floats(p), "q": floats(q),
        "jsE": float(jensenshannon(p, q)), "js2": float(jensenshannon(p, q, base=2)),
        "js10": float(jensenshannon(p, q, base=10)),
        "klQP": float(stats.entropy(q + 1e-3, p + 1e-3)), "klQPp": floats(q + 1e-3), "klQPq": floats(p + 1e-3),
        "hellinger": float(math.sqrt(1 - np.clip(np.sum(np.sqrt((p / p.sum()) * (q / q.sum()))), 0, 1))),
        "linf": float(np.max(np.abs(p / p.sum() - q / q.sum()))),
    })

# --- Hellinger as Evidently computes it (a copy of hellinger_distance.py's two branches) -----------------------
def evidently_hellinger_numeric(ref, cur):
    keys = np.unique(np.concatenate([ref, cur]))
    bins = np.histogram_bin_edges(keys, bins="sturges")
    h1 = np.histogram(ref, bins=bins, density=True)[0]
    h2 = np.histogram(cur, bins=bins, density=True)[0]
    bin_width = (max(bins) - min(bins)) / (len(bins) - 1)
    bc = sum(math.sqrt(p1 * p2) * bin_width for p1, p2 in zip(h1, h2))
    return math.sqrt(1 - np.clip(bc, 0, 1))


hellinger_cases = []
for (n1, n2, kind) in [(400, 300, "normal"), (1500, 1200, "exponential"), (200, 260, "ties")]:
    a = sample(kind, n1)
    b = sample(kind, n2, 0.4)
    hellinger_cases.append({"sample1": floats(a), "sample2": floats(b), "hellinger": evidently_hellinger_numeric(a, b)})

# --- Z-test (Evidently's formula, p via norm.sf for full precision) --------------------------------------------
z_cases = []
for (s1, n1, s2, n2) in [(10, 100, 20, 100), (0, 50, 3, 60), (500, 1000, 500, 1000), (1, 3, 2, 3),
                         (9000, 10000, 8000, 10000), (30, 1000, 300, 1000)]:
    p1, p2 = s1 / n1, s2 / n2
    P = (p1 * n1 + p2 * n2) / (n1 + n2)
    z = (p1 - p2) / math.sqrt(P * (1 - P) * (1 / n1 + 1 / n2))
    z_cases.append({"s1": s1, "n1": n1, "s2": s2, "n2": n2, "z": z, "pvalue": float(2 * stats.norm.sf(abs(z)))})


# --- Evidently's other methods (drawn after every case above, so the earlier samples stay the same) -------------
import warnings


def two_samples(n1, n2, kind, shift):
    return sample(kind, n1), sample(kind, n2, shift)


anderson_cases = []
cvm_cases = []
energy_cases = []
es_cases = []
mannw_cases = []
ttest_cases = []
for (n1, n2, kind, shift) in [(5, 7, "normal", 0.0), (8, 8, "normal", 1.5), (15, 20, "ties", 0.3), (20, 20, "normal", 0.8),
                              (21, 30, "normal", 0.0), (60, 45, "exponential", 0.5), (200, 300, "ties", 0.2),
                              (500, 400, "normal", 0.05), (1000, 1200, "exponential", 0.3), (300, 300, "normal", 3.0)]:
    a, b = two_samples(n1, n2, kind, shift)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        r = stats.anderson_ksamp([a, b])
    anderson_cases.append({"sample1": floats(a), "sample2": floats(b), "statistic": float(r.statistic),
                           "pvalue": float(r.significance_level)})
    r = stats.cramervonmises_2samp(a, b)
    cvm_cases.append({"sample1": floats(a), "sample2": floats(b), "statistic": float(r.statistic),
                      "pvalue": float(r.pvalue)})
    energy_cases.append({"sample1": floats(a), "sample2": floats(b), "distance": float(stats.energy_distance(a, b))})
    if stats.iqr(np.hstack((a, b))) > 0:
        r = stats.epps_singleton_2samp(a, b)
        es_cases.append({"sample1": floats(a), "sample2": floats(b), "statistic": float(r.statistic),
                         "pvalue": float(r.pvalue)})
    for alternative in ("less", "greater", "two-sided"):
        r = stats.mannwhitneyu(a, b, alternative=alternative)
        mannw_cases.append({"sample1": floats(a), "sample2": floats(b), "alternative": alternative,
                            "statistic": float(r.statistic), "pvalue": float(r.pvalue)})
    for equal_var in (True, False):
        r = stats.ttest_ind(a, b, equal_var=equal_var)
        ttest_cases.append({"sample1": floats(a), "sample2": floats(b), "equalVar": equal_var,
                            "statistic": float(r.statistic), "pvalue": float(r.pvalue)})
# Mann-Whitney's exact branch: small samples without ties
for (n1, n2, shift) in [(3, 4, 0.0), (5, 8, 1.0), (8, 30, 0.5), (2, 9, -1.0)]:
    a, b = two_samples(n1, n2, "normal", shift)
    for alternative in ("less", "greater", "two-sided"):
        r = stats.mannwhitneyu(a, b, alternative=alternative)
        mannw_cases.append({"sample1": floats(a), "sample2": floats(b), "alternative": alternative,
                            "statistic": float(r.statistic), "pvalue": float(r.pvalue)})

fisher_cases = []
for table in ([[8, 2], [1, 5]], [[0, 5], [5, 0]], [[100, 900], [130, 870]], [[3, 3], [3, 3]], [[1, 0], [0, 1]],
              [[5000, 5000], [5100, 4900]], [[12, 0], [7, 0]], [[2, 40], [9, 33]]):
    r = stats.fisher_exact(table)
    fisher_cases.append({"table": table, "pvalue": float(r[1])})

# G-test and the goodness-of-fit chisquare as Evidently's drift uses them: current counts against the reference
# scaled to the current size (an unseen category gives an infinite statistic and p = 0)
gtest_cases = []
for (ref, cur) in [([50, 30, 20], [45, 35, 20]), ([500, 300, 150, 50], [420, 330, 160, 90]), ([10, 10], [14, 6]),
                   ([300, 200, 100, 0], [100, 70, 30, 60]), ([1000, 1000, 1000], [1000, 1000, 1000])]:
    ref = np.array(ref, dtype=float)
    cur = np.array(cur, dtype=float)
    exp = ref * cur.sum() / ref.sum()
    with np.errstate(divide="ignore", invalid="ignore"):
        g = stats.power_divergence(cur, exp, lambda_="log-likelihood")
        c = stats.chisquare(cur, exp)
    # JSON has no infinity: an infinite statistic is written as null
    finite = lambda v: float(v) if np.isfinite(v) else None  # noqa: E731
    gtest_cases.append({"reference": floats(ref), "current": floats(cur), "g": finite(g.statistic),
                        "gPvalue": float(g.pvalue), "chi2": finite(c.statistic), "chi2Pvalue": float(c.pvalue)})


# TVD and MMD permutation tests: the statistic exactly, and a reference p-value from many more permutations than
# the runtime draws, so the runtime's seeded p-value can be checked within its Monte-Carlo error
def tvd(r_counts, c_counts):
    return 0.5 * np.sum(np.abs(r_counts / r_counts.sum() - c_counts / c_counts.sum()))


tvd_cases = []
perm_rng = np.random.default_rng(7)
for (ref, cur) in [([50, 30, 20], [45, 35, 20]), ([200, 100, 50, 10], [150, 120, 60, 30]), ([30, 30], [20, 40])]:
    ref = np.array(ref)
    cur = np.array(cur)
    observed = tvd(ref, cur)
    pooled = np.repeat(np.arange(len(ref)), ref + cur)
    hits = 0
    permutations = 20000
    for _ in range(permutations):
        perm = perm_rng.permutation(pooled)
        pr = np.bincount(perm[:ref.sum()], minlength=len(ref))
        pc = np.bincount(perm[ref.sum():], minlength=len(ref))
        hits += observed <= tvd(pr, pc)
    tvd_cases.append({"reference": ref.tolist(), "current": cur.tolist(), "statistic": float(observed),
                      "pvalue": hits / permutations, "permutations": permutations})


def mmd_reference(x, y, permutations):
    """Unbiased MMD^2 with an RBF kernel, sigma from the median heuristic on x (numpy 'nearest' percentile)."""
    x = x.reshape(-1, 1)
    y = y.reshape(-1, 1)
    dxx = (x ** 2).T - 2 * np.dot(x, x.T) + x ** 2
    sigma = (0.5 * np.percentile(dxx.flatten(), 50, method="nearest")) ** 0.5
    if sigma == 0:
        sigma = 0.5 ** 0.5
    z = np.vstack((x, y))
    d = (z ** 2).T - 2 * np.dot(z, z.T) + z ** 2
    k = np.exp(-d / (2 * sigma ** 2))
    np.fill_diagonal(k, 0)
    nx, ny = len(x), len(y)

    def stat(idx):
        kk = k[idx][:, idx]
        return kk[:nx, :nx].sum() / (nx * (nx - 1)) + kk[nx:, nx:].sum() / (ny * (ny - 1)) - 2 * kk[nx:, :nx].mean()

    observed = stat(np.arange(nx + ny))
    hits = sum(observed <= stat(perm_rng.permutation(nx + ny)) for _ in range(permutations))
    return float(observed), float(sigma), hits / permutations


mmd_cases = []
for (n1, n2, kind, shift) in [(40, 50, "normal", 0.0), (60, 60, "normal", 0.6), (80, 70, "ties", 0.2),
                              (30, 40, "exponential", 1.0)]:
    a, b = two_samples(n1, n2, kind, shift)
    statistic, sigma, pvalue = mmd_reference(a, b, 2000)
    mmd_cases.append({"sample1": floats(a), "sample2": floats(b), "statistic": statistic, "sigma": sigma,
                      "pvalue": pvalue, "permutations": 2000})


# --- embeddings drift (Evidently's distance, ratio and MMD methods) ----------------------------------------------
from scipy.spatial import distance as spd

embedding_cases = []
for (m, n, dims, shift) in [(60, 50, 4, 0.0), (80, 70, 8, 0.3), (40, 45, 3, 1.0)]:
    ref = rng.normal(0, 1, (m, dims))
    cur = rng.normal(shift, 1, (n, dims))
    mr, mc = ref.mean(axis=0), cur.mean(axis=0)
    dists = {name: float(getattr(spd, name)(mr, mc)) for name in ("euclidean", "cosine", "cityblock", "chebyshev")}
    w = [stats.wasserstein_distance(ref[:, k], cur[:, k]) / max(np.std(ref[:, k]), 0.001) for k in range(dims)]
    ratio = sum(1 for v in w if v >= 0.1) / dims
    pair = np.sqrt(((ref[:, None, :] - cur[None, :, :]) ** 2).sum(axis=2))
    sigma2 = float(np.median(pair) ** 2)
    z = np.vstack([ref, cur])
    k = np.exp(-((z[:, None, :] - z[None, :, :]) ** 2).sum(axis=2) / sigma2)
    kx, ky, kxy = k[:m, :m], k[m:, m:], k[:m, m:]
    mmd2u = (kx.sum() - np.trace(kx)) / (m * (m - 1)) + (ky.sum() - np.trace(ky)) / (n * (n - 1)) - 2 * kxy.sum() / (m * n)
    embedding_cases.append({"reference": [floats(r) for r in ref], "current": [floats(c) for c in cur],
                            "distances": dists, "ratio": ratio, "sigma2": sigma2, "mmd": float(max(mmd2u, 0))})

# --- text descriptors (Evidently's TextLength, NonLetterCharacterPercentage, and OOV against the reference's words)
import re

WORDS = ["the", "model", "drift", "data", "price", "Zürich", "café", "42", "v2.1", "user's", "ok!", "#tag",
         "réponse", "naïve", "x", "emoji🙂", "e-mail", "2026-12-03", "and", "of"]


def text_sample(count, extra):
    out = []
    for _ in range(count):
        words = rng.choice(WORDS + extra, size=int(rng.integers(0, 12)))
        out.append(" ".join(words))
    return out


def non_letter(value):
    return 0 if len(value) == 0 else 100 * sum(1 for ch in value if not ch.isalpha() and ch != " ") / len(value)


def words_of(value):
    return [w.lower() for w in re.sub("[^A-Za-z0-9 ]+", "", value).split()]


text_cases = []
for (n1, n2, extra) in [(300, 250, []), (400, 350, ["unseen", "tokens", "!!!", "12345"])]:
    ref = text_sample(n1, [])
    cur = text_sample(n2, extra)
    vocabulary = set(w for t in ref for w in words_of(t))

    def oov(value):
        ws = words_of(value)
        return 0 if len(ws) == 0 else 100 * sum(1 for w in ws if w not in vocabulary) / len(ws)

    descriptors = {}
    for name, f in (("length", len), ("nonLetterShare", non_letter), ("oovShare", oov)):
        r = [float(f(t)) for t in ref]
        c = [float(f(t)) for t in cur]
        descriptors[name] = {"reference": r, "current": c, "ksPvalue": float(stats.ks_2samp(r, c).pvalue)}
    text_cases.append({"reference": ref, "current": cur, "descriptors": descriptors})

fixture = {
    "meta": {
        "generator": "scripts/reference/generate_stats_fixtures.py",
        "python": sys.version.split()[0], "numpy": np.__version__, "scipy": scipy.__version__,
        "seed": 20261128,
    },
    "ks2samp": ks_cases,
    "ksPValue": ks_pvalue_cases,
    "kstwoSf": kstwo_cases,
    "wasserstein": wasserstein_cases,
    "chi2Contingency": contingency_cases,
    "chiSquareGof": gof_cases,
    "chi2Sf": chi2_sf_cases,
    "binned": binned_cases,
    "sturgesEdges": edge_cases,
    "vectors": vector_cases,
    "ztest": z_cases,
    "hellingerNumeric": hellinger_cases,
    "anderson": anderson_cases,
    "cramerVonMises": cvm_cases,
    "energy": energy_cases,
    "eppsSingleton": es_cases,
    "mannWhitney": mannw_cases,
    "tTest": ttest_cases,
    "fisherExact": fisher_cases,
    "gTest": gtest_cases,
    "tvd": tvd_cases,
    "mmd": mmd_cases,
    "embeddings": embedding_cases,
    "text": text_cases,
}


def nan_to_null(x):
    """JSON has no NaN: scipy's NaN results (e.g. the asymptotic p-value for n1 = n2 = 1, where round(0.5) = 0)
    are written as null."""
    if isinstance(x, float) and math.isnan(x):
        return None
    if isinstance(x, list):
        return [nan_to_null(v) for v in x]
    if isinstance(x, dict):
        return {k: nan_to_null(v) for k, v in x.items()}
    return x


fixture = nan_to_null(fixture)
os.makedirs(os.path.dirname(OUT), exist_ok=True)
with open(OUT, "w") as f:
    json.dump(fixture, f, separators=(",", ":"), allow_nan=False)
print(f"wrote {OUT}: {os.path.getsize(OUT) / 1e6:.2f} MB")
