#!/usr/bin/python3
"""Builds the small ONNX models, holdout data sets and expected metric values that the `mlops evaluate`
tests compare against (test/runtime/fixtures/models/). Run from the repository root:

    /usr/bin/python3 scripts/build-eval-models.py

Needs Debian's python3-onnx, python3-numpy and python3-scipy; `npm test` needs none of them (the
outputs are committed). Seeded, so the files change only when this script does.

The graphs are written directly with onnx.helper (no scikit-learn offline). Every expected value is
computed here independently of the TypeScript runtime: the models' outputs by a numpy forward pass
of the same weights, and the metrics by different algorithms where one exists (ROC AUC from the
Mann-Whitney rank sum with scipy's rankdata, average precision by a loop over thresholds), so a
shared mistake in a formula is unlikely to pass unnoticed.
"""

import json
import math
import os

import numpy as np
import onnx
from onnx import TensorProto, helper, numpy_helper
from scipy.stats import rankdata

OUT = os.path.join(os.path.dirname(__file__), "..", "test", "runtime", "fixtures", "models")
OPSET = [helper.make_opsetid("", 13)]
ML_OPSET = [helper.make_opsetid("", 13), helper.make_opsetid("ai.onnx.ml", 1)]
IR_VERSION = 8
THRESHOLD = 0.5
rng = np.random.default_rng(20261203)


def save(model, name):
    model.ir_version = IR_VERSION
    onnx.checker.check_model(model)
    onnx.save(model, os.path.join(OUT, name))


def init(name, array):
    return numpy_helper.from_array(np.asarray(array, dtype=np.float32), name)


def float_input(name, width):
    return helper.make_tensor_value_info(name, TensorProto.FLOAT, [None, width])


# ---------------------------------------------------------------- models


def logistic_model(weights, bias, name):
    """sigmoid(x·w + b): one output column, the probability of the positive class."""
    nodes = [
        helper.make_node("MatMul", ["float_input", "W"], ["z0"]),
        helper.make_node("Add", ["z0", "B"], ["z"]),
        helper.make_node("Sigmoid", ["z"], ["probability"]),
    ]
    graph = helper.make_graph(
        nodes,
        name,
        [float_input("float_input", len(weights))],
        [helper.make_tensor_value_info("probability", TensorProto.FLOAT, [None, 1])],
        [init("W", np.reshape(weights, (-1, 1))), init("B", [bias])],
    )
    return helper.make_model(graph, opset_imports=OPSET, producer_name="build-eval-models")


def mlp_model(w1, b1, w2, b2, classes, name):
    """relu(x·W1 + b1)·W2 + b2, softmax: one probability column per class."""
    nodes = [
        helper.make_node("MatMul", ["input", "W1"], ["h0"]),
        helper.make_node("Add", ["h0", "B1"], ["h1"]),
        helper.make_node("Relu", ["h1"], ["h"]),
        helper.make_node("MatMul", ["h", "W2"], ["o0"]),
        helper.make_node("Add", ["o0", "B2"], ["logits"]),
        helper.make_node("Softmax", ["logits"], ["probabilities"], axis=1),
    ]
    graph = helper.make_graph(
        nodes,
        name,
        [float_input("input", w1.shape[0])],
        [helper.make_tensor_value_info("probabilities", TensorProto.FLOAT, [None, classes])],
        [init("W1", w1), init("B1", b1), init("W2", w2), init("B2", b2)],
    )
    return helper.make_model(graph, opset_imports=OPSET, producer_name="build-eval-models")


def softmax_model(weights, bias, name):
    """Multinomial logistic regression: softmax(x·W + b), one column per class."""
    nodes = [
        helper.make_node("MatMul", ["input", "W"], ["z0"]),
        helper.make_node("Add", ["z0", "B"], ["z"]),
        helper.make_node("Softmax", ["z"], ["probabilities"], axis=1),
    ]
    graph = helper.make_graph(
        nodes,
        name,
        [float_input("input", weights.shape[0])],
        [helper.make_tensor_value_info("probabilities", TensorProto.FLOAT, [None, weights.shape[1]])],
        [init("W", weights), init("B", bias)],
    )
    return helper.make_model(graph, opset_imports=OPSET, producer_name="build-eval-models")


