#!/usr/bin/python3
"""Generate the A/B test fixtures and their scipy reference values.

Run by hand (never by `npm test`), with Debian's python that has scipy (apt install python3-scipy):

    /usr/bin/python3 scripts/reference/generate_abtest_fixtures.py

It writes the data files under test/runtime/data/abtest/ and the values scipy computes on them to
test/runtime/fixtures/abtest-reference.json:

- Welch's t-test: scipy.stats.ttest_ind(challenger, control, equal_var=False); its df and 95% interval
  by the Welch-Satterthwaite formula with stats.t.ppf (what confidence_interval() of scipy >= 1.11 does);
- the sample-ratio check: scipy.stats.chisquare(observed, f_exp=total * weight / sum(weights));
- the two-proportion z-test by its formula (pooled standard error), p = 2 * norm.sf(|z|), the Wald
  interval of the difference with norm.ppf(0.975);
- Cohen's h and d, and the relative lift, by their formulas.

Samples come from a seeded numpy Generator; floats are written with repr, so the TypeScript tests read
back the exact doubles scipy saw.
"""

import csv
import json
import math
import os

import numpy as np
import scipy
from scipy import stats

HERE = os.path.dirname(__file__)
DATA = os.path.join(HERE, "..", "..", "test", "runtime", "data", "abtest")
OUT = os.path.join(HERE, "..", "..", "test", "runtime", "fixtures", "abtest-reference.json")
SEED = 20261203
rng = np.random.default_rng(SEED)
ALPHA = 0.05


def proportion_reference(x1, n1, x0, n0):
    p1, p0 = x1 / n1, x0 / n0
    pooled = (x1 + x0) / (n1 + n0)
    z = (p1 - p0) / math.sqrt(pooled * (1 - pooled) * (1 / n1 + 1 / n0))
    se = math.sqrt(p1 * (1 - p1) / n1 + p0 * (1 - p0) / n0)
    crit = stats.norm.ppf(1 - ALPHA / 2)
    return {
        "statistic": z,
        "pvalue": float(2 * stats.norm.sf(abs(z))),
        "difference": p1 - p0,
        "interval": [p1 - p0 - crit * se, p1 - p0 + crit * se],
        "relativeLift": (p1 - p0) / p0,
        "cohenH": 2 * math.asin(math.sqrt(p1)) - 2 * math.asin(math.sqrt(p0)),
    }


def welch_reference(challenger, control, alpha=ALPHA):
    res = stats.ttest_ind(challenger, control, equal_var=False)
    n1, n0 = len(challenger), len(control)
    # Debian's scipy 1.10 has neither res.df nor res.confidence_interval (1.11+): both by the
    # Welch-Satterthwaite formula scipy itself uses, with scipy's t quantile.
    a, b = np.var(challenger, ddof=1) / n1, np.var(control, ddof=1) / n0
    df = (a + b) ** 2 / (a**2 / (n1 - 1) + b**2 / (n0 - 1))
    half = stats.t.ppf(1 - alpha / 2, df) * math.sqrt(a + b)
    pooled = math.sqrt(((n1 - 1) * np.var(challenger, ddof=1) + (n0 - 1) * np.var(control, ddof=1)) / (n1 + n0 - 2))
    diff = float(np.mean(challenger) - np.mean(control))
    return {
        "statistic": float(res.statistic),
        "pvalue": float(res.pvalue),
        "df": float(df),
        "difference": diff,
        "interval": [diff - half, diff + half],
        "relativeLift": diff / float(np.mean(control)),
        "cohenD": diff / pooled,
    }


def srm_reference(counts, weights):
    total = sum(counts)
    expected = [total * w / sum(weights) for w in weights]
    res = stats.chisquare(counts, f_exp=expected)
    return {"observed": counts, "expected": expected, "statistic": float(res.statistic), "pvalue": float(res.pvalue)}


def write_csv(name, header, rows):
    with open(os.path.join(DATA, name), "w", newline="") as f:
        w = csv.writer(f, lineterminator="\n")
        w.writerow(header)
        w.writerows(rows)


def write_jsonl(name, rows):
    with open(os.path.join(DATA, name), "w") as f:
        for row in rows:
            f.write(json.dumps(row) + "\n")


