"""Read the public datasets in ../shared/data/raw as posts with stable ids.

Ids follow the scheme of ../shared/data/train.jsonl ("<family>:<row id>", where the family
also carries the source's own label: congress1 = annotated self-promotion, ytspam1 = spam,
pinterest_undisclosed = no affiliate disclosure, ...), so labels made here can be joined
back to the text by id alone. Texts are cleaned the same way as train.jsonl: HTML entities
decoded, markup and zero-width characters removed, whitespace folded.
"""
from __future__ import annotations

import csv
import html
import json
import re
import sys
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

from companion.labels import LABEL_NAMES

SHARED_DATA = Path(__file__).resolve().parents[3] / "shared" / "data"
RAW = SHARED_DATA / "raw"
LABELS = LABEL_NAMES

csv.field_size_limit(sys.maxsize)

_TAG = re.compile(r"<[^>]+>")
_ZERO_WIDTH = re.compile("[\u200b\u2060\ufeff]")
_SPACE = re.compile(r"\s+")
_PROMO_MINED = re.compile(
    r"link in (?:my )?bio|use (?:my )?code|promo code|check out my|my new (?:single|album|book|video|song)"
    r"|subscribe|shop now|on sale|dm (?:me|for)|order now|new in store|available now|book now",
    re.IGNORECASE,
)


@dataclass(frozen=True)
class RawPost:
    id: str
    text: str
    source: str
    # The source's own label, e.g. {"spam": 1}: input for weak rules, never ground truth.
    meta: dict = field(default_factory=dict, hash=False, compare=False)


def clean_text(text: str) -> str:
    text = html.unescape(html.unescape(text))
    text = _TAG.sub(" ", text)
    text = _ZERO_WIDTH.sub("", text)
    return _SPACE.sub(" ", text).strip()


def _csv_rows(path: Path, header: bool = True) -> Iterator[tuple[int, dict | list]]:
    with path.open(newline="", encoding="utf-8") as f:
        reader = csv.DictReader(f) if header else csv.reader(f)
        yield from enumerate(reader)


def congress() -> Iterator[RawPost]:
    for i, row in _csv_rows(RAW / "congress_self_promotion_wang2021" / "annotations.csv"):
        label = int(row["label"])
        yield RawPost(f"congress{label}:{i}", clean_text(row["text"]), "congress_tweet", {"self_promotion": label})


def hackernews() -> Iterator[RawPost]:
    for _, row in _csv_rows(RAW / "hackernews_show_ask_titles" / "hacker_news.csv"):
        title = row["title"]
        kind = "show" if title.startswith("Show HN") else "ask" if title.startswith("Ask HN") else "other"
        yield RawPost(f"hn_{kind}:{row['id']}", clean_text(title), "hackernews_title", {"kind": kind})


def instasynth() -> Iterator[RawPost]:
    path = RAW / "instasynth_synthetic_captions" / "synthetic_captions_only.csv"
    for i, row in _csv_rows(path):
        yield RawPost(f"instasynth:{i}", clean_text(row["caption"]), "instagram_synthetic",
                      {"sponsored": int(row["sponsored"])})


def _mathur(kind: str, filename: str, source: str) -> Iterator[RawPost]:
    for _, row in _csv_rows(RAW / "mathur_affiliate_disclosures" / filename):
        disclosed = int(row["disclosure_present"])
        family = f"{kind}_{'disclosed' if disclosed else 'undisclosed'}"
        yield RawPost(f"{family}:{row['id']}", clean_text(row["text"]), source,
                      {"disclosure_present": disclosed, "regex_disclosure_hint": int(row["regex_disclosure_hint"])})


def pinterest() -> Iterator[RawPost]:
    return _mathur("pinterest", "derived_pinterest_affiliate_pin_descriptions.csv", "pinterest_pin")


def youtube_descriptions() -> Iterator[RawPost]:
    return _mathur("youtube_desc", "derived_youtube_affiliate_video_descriptions.csv", "youtube_description")


def youtube_comments() -> Iterator[RawPost]:
    folder = RAW / "youtube_spam_collection"
    paths = sorted(folder.glob("*.csv")) + sorted((folder / "extra_2014_handlabeled").glob("*.csv"))
    for path in paths:
        for _, row in _csv_rows(path):
            spam = int(row.get("CLASS", row.get("TAG", 0)))
            yield RawPost(f"ytspam{spam}:{row['COMMENT_ID']}", clean_text(row["CONTENT"]), "youtube_comment",
                          {"spam": spam})


def tweet_acts() -> Iterator[RawPost]:
    for i, row in _csv_rows(RAW / "tweet_acts_saha2019" / "TWEET_DATA.csv", header=False):
        text, act = row[0], row[1]
        family = "tweetacts_q" if act in ("QUE", "SUG", "REQ") else "tweetacts_s"
        yield RawPost(f"{family}:{i}", clean_text(text), "tweet", {"act": act})


def _known_tweeteval_families() -> dict[str, str]:
    """The family the shared labelled sets gave each TweetEval line (their promo miner is not ours)."""
    known = {}
    for name in ("train.jsonl", "dev.jsonl"):
        path = SHARED_DATA / name
        if path.exists():
            for row in read_labelled(path):
                family, _, key = row["id"].partition(":")
                if family.startswith("tweeteval"):
                    known[key] = family
    return known


def tweeteval() -> Iterator[RawPost]:
    root = RAW / "tweeteval"
    known = _known_tweeteval_families()
    for task in ("emoji", "emotion", "irony", "offensive", "sentiment"):
        for split in ("train", "val", "test"):
            path = root / task / f"{split}_text.txt"
            if not path.exists():
                continue
            for i, line in enumerate(path.read_text(encoding="utf-8").splitlines()):
                text = clean_text(line)
                if not text or text == "[held out]":
                    continue
                key = f"{task}-{split}-{i}"
                promo = known[key] == "tweeteval_promo" if key in known else bool(_PROMO_MINED.search(text))
                family, source = ("tweeteval_promo", "tweet_promo_mined") if promo else ("tweeteval", "tweet")
                yield RawPost(f"{family}:{key}", text, source, {"task": task})


def sms() -> Iterator[RawPost]:
    with (RAW / "sms_spam_collection" / "SMSSpamCollection.tsv").open(encoding="utf-8") as f:
        next(f)
        for i, line in enumerate(f):
            label, _, text = line.rstrip("\n").partition("\t")
            yield RawPost(f"sms_{label}:{i}", clean_text(text), "sms", {"spam": int(label == "spam")})


SOURCES = {
    "congress": congress,
    "hackernews": hackernews,
    "instasynth": instasynth,
    "pinterest": pinterest,
    "youtube_descriptions": youtube_descriptions,
    "youtube_comments": youtube_comments,
    "tweet_acts": tweet_acts,
    "tweeteval": tweeteval,
    "sms": sms,
}


def all_posts() -> Iterator[RawPost]:
    for load in SOURCES.values():
        for post in load():
            if post.text:
                yield post


def read_labelled(path: Path) -> list[dict]:
    with path.open(encoding="utf-8") as f:
        return [json.loads(line) for line in f if line.strip()]


def dedup_key(text: str) -> str:
    """A key under which near-duplicates collide: case, links, digits and punctuation dropped."""
    text = re.sub(r"https?://\S+|www\.\S+", " ", text.lower())
    text = re.sub(r"[^a-z ]+", " ", text)
    return " ".join(text.split())[:200]
