"""Assemble the training set: the shared labelled set, our labels by reading, and weak labels.

Sources, in order of trust (a later source never overrides an earlier one for the same post):
1. ../shared/data/train.jsonl — labelled by reading against LABELS.md (one pass); where we
   read a post again (data/labels/read_rb*.csv), our second reading replaces its labels;
2. data/labels/read_*.csv — our labels by reading, keyed by raw-post id (joined to the raw
   text here); where two readers labelled the same post, a label is 1 only if both said 1;
3. weak labels from a source's own labels, only where they map cleanly onto ours, and only
   for the labels they speak to: the others are masked out of the loss (WEAK_RULES).

Near-duplicates of dev posts (same dedup key) are dropped, and so are repeats within the set.
"""
from __future__ import annotations

import csv
import random
from collections import defaultdict
from pathlib import Path

from scripts.data import rawdata

LABELS = rawdata.LABELS
REPO = Path(__file__).resolve().parents[2]
READ_LABELS = REPO / "data" / "labels"

# family -> the labels its source label settles (others stay unknown), and how many to draw.
# Each was checked against the shared train.jsonl, where these families' labels agree with the
# rule on >= 93% of posts (see MODEL_CARD.md).
WEAK_RULES: dict[str, tuple[dict[str, int], int]] = {
    "hn_show": ({"self_promotion": 1, "missing_disclosure": 0, "conversational": 0}, 200),
    "hn_ask": ({"self_promotion": 0, "missing_disclosure": 0, "conversational": 1}, 300),
    "hn_other": ({"self_promotion": 0, "missing_disclosure": 0, "conversational": 0}, 200),
    "congress1": ({"self_promotion": 1, "missing_disclosure": 0}, 500),
    "ytspam0": ({"self_promotion": 0, "missing_disclosure": 0}, 600),
    "tweeteval": ({"missing_disclosure": 0}, 1500),
}


ORIGIN_NOTES = {
    "shared_read": "the shared train.jsonl, read against the label guide (one pass)",
    "shared_reread": "the shared train.jsonl's posts read again by us; our reading replaces theirs",
    "our_read": "raw posts read against the label guide by us (data/labels/read_batch*.csv)",
    "weak": "the source's own label mapped by WEAK_RULES; other labels masked",
    "file": "a labelled file given on the command line",
}


def read_label_files(folder: Path = READ_LABELS, only: set[str] | None = None) -> dict[str, dict[str, int]]:
    """id -> labels; several readers of one post are combined by agreement (AND).

    only: file names to read (to rebuild an earlier run's data); None reads every file."""
    votes: dict[str, list[dict[str, int]]] = defaultdict(list)
    for path in sorted(folder.glob("read_*.csv")):
        if only is not None and path.name not in only:
            continue
        with path.open(newline="") as f:
            for row in csv.DictReader(f):
                votes[row["id"]].append({name: int(row[name]) for name in LABELS})
    return {pid: {name: min(v[name] for v in vs) for name in LABELS} for pid, vs in votes.items()}


def build(use_read: bool = True, use_weak: bool = True, reread: bool = True, seed: int = 13,
          label_files: set[str] | None = None, unread_masked: frozenset[str] = frozenset(),
          held_out: tuple[str, ...] = ()) -> list[dict]:
    """Rows {id, text, source, labels: {name: 0|1}, mask: {name: 0|1}, origin}.

    `unread_masked`: labels to leave out of the loss on the shared posts we did not read again,
    for a label whose one-pass reading disagrees with a second one (models/card/agreement.json).
    `held_out`: texts of posts an evaluation reports on; they and their near-duplicates are left
    out wherever they occur, as dev posts are."""
    dev_keys = {rawdata.dedup_key(r["text"]) for r in rawdata.read_labelled(rawdata.SHARED_DATA / "dev.jsonl")}
    seen = dev_keys | {rawdata.dedup_key(text) for text in held_out}
    rows = []

    def add(pid, text, source, labels, origin):
        key = rawdata.dedup_key(text)
        if key in seen or not text:
            return
        seen.add(key)
        mask = {name: int(name in labels) for name in LABELS}
        rows.append({"id": pid, "text": text, "source": source, "origin": origin,
                     "labels": {name: labels.get(name, 0) for name in LABELS}, "mask": mask})

    read = read_label_files(only=label_files) if use_read else {}
    for r in rawdata.read_labelled(rawdata.SHARED_DATA / "train.jsonl"):
        if reread and r["id"] in read:
            add(r["id"], r["text"], r["source"], read[r["id"]], "shared_reread")
        else:
            add(r["id"], r["text"], r["source"], {name: r[name] for name in LABELS if name not in unread_masked},
                "shared_read")
    weak_pool = defaultdict(list)
    for post in rawdata.all_posts():
        if post.id in read:
            add(post.id, post.text, post.source, read[post.id], "our_read")
        elif use_weak and post.id.split(":")[0] in WEAK_RULES:
            weak_pool[post.id.split(":")[0]].append(post)
    rng = random.Random(seed)
    for family, (labels, count) in WEAK_RULES.items():
        pool = weak_pool[family]
        rng.shuffle(pool)
        for post in pool[:count]:
            add(post.id, post.text, post.source, labels, f"weak:{family}")
    return rows


if __name__ == "__main__":
    from collections import Counter
    data = build()
    print(len(data), Counter(r["origin"] for r in data))