fixtures = {"meta": {"numpy": np.__version__, "scipy": scipy.__version__, "seed": SEED, "alpha": ALPHA}}

# 1. Conversions, 90/10 split, the challenger converts better: promote.
n = 12000
variants = rng.choice(["champion", "challenger"], size=n, p=[0.9, 0.1])
rate = np.where(variants == "champion", 0.10, 0.14)
converted = (rng.random(n) < rate).astype(int)
write_csv("conversion.csv", ["request_id", "variant", "converted"], [[f"r{i}", v, c] for i, (v, c) in enumerate(zip(variants, converted))])
x1, n1 = int(converted[variants == "challenger"].sum()), int((variants == "challenger").sum())
x0, n0 = int(converted[variants == "champion"].sum()), int((variants == "champion").sum())
fixtures["conversion"] = {
    "file": "conversion.csv",
    "weights": {"champion": 90, "challenger": 10},
    "srm": srm_reference([n0, n1], [90, 10]),
    "proportion": proportion_reference(x1, n1, x0, n0),
}

# 2. Revenue per request (continuous, skewed), equal split, three variants, JSON Lines.
rows = []
samples = {}
for name, scale in [("A", 20.0), ("B", 20.4), ("C", 23.0)]:
    values = rng.gamma(2.0, scale / 2.0, size=int(rng.integers(1450, 1550)))
    samples[name] = values
    rows += [{"variant": name, "revenue": float(v)} for v in values]
order = rng.permutation(len(rows))
write_jsonl("revenue.jsonl", [rows[i] for i in order])
fixtures["revenue"] = {
    "file": "revenue.jsonl",
    "srm": srm_reference([len(samples[k]) for k in "ABC"], [1, 1, 1]),
    # Two challengers: each judged, and its interval drawn, at alpha / 2 (Bonferroni).
    "welch": {k: welch_reference(samples[k], samples["A"], ALPHA / 2) for k in "BC"},
}

# 3. The same revenue as daily aggregates (count, mean, sample sd): Welch from the raw values.
agg = []
for name in "ABC":
    for day, chunk in enumerate(np.array_split(samples[name], 5)):
        agg.append([f"2026-11-{day + 1:02d}", name, len(chunk), repr(float(np.mean(chunk))), repr(float(np.std(chunk, ddof=1)))])
write_csv("revenue-daily.csv", ["day", "variant", "users", "revenue_mean", "revenue_sd"], agg)
fixtures["revenueDaily"] = {"file": "revenue-daily.csv", "welch": fixtures["revenue"]["welch"]}

# 4. A broken split: 50/50 configured, 51.5/48.5 observed over 20,000 requests.
n_a, n_b = 10300, 9700
conv = [[f"r{i}", "control", int(rng.random() < 0.2)] for i in range(n_a)] + [
    [f"s{i}", "treatment", int(rng.random() < 0.2)] for i in range(n_b)
]
write_csv("srm.csv", ["request_id", "variant", "converted"], [conv[i] for i in rng.permutation(len(conv))])
fixtures["srm"] = {"file": "srm.csv", "srm": srm_reference([n_a, n_b], [50, 50])}

# 5. Welch on hand-picked shapes: tiny samples, unequal variances, a p-value far below 1e-16.
cases = []
for a, b in [
    (rng.normal(0.0, 1.0, 5), rng.normal(0.3, 3.0, 8)),
    (rng.normal(10.0, 0.5, 40), rng.normal(10.1, 2.0, 400)),
    (rng.normal(0.0, 1.0, 300), rng.normal(1.5, 1.0, 300)),
    (rng.exponential(2.0, 1000), rng.exponential(2.1, 50)),
]:
    cases.append({"challenger": [float(v) for v in a], "control": [float(v) for v in b], **welch_reference(a, b)})
fixtures["welchCases"] = cases

# 6. Proportion cases by formula.
fixtures["proportionCases"] = [
    {"x1": x1, "n1": n1, "x0": x0, "n0": n0, **proportion_reference(x1, n1, x0, n0)}
    for (x1, n1, x0, n0) in [(120, 1000, 100, 1000), (30, 200, 45, 210), (5400, 50000, 5000, 50000), (1, 40, 3, 38)]
]

with open(OUT, "w") as f:
    json.dump(fixtures, f, indent=1)
    f.write("\n")
print("wrote", OUT)
