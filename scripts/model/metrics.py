"""Precision, recall and F1 per label, macro-F1, and per-label threshold tuning."""
from __future__ import annotations

import numpy as np

from companion.labels import LABEL_NAMES

LABELS = LABEL_NAMES


def prf(gold: np.ndarray, pred: np.ndarray) -> dict[str, float]:
    tp = float(np.sum((gold == 1) & (pred == 1)))
    fp = float(np.sum((gold == 0) & (pred == 1)))
    fn = float(np.sum((gold == 1) & (pred == 0)))
    p = tp / (tp + fp) if tp + fp else 0.0
    r = tp / (tp + fn) if tp + fn else 0.0
    f = 2 * p * r / (p + r) if p + r else 0.0
    return {"precision": round(p, 4), "recall": round(r, 4), "f1": round(f, 4), "support": int(gold.sum())}


def report(gold: np.ndarray, pred: np.ndarray, labels=LABELS) -> dict:
    per = {name: prf(gold[:, j], pred[:, j]) for j, name in enumerate(labels)}
    return {"labels": per, "macro_f1": round(float(np.mean([v["f1"] for v in per.values()])), 4)}


def by_source(gold: np.ndarray, pred: np.ndarray, sources: list[str], labels=LABELS) -> dict:
    """Per source: P/R/F1 per label and macro-F1 over the labels that source has positives
    for (a label with no gold positives there has no F1; its false alarms still show as
    `false_alarms`)."""
    out = {}
    for source in sorted(set(sources)):
        rows = [i for i, s in enumerate(sources) if s == source]
        per = {name: {**prf(gold[rows, j], pred[rows, j]),
                      "false_alarms": int(np.sum((gold[rows, j] == 0) & (pred[rows, j] == 1)))}
               for j, name in enumerate(labels)}
        scored = [v["f1"] for v in per.values() if v["support"]]
        out[source] = {"posts": len(rows), "labels": per,
                       "macro_f1": round(float(np.mean(scored)), 4) if scored else None}
    return out


def tune_thresholds(gold: np.ndarray, probs: np.ndarray, labels=LABELS) -> dict[str, float]:
    """Per label, the threshold in [0.05, 0.95] with the best F1 (ties: the one nearest 0.5)."""
    grid = np.round(np.arange(0.05, 0.951, 0.01), 2)
    best = {}
    for j, name in enumerate(labels):
        scores = [(prf(gold[:, j], (probs[:, j] >= t).astype(int))["f1"], -abs(t - 0.5), t) for t in grid]
        best[name] = float(max(scores)[2])
    return best
