"""A teacher for distillation (issue 10, lever 4): the mean probability of several fine-tuned models
(MiniLM-L6 runs, or a larger encoder fine-tuned with `train.py --base`).

    python -m scripts.model.teacher --runs runs/r4_seed7 runs/r4_seed13 [--model-dir models] [--out FILE]
    python -m scripts.model.teacher --runs ... --pool-out runs/soft.jsonl [--per-family 800]

Members: the shipped int8 model (`companion.model.Classifier`) and the PyTorch model of each run
folder (its best epoch, hf/), all over the same model input. Measuring prints, for every member,
the teacher (mean of all members) and the mean of the runs alone, dev P/R/F1 per label and per
source, each at per-label thresholds tuned on dev with `metrics.tune_thresholds` (as train.py does).

--pool-out writes soft labels (the teacher's probabilities) for unlabelled raw posts, drawn at
most --per-family per family (the id's prefix), leaving out every post that a training or dev file
holds or whose text matches a dev post (same dedup key), and every YouTube description: those are
the Mathur sets that `eval_mathur.py` reports on, disclosed and undisclosed alike.
"""
from __future__ import annotations

import argparse
import json
import random
from collections import defaultdict
from pathlib import Path

import numpy as np

from companion.model import Classifier, encode, load_tokenizer
from scripts.data import rawdata
from scripts.model import metrics
from scripts.model.eval_mathur import seen_ids
from scripts.model.evaluate import read_gold, system

LABELS = metrics.LABELS
EXCLUDED_FAMILIES = ("youtube_desc_disclosed", "youtube_desc_undisclosed")


def member_probs(texts: list[str], runs: list[Path], model_dir: Path | None = None) -> dict[str, np.ndarray]:
    from transformers import AutoModelForSequenceClassification
    from scripts.model.train import predict_probs

    shipped = Classifier.load(model_dir)
    out = {"shipped_int8": shipped.scores(texts)}
    # The runs read what the shipped model reads: its window and model input, and its tokenizer
    # unless a run fine-tuned another encoder (train.py --base), whose own tokenizer it needs.
    rows = encode(shipped.tokenizer, texts, shipped.max_length)
    for run in runs:
        base = json.loads((run / "config.json").read_text()).get("base")
        run_rows = encode(load_tokenizer(Path(base) / "tokenizer.json"), texts, shipped.max_length) if base else rows
        model = AutoModelForSequenceClassification.from_pretrained(run / "hf", attn_implementation="eager")
        out[run.name] = predict_probs(model, run_rows)
    return out


def systems(members: dict[str, np.ndarray]) -> dict[str, np.ndarray]:
    runs = [p for name, p in members.items() if name != "shipped_int8"]
    out = dict(members)
    out["teacher_mean_all"] = np.mean(list(members.values()), axis=0)
    if len(runs) > 1:
        out["mean_runs_only"] = np.mean(runs, axis=0)
    return out


def measure(gold: np.ndarray, sources: list[str], probs: np.ndarray) -> dict:
    thresholds = metrics.tune_thresholds(gold, probs)
    pred = np.stack([probs[:, j] >= thresholds[n] for j, n in enumerate(LABELS)], 1).astype(int)
    return {**system(gold, pred, sources), "thresholds": thresholds}


def pool(per_family: int, seed: int = 0) -> list[rawdata.RawPost]:
    dev = rawdata.read_labelled(rawdata.SHARED_DATA / "dev.jsonl")
    dev_keys = {rawdata.dedup_key(r["text"]) for r in dev}
    taken = seen_ids()
    families: dict[str, list] = defaultdict(list)
    keys = set(dev_keys)
    for post in rawdata.all_posts():
        family = post.id.split(":")[0]
        key = rawdata.dedup_key(post.text)
        if family in EXCLUDED_FAMILIES or post.id in taken or key in keys:
            continue
        keys.add(key)
        families[family].append(post)
    rng = random.Random(seed)
    drawn = []
    for family in sorted(families):
        rng.shuffle(families[family])
        drawn.extend(families[family][:per_family])
    return drawn


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--runs", type=Path, nargs="+", required=True, help="training run folders (hf/ inside)")
    parser.add_argument("--model-dir", type=Path, help="the shipped model (default: models/)")
    parser.add_argument("--dev", type=Path, default=rawdata.SHARED_DATA / "dev.jsonl")
    parser.add_argument("--out", type=Path, help="also write the measurement JSON here")
    parser.add_argument("--pool-out", type=Path, help="write soft labels for the raw pool here (JSON Lines)")
    parser.add_argument("--per-family", type=int, default=800)
    parser.add_argument("--runs-only", action="store_true",
                        help="soft labels from the runs alone, without the shipped model (a stronger teacher)")
    args = parser.parse_args()
    if args.pool_out:
        posts = pool(args.per_family)
        members = member_probs([p.text for p in posts], args.runs, args.model_dir)
        if args.runs_only:
            members.pop("shipped_int8")
        probs = np.mean(list(members.values()), axis=0)
        with args.pool_out.open("w", encoding="utf-8") as f:
            for post, p in zip(posts, probs):
                f.write(json.dumps({"id": post.id, "source": post.source, "text": post.text,
                                    "soft": {n: round(float(p[j]), 4) for j, n in enumerate(LABELS)}}) + "\n")
        print(f"{len(posts)} posts soft-labelled by {len(members)} members -> {args.pool_out}")
        return
    texts, gold, sources = read_gold(args.dev)
    report = {"dev": str(args.dev), "posts": len(texts), "members": [r.name for r in args.runs] + ["shipped_int8"],
              "systems": {name: measure(gold, sources, p) for name, p in systems(member_probs(texts, args.runs, args.model_dir)).items()}}
    text = json.dumps(report, indent=2)
    if args.out:
        args.out.write_text(text + "\n")
    for name, r in report["systems"].items():
        print(f"{name:18s} macro {r['macro_f1']:.4f}", {n: v["f1"] for n, v in r["labels"].items()},
              {s: v["macro_f1"] for s, v in r["by_source"].items()})


if __name__ == "__main__":
    main()
