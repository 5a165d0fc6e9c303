"""Evaluate the shipped model and, in the same run, the keyword and TF-IDF baselines.

    python scripts/evaluate.py --data ../shared/data/dev.jsonl [--model-dir models] [--out FILE]

Prints JSON: precision, recall and F1 per label and macro-F1 for each system, the shipped
model at its shipped thresholds (labels.json). The TF-IDF baseline needs scikit-learn (the
training extra) and is skipped, with a note, without it.
"""
from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import baselines  # noqa: E402
import metrics  # noqa: E402
import rawdata  # noqa: E402
from companion.model import Classifier  # noqa: E402


def read_gold(path: Path) -> tuple[list[str], np.ndarray]:
    rows = rawdata.read_labelled(path)
    missing = [i + 1 for i, r in enumerate(rows) if any(n not in r for n in ("text", *metrics.LABELS))]
    if missing:
        raise SystemExit(f"{path}: lines {missing[:5]} lack text or a label")
    return [r["text"] for r in rows], np.array([[int(r[n]) for n in metrics.LABELS] for r in rows])


def evaluate(data: Path, model_dir: Path | None = None, train: Path | None = None) -> dict:
    texts, gold = read_gold(data)
    classifier = Classifier.load(model_dir)
    started = time.perf_counter()
    results = classifier.predict(texts)
    elapsed = time.perf_counter() - started
    pred = np.array([[int(r[n]["flag"]) for n in metrics.LABELS] for r in results])
    report = {"data": str(data), "posts": len(texts),
              "model": {"name": classifier.name, "version": classifier.version,
                        **metrics.report(gold, pred), "seconds": round(elapsed, 2)},
              "keyword_baseline": metrics.report(gold, baselines.keyword_predict(texts))}
    train = train or rawdata.SHARED_DATA / "train.jsonl"
    try:
        train_texts, train_gold = read_gold(train)
        report["tfidf_lr_baseline"] = metrics.report(gold, baselines.tfidf_lr_predict(train_texts, train_gold, texts))
    except ImportError:
        report["tfidf_lr_baseline"] = {"skipped": "scikit-learn not installed (pip install '.[train]')"}
    return report


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--data", type=Path, required=True, help="JSON Lines with text and the three labels")
    parser.add_argument("--model-dir", type=Path)
    parser.add_argument("--train", type=Path, help="training set for the TF-IDF baseline")
    parser.add_argument("--out", type=Path, help="also write the JSON here")
    args = parser.parse_args()
    report = evaluate(args.data, args.model_dir, args.train)
    text = json.dumps(report, indent=2)
    print(text)
    if args.out:
        args.out.write_text(text + "\n")


if __name__ == "__main__":
    main()