def linear_model(weights, bias, name):
    """x·w + b: one regression output column."""
    nodes = [
        helper.make_node("MatMul", ["input", "W"], ["y0"]),
        helper.make_node("Add", ["y0", "B"], ["variable"]),
    ]
    graph = helper.make_graph(
        nodes,
        name,
        [float_input("input", len(weights))],
        [helper.make_tensor_value_info("variable", TensorProto.FLOAT, [None, 1])],
        [init("W", np.reshape(weights, (-1, 1))), init("B", [bias])],
    )
    return helper.make_model(graph, opset_imports=OPSET, producer_name="build-eval-models")


def zipmap_model(weights, bias, name, zipmap, class_labels=(0, 1)):
    """As sklearn-onnx writes a binary LogisticRegression: an int64 `label` output (ArgMax) and
    `probabilities`, either a [N, 2] tensor (zipmap=False) or a seq(map(int64, float)) (ZipMap)."""
    w = np.stack([-np.asarray(weights), np.asarray(weights)], axis=1) / 2.0
    b = np.asarray([-bias / 2.0, bias / 2.0])
    probs = "probability_tensor" if zipmap else "probabilities"
    nodes = [
        helper.make_node("MatMul", ["float_input", "W"], ["z0"]),
        helper.make_node("Add", ["z0", "B"], ["z"]),
        helper.make_node("Softmax", ["z"], [probs], axis=1),
        helper.make_node("ArgMax", [probs], ["label"], axis=1, keepdims=0),
    ]
    if zipmap:
        nodes.append(
            helper.make_node(
                "ZipMap", [probs], ["probabilities"], domain="ai.onnx.ml", classlabels_int64s=list(class_labels)
            )
        )
        # onnx 1.12 (Debian 12) has no make_map_type_proto: fill the map type by hand.
        map_type = onnx.TypeProto()
        map_type.map_type.key_type = TensorProto.INT64
        map_type.map_type.value_type.CopyFrom(helper.make_tensor_type_proto(TensorProto.FLOAT, []))
        probs_type = helper.make_sequence_type_proto(map_type)
        probs_out = helper.make_value_info("probabilities", probs_type)
    else:
        probs_out = helper.make_tensor_value_info("probabilities", TensorProto.FLOAT, [None, 2])
    graph = helper.make_graph(
        nodes,
        name,
        [float_input("float_input", len(weights))],
        [helper.make_tensor_value_info("label", TensorProto.INT64, [None]), probs_out],
        [init("W", w), init("B", b)],
    )
    return helper.make_model(graph, opset_imports=ML_OPSET, producer_name="build-eval-models")


# ---------------------------------------------------------------- numpy forward passes (float32, as ORT)


def f32(a):
    return np.asarray(a, dtype=np.float32)


def sigmoid(z):
    return 1.0 / (1.0 + np.exp(-z))


def softmax(z):
    e = np.exp(z - z.max(axis=1, keepdims=True))
    return e / e.sum(axis=1, keepdims=True)


# ---------------------------------------------------------------- metrics (independent formulas)


def auc_rank(y, s):
    """ROC AUC as the Mann-Whitney U statistic over average ranks (ties count one half)."""
    ranks = rankdata(s)
    pos = y == 1
    n1, n0 = pos.sum(), (~pos).sum()
    return float((ranks[pos].sum() - n1 * (n1 + 1) / 2) / (n1 * n0))


def average_precision(y, s):
    """Σ_n (R_n − R_{n−1}) P_n over the distinct thresholds, highest first (sklearn's definition)."""
    total_pos = (y == 1).sum()
    ap, prev_recall = 0.0, 0.0
    for t in sorted(set(s.tolist()), reverse=True):
        sel = s >= t
        tp = (y[sel] == 1).sum()
        precision = tp / sel.sum()
        recall = tp / total_pos
        ap += (recall - prev_recall) * precision
        prev_recall = recall
    return float(ap)


