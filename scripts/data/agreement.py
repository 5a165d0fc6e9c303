"""Agreement between independent readings: posts that two readers labelled, F1 of one against the other.

    python -m scripts.data.agreement [--out FILE]
"""
from __future__ import annotations

import argparse
import csv
import json
from collections import defaultdict
from pathlib import Path

import numpy as np


from scripts.data import build_dataset
from scripts.model import metrics
from scripts.data import rawdata


def agreement() -> dict:
    readings: dict[str, dict[str, dict]] = defaultdict(dict)
    for path in sorted(build_dataset.READ_LABELS.glob("read_*.csv")):
        batch, reader = path.stem.split("_")[1:3]
        with path.open(newline="") as f:
            for row in csv.DictReader(f):
                readings[row["id"]][reader] = {n: int(row[n]) for n in rawdata.LABELS}
    result = {}
    pairs = [(pid, list(r.values())[:2]) for pid, r in readings.items() if len(r) >= 2]
    if pairs:
        a = np.array([[p[0][n] for n in rawdata.LABELS] for _, p in pairs])
        b = np.array([[p[1][n] for n in rawdata.LABELS] for _, p in pairs])
        result["our two readers"] = {"posts": len(pairs),
                                     **{n: metrics.prf(a[:, j], b[:, j])["f1"] for j, n in enumerate(rawdata.LABELS)}}
    shared = {r["id"]: r for r in rawdata.read_labelled(rawdata.SHARED_DATA / "train.jsonl")}
    again = [(shared[pid], next(iter(r.values()))) for pid, r in readings.items() if pid in shared]
    if again:
        a = np.array([[s[n] for n in rawdata.LABELS] for s, _ in again])
        b = np.array([[o[n] for n in rawdata.LABELS] for _, o in again])
        result["shared train.jsonl vs our re-reading"] = {
            "posts": len(again), **{n: metrics.prf(a[:, j], b[:, j])["f1"] for j, n in enumerate(rawdata.LABELS)}}
    return result


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--out", type=Path)
    args = parser.parse_args()
    text = json.dumps(agreement(), indent=2)
    print(text)
    if args.out:
        args.out.write_text(text + "\n")
