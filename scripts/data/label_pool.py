"""Draw batches of unlabelled raw posts for labelling by reading (against ../shared/LABELS.md).

Posts already in train.jsonl or dev.jsonl, and their near-duplicates, are never drawn. The mix
follows the sources of the real-post dev set, leaning towards the labels the model finds hard.
Batches go to a working folder outside git: they hold post text. Labels come back as CSV files
keyed by id (data/labels/), which scripts/data/build_dataset.py joins to the raw text.

    python -m scripts.data.label_pool --batches 13 --size 150 --seed 7 --out .work/label_batches

With --uncertain, each family's candidates are scored by the shipped model and the posts whose
scores sit closest to a label's threshold are drawn first (uncertainty sampling): the labels a
reader adds there are the ones that move the model's decisions.
"""
from __future__ import annotations

import argparse
import json
import random
from collections import defaultdict
from pathlib import Path

import numpy as np

from scripts.data import rawdata

# Posts per batch of 150, by family prefix: "dev" follows the dev set's sources; "conversational"
# leans on the posts where that label (the hardest) is decided.
MIXES = {}
MIXES["dev"] = {
    "tweeteval": 38, "tweetacts_q": 10, "tweetacts_s": 10, "tweeteval_promo": 14,
    "ytspam1": 16, "ytspam0": 10, "pinterest_undisclosed": 14, "pinterest_disclosed": 4,
    "youtube_desc_undisclosed": 8, "youtube_desc_disclosed": 4, "congress1": 8, "congress0": 6,
    "hn_show": 3, "hn_ask": 2, "hn_other": 3,
}
MIXES["conversational"] = {
    "tweeteval": 75, "tweetacts_q": 18, "tweetacts_s": 18, "ytspam0": 15, "ytspam1": 6,
    "tweeteval_promo": 4, "congress0": 6, "congress1": 3, "pinterest_undisclosed": 3, "youtube_desc_undisclosed": 2,
}
SHOWN_CHARS = 1400


def labelled_keys() -> set[str]:
    keys = set()
    for name in ("train.jsonl", "dev.jsonl"):
        for row in rawdata.read_labelled(rawdata.SHARED_DATA / name):
            keys.add(rawdata.dedup_key(row["text"]))
    return keys


def label_files_ids(folder: Path) -> set[str]:
    ids = set()
    for path in folder.glob("*.csv"):
        ids.update(line.split(",", 1)[0] for line in path.read_text().splitlines()[1:])
    return ids


def by_uncertainty(posts: list[rawdata.RawPost], count: int) -> list[rawdata.RawPost]:
    """The first `count` posts, ordered so that pop() gives the one nearest a threshold."""
    from companion.model import Classifier

    head = posts[:count]
    if not head:
        return head
    classifier = Classifier.load()
    logits = classifier.logits([p.text for p in head])
    thresholds = np.array([label.threshold for label in classifier.labels])
    margin = np.abs(logits - np.log(thresholds / (1 - thresholds))).min(axis=1)
    return [head[i] for i in np.argsort(-margin)]


def draw(batches: int, size: int, seed: int, exclude_ids: set[str], mix: dict[str, int],
         uncertain: int = 0) -> list[list[rawdata.RawPost]]:
    taken = labelled_keys()
    by_family = defaultdict(list)
    for post in rawdata.all_posts():
        key = rawdata.dedup_key(post.text)
        if post.id in exclude_ids or key in taken or len(key) < 3:
            continue
        taken.add(key)
        by_family[post.id.split(":")[0]].append(post)
    rng = random.Random(seed)
    for posts in by_family.values():
        rng.shuffle(posts)
    scale = size / sum(mix.values())
    if uncertain:
        for family, n in mix.items():
            wanted = round(n * scale) * batches
            by_family[family] = by_uncertainty(by_family[family], wanted * uncertain)
    out = []
    for _ in range(batches):
        batch = []
        for family, n in mix.items():
            pool = by_family[family]
            batch.extend(pool.pop() for _ in range(min(round(n * scale), len(pool))))
        rng.shuffle(batch)
        out.append(batch)
    return out


def shown(text: str) -> str:
    if len(text) <= SHOWN_CHARS:
        return text
    return text[:1000] + " […] " + text[-300:]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--batches", type=int, default=13)
    parser.add_argument("--size", type=int, default=150)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--mix", choices=sorted(MIXES), default="dev")
    parser.add_argument("--uncertain", type=int, default=0, metavar="K",
                        help="score K times the posts needed per family and draw those nearest a threshold")
    parser.add_argument("--labels", type=Path, default=Path("data/labels"))
    parser.add_argument("--out", type=Path, default=Path(".work/label_batches"))
    args = parser.parse_args()
    args.out.mkdir(parents=True, exist_ok=True)
    existing = sorted(args.out.glob("batch*.jsonl"))
    drawn = {json.loads(line)["id"] for path in existing for line in path.read_text().splitlines()}
    batches = draw(args.batches, args.size, args.seed, label_files_ids(args.labels) | drawn, MIXES[args.mix], args.uncertain)
    for i, batch in enumerate(batches, start=len(existing)):
        with (args.out / f"batch{i:02d}.jsonl").open("w", encoding="utf-8") as f:
            for post in batch:
                f.write(json.dumps({"id": post.id, "source": post.source, "text": shown(post.text)},
                                   ensure_ascii=False) + "\n")
        print(f"batch{i:02d}: {len(batch)} posts")


if __name__ == "__main__":
    main()