def prf(y, pred, classes):
    per = []
    for c in classes:
        tp = int(((pred == c) & (y == c)).sum())
        fp = int(((pred == c) & (y != c)).sum())
        fn = int(((pred != c) & (y == c)).sum())
        p = tp / (tp + fp) if tp + fp else 0.0
        r = tp / (tp + fn) if tp + fn else 0.0
        f = 2 * p * r / (p + r) if p + r else 0.0
        per.append({"class": str(c), "precision": p, "recall": r, "f1": f, "support": int((y == c).sum())})
    support = np.array([c["support"] for c in per], dtype=float)
    macro = {k: float(np.mean([c[k] for c in per])) for k in ("precision", "recall", "f1")}
    weighted = {k: float(np.dot([c[k] for c in per], support) / support.sum()) for k in ("precision", "recall", "f1")}
    return per, macro, weighted


def calibration(conf, correct, bins=10):
    idx = np.minimum(np.floor(conf * bins).astype(int), bins - 1)
    ece = 0.0
    for b in range(bins):
        m = idx == b
        if m.any():
            ece += m.sum() / len(conf) * abs(conf[m].mean() - correct[m].mean())
    return float(ece)


def confusion(y, pred, classes):
    return [[int(((y == a) & (pred == p)).sum()) for p in classes] for a in classes]


def binary_metrics(y, p1):
    pred = (p1 >= THRESHOLD).astype(int)
    per, macro, weighted = prf(y, pred, [0, 1])
    pt = np.where(y == 1, p1, 1 - p1)
    return {
        "rows": int(len(y)),
        "accuracy": float((pred == y).mean()),
        "precision": per[1]["precision"],
        "recall": per[1]["recall"],
        "f1": per[1]["f1"],
        "perClass": per,
        "macro": macro,
        "weighted": weighted,
        "rocAuc": auc_rank(y, p1),
        "prAuc": average_precision(y, p1),
        "logLoss": float(-np.mean(np.log(np.clip(pt, 1e-15, 1)))),
        "brier": float(np.mean((p1 - y) ** 2)),
        "ece": calibration(p1, (y == 1).astype(float)),
        "confusionMatrix": confusion(y, pred, [0, 1]),
    }


def multiclass_metrics(y, probs):
    k = probs.shape[1]
    pred = probs.argmax(axis=1)
    per, macro, weighted = prf(y, pred, list(range(k)))
    onehot = np.eye(k)[y]
    pt = probs[np.arange(len(y)), y]
    return {
        "rows": int(len(y)),
        "accuracy": float((pred == y).mean()),
        "perClass": per,
        "macro": macro,
        "weighted": weighted,
        "rocAuc": float(np.mean([auc_rank((y == c).astype(int), probs[:, c]) for c in range(k)])),
        "prAuc": float(np.mean([average_precision((y == c).astype(int), probs[:, c]) for c in range(k)])),
        "logLoss": float(-np.mean(np.log(np.clip(pt, 1e-15, 1)))),
        "brier": float(np.mean(((probs - onehot) ** 2).sum(axis=1))),
        "ece": calibration(probs.max(axis=1), (pred == y).astype(float)),
        "confusionMatrix": confusion(y, pred, list(range(k))),
    }


def regression_metrics(y, yhat):
    err = y - yhat
    return {
        "rows": int(len(y)),
        "mae": float(np.mean(np.abs(err))),
        "rmse": float(math.sqrt(np.mean(err**2))),
        "mape": float(np.mean(np.abs(err) / np.maximum(np.abs(y), np.finfo(np.float64).eps))),
        "r2": float(1 - np.sum(err**2) / np.sum((y - y.mean()) ** 2)),
    }


def fairness(y, p1, groups, privileged):
    pred = (p1 >= THRESHOLD).astype(int)

    def rates(m):
        yy, pp = y[m], pred[m]
        return {
            "count": int(m.sum()),
            "positives": int((yy == 1).sum()),
            "selectionRate": float(pp.mean()),
            "truePositiveRate": float(((pp == 1) & (yy == 1)).sum() / (yy == 1).sum()),
            "falsePositiveRate": float(((pp == 1) & (yy == 0)).sum() / (yy == 0).sum()),
        }

    per = {g: rates(groups == g) for g in sorted(set(groups.tolist()))}
    priv = per[privileged]
    comparisons = {}
    for g, r in per.items():
        if g == privileged:
            continue
        comparisons[g] = {
            "statisticalParityDifference": r["selectionRate"] - priv["selectionRate"],
            "disparateImpact": r["selectionRate"] / priv["selectionRate"],
            "equalOpportunityDifference": r["truePositiveRate"] - priv["truePositiveRate"],
            "averageOddsDifference": 0.5
            * ((r["falsePositiveRate"] - priv["falsePositiveRate"]) + (r["truePositiveRate"] - priv["truePositiveRate"])),
        }
    return {"privileged": privileged, "groups": per, "comparisons": comparisons}


