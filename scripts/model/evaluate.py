"""Evaluate what users see (the shipped model through the decision layer) on dev, per label and
per source, beside the model alone and the keyword and TF-IDF baselines, in one run.

    python -m scripts.model.evaluate --data ../shared/data/dev.jsonl [--model-dir models] [--out FILE]

Prints JSON. Every system gets precision, recall and F1 per label and macro-F1, overall and
per source (`metrics.by_source`). `model` is `companion.decision.judge`, the same function
the companion's /v1/classify and `campfire label` answer with; `model_alone` is the model at
its shipped thresholds (labels.json) with no rules, so the decision's effect is visible. The
TF-IDF baseline needs scikit-learn (the training extra) and is skipped, with a note, without it.
"""
from __future__ import annotations

import argparse
import json
import time
from pathlib import Path

import numpy as np

from companion.decision import judge
from companion.model import Classifier
from companion.rules.draftcheck import check_draft
from companion.rules.reading import analyze
from scripts.data import rawdata
from scripts.model import baselines, metrics


def read_gold(path: Path) -> tuple[list[str], np.ndarray, list[str]]:
    rows = rawdata.read_labelled(path)
    missing = [i + 1 for i, r in enumerate(rows) if any(n not in r for n in ("text", *metrics.LABELS))]
    if missing:
        raise SystemExit(f"{path}: lines {missing[:5]} lack text or a label")
    return ([r["text"] for r in rows], np.array([[int(r[n]) for n in metrics.LABELS] for r in rows]),
            [r.get("source", "unknown") for r in rows])


def flags(results: list[dict]) -> np.ndarray:
    return np.array([[int(r[n]["flag"]) for n in metrics.LABELS] for r in results])


def system(gold: np.ndarray, pred: np.ndarray, sources: list[str]) -> dict:
    return {**metrics.report(gold, pred), "by_source": metrics.by_source(gold, pred, sources)}


def draft_advice(texts: list[str], seen: list[dict]) -> dict:
    """Of the posts flagged missing_disclosure, how many the draft checker gives a warning or an
    error (something to act on), so the draft box never shows the label above "No problems found"."""
    flagged = [i for i, r in enumerate(seen) if r["missing_disclosure"]["flag"]]
    advised = sum(any(m["severity"] in ("error", "warning") for m in check_draft(texts[i], seen[i])) for i in flagged)
    return {"flagged": len(flagged), "with_advice": advised}


def evaluate(data: Path, model_dir: Path | None = None, train: Path | None = None) -> dict:
    texts, gold, sources = read_gold(data)
    classifier = Classifier.load(model_dir)
    started = time.perf_counter()
    readings = [analyze(t) for t in texts]
    alone = classifier.predict(texts, readings)
    seen = judge(classifier, texts, readings)
    elapsed = time.perf_counter() - started  # the draft advice below is not timed
    decided = sum(r["missing_disclosure"]["decided_by"] == "rules" for r in seen)
    report = {"data": str(data), "posts": len(texts),
              "model": {"name": classifier.name, "version": classifier.version,
                        **system(gold, flags(seen), sources), "rules_decided": decided,
                        "draft_advice": draft_advice(texts, seen),
                        "seconds": round(elapsed, 2)},
              "model_alone": system(gold, flags(alone), sources),
              "keyword_baseline": system(gold, baselines.keyword_predict(texts), sources)}
    train = train or rawdata.SHARED_DATA / "train.jsonl"
    try:
        train_texts, train_gold, _ = read_gold(train)
        report["tfidf_lr_baseline"] = system(gold, baselines.tfidf_lr_predict(train_texts, train_gold, texts), sources)
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