def mulberry32(seed):
    """The runtime's seeded generator (runtime/model/bootstrap.ts), in 32-bit Python arithmetic."""
    a = seed & 0xFFFFFFFF

    def imul(x, y):
        return (x * y) & 0xFFFFFFFF

    def random():
        nonlocal a
        a = (a + 0x6D2B79F5) & 0xFFFFFFFF
        t = a
        t = imul(t ^ (t >> 15), t | 1)
        t = (t ^ ((t + imul(t ^ (t >> 7), t | 61)) & 0xFFFFFFFF)) & 0xFFFFFFFF
        return ((t ^ (t >> 14)) & 0xFFFFFFFF) / 4294967296

    return random


def paired_bootstrap_auc(y, cand, champ, resamples, confidence, seed):
    """Percentile interval of AUC(candidate) − AUC(champion) over resamples drawn with the runtime's
    generator; each resample's rows are repeated by their multiplicity and ranked afresh."""
    random = mulberry32(seed)
    n = len(y)
    deltas = []
    for _ in range(resamples):
        idx = np.array([math.floor(random() * n) for _ in range(n)])
        yy = y[idx]
        if yy.min() == yy.max():
            continue
        deltas.append(auc_rank(yy, cand[idx]) - auc_rank(yy, champ[idx]))
    alpha = (1 - confidence) / 2
    return {
        "estimate": auc_rank(y, cand) - auc_rank(y, champ),
        "lower": float(np.percentile(deltas, 100 * alpha)),
        "upper": float(np.percentile(deltas, 100 * (1 - alpha))),
        "resamples": resamples,
        "confidence": confidence,
        "seed": seed,
    }


def check_margins(scores, y, label):
    """Expected values must not hinge on the last float32 bit (ORT and numpy may round differently):
    no positive and negative whose scores differ by less than 1e-6 (their order sets ROC and PR AUC),
    and no score within 1e-6 of the threshold. Exact ties are kept: they test the tie handling."""
    order = np.argsort(scores, kind="stable")
    s, yy = scores[order], y[order]
    gap = np.diff(s)
    close = (gap > 0) & (gap < 1e-6) & (yy[1:] != yy[:-1])
    assert not close.any(), f"{label}: a positive and a negative score closer than 1e-6; change the seed"
    assert np.min(np.abs(scores - THRESHOLD)) > 1e-6, f"{label}: a score sits on the threshold"


def write_csv(path, header, rows):
    with open(os.path.join(OUT, path), "w") as f:
        f.write(",".join(header) + "\n")
        for row in rows:
            f.write(",".join(row) + "\n")


def fmt(v):
    return f"{v:.3f}"


# ---------------------------------------------------------------- data and expectations


def main():
    os.makedirs(OUT, exist_ok=True)
    expected = {}

    # Binary classification holdout: four features, a protected group, a 0/1 label.
    n = 400
    group = np.where(rng.random(n) < 0.4, "b", "a")
    x = np.round(rng.normal(0, 1, (n, 4)) + np.where(group == "b", -0.4, 0.0)[:, None], 3)
    true_w = np.array([1.2, -0.8, 0.5, 0.0])
    y = (rng.random(n) < sigmoid(x @ true_w + 0.2)).astype(int)
    write_csv(
        "binary.csv",
        ["x0", "x1", "x2", "x3", "group", "label"],
        [[fmt(v) for v in x[i]] + [group[i], str(y[i])] for i in range(n)],
    )
    xf = f32(x)

    logreg_w, logreg_b = f32([1.1, -0.7, 0.45, 0.05]), np.float32(0.15)
    save(logistic_model(logreg_w, logreg_b, "logreg"), "logreg.onnx")
    p_logreg = sigmoid(xf @ logreg_w + logreg_b).astype(np.float64)
    check_margins(p_logreg, y, "logreg")

    champ_w, champ_b = f32([0.6, -0.2, 0.1, 0.3]), np.float32(0.0)
    save(logistic_model(champ_w, champ_b, "champion"), "champion.onnx")
    p_champ = sigmoid(xf @ champ_w + champ_b).astype(np.float64)
    check_margins(p_champ, y, "champion")

    w1 = f32(rng.normal(0, 0.8, (4, 8)))
    b1 = f32(rng.normal(0, 0.1, 8))
    w2 = f32(rng.normal(0, 0.8, (8, 2)))
    b2 = f32([0.0, 0.1])
    save(mlp_model(w1, b1, w2, b2, 2, "mlp"), "mlp.onnx")
    h = np.maximum(xf @ w1 + b1, 0)
    p_mlp = softmax((h @ w2 + b2).astype(np.float64))
    check_margins(p_mlp[:, 1], y, "mlp")

    save(zipmap_model(logreg_w, logreg_b, "zipmap", True), "zipmap.onnx")
    save(zipmap_model(logreg_w, logreg_b, "nozipmap", False), "label-probabilities.onnx")
    # The same classifier whose classes are called 3 and 7 (the tests relabel the holdout to match).
    save(zipmap_model(logreg_w, logreg_b, "zipmap37", True, (3, 7)), "zipmap-3-7.onnx")
    zw = np.stack([-logreg_w, logreg_w], axis=1) / 2
    zb = np.array([-logreg_b / 2, logreg_b / 2], dtype=np.float32)
    p_zip = softmax((xf @ f32(zw) + zb).astype(np.float64))[:, 1]
    check_margins(p_zip, y, "label-probabilities")

    expected["logreg"] = binary_metrics(y, p_logreg)
    expected["champion"] = binary_metrics(y, p_champ)
    expected["mlp"] = binary_metrics(y, p_mlp[:, 1])
    expected["labelProbabilities"] = binary_metrics(y, p_zip)
    expected["championBootstrap"] = paired_bootstrap_auc(y, p_logreg, p_champ, 1000, 0.95, 42)
    expected["logregFairness"] = fairness(y, p_logreg, group, "a")
    expected["logregPredictions"] = [float(v) for v in p_logreg]

    # Multi-class holdout: four features, three classes.
    m = 300
    xm = np.round(rng.normal(0, 1, (m, 4)), 3)
    true_wm = np.array([[1.0, -1.0, 0.0], [0.0, 1.0, -1.0], [-0.5, 0.0, 0.5], [0.2, 0.2, -0.4]])
    pm_true = softmax(xm @ true_wm)
    ym = np.array([rng.choice(3, p=pm_true[i]) for i in range(m)])
    write_csv("multiclass.csv", ["f0", "f1", "f2", "f3", "species"], [[fmt(v) for v in xm[i]] + [str(ym[i])] for i in range(m)])
    wm = f32(true_wm * 0.9 + rng.normal(0, 0.1, (4, 3)))
    bm = f32([0.05, -0.05, 0.0])
    save(softmax_model(wm, bm, "multiclass"), "multiclass.onnx")
    p_multi = softmax((f32(xm) @ wm + bm).astype(np.float64))
    expected["multiclass"] = multiclass_metrics(ym, p_multi)

    # Regression holdout: three features and a positive target.
    r = 200
    xr = np.round(rng.normal(0, 1, (r, 3)), 3)
    yr = np.round(10 + xr @ np.array([2.0, -1.0, 0.5]) + rng.normal(0, 0.5, r), 3)
    write_csv("regression.csv", ["a", "b", "c", "target"], [[fmt(v) for v in xr[i]] + [fmt(yr[i])] for i in range(r)])
    wr, br = f32([1.9, -1.1, 0.55]), np.float32(10.1)
    save(linear_model(wr, br, "linear"), "linear.onnx")
    yhat = (f32(xr) @ wr + br).astype(np.float64)
    expected["linear"] = regression_metrics(yr, yhat)

    with open(os.path.join(OUT, "expected.json"), "w") as f:
        json.dump(expected, f, indent=1)
        f.write("\n")


if __name__ == "__main__":
    main()
