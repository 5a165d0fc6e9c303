"""What the store keeps of a corrected post when the user has not agreed to keep its text: a
digest (to apply the correction to the same text at once) and hashed word n-grams (for the
learner). Neither gives the text back: the digest is one-way, and a hashed bag of n-grams loses
the order and, through collisions, the words.
"""
from __future__ import annotations

import hashlib
import math
import re
import zlib

DIMENSIONS = 1 << 18
# Words (letters, digits, apostrophes inside), @handles, #tags and link hosts; linear time.
_TOKEN = re.compile(r"[#@]?\w+(?:['’]\w+)*", re.UNICODE)
_URL = re.compile(r"https?://([^/\s]+)\S*")


def digest(text: str) -> str:
    """The key a correction applies to: the same text, whitespace folded and case ignored."""
    folded = " ".join(text.split()).casefold()
    return hashlib.blake2b(folded.encode("utf-8", "surrogatepass"), digest_size=16).hexdigest()


def _tokens(text: str) -> list[str]:
    hosts = ["host:" + m.group(1).lower() for m in _URL.finditer(text)]
    words = [w.casefold() for w in _TOKEN.findall(_URL.sub(" ", text))]
    return words + hosts


def _bucket(gram: str) -> int:
    # CRC-32: stable across processes and machines (stored features must stay comparable;
    # changing this hash needs a schema migration) and ~10x faster than a cryptographic hash.
    return zlib.crc32(gram.encode("utf-8", "surrogatepass")) % DIMENSIONS


def features(text: str) -> dict[int, float]:
    """Word unigrams and bigrams, the first two words as a position feature ("show hn",
    "new video"), and character trigrams of each word (so "congress" and "congressman", or
    "vid" in "video"/"vids", meet), hashed; sublinear counts, L2-normalised.
    Sparse: {bucket: weight}."""
    words = _tokens(text)
    grams = words + [f"{a} {b}" for a, b in zip(words, words[1:])]
    if len(words) >= 2:
        grams.append(f"^{words[0]} {words[1]}")
    for word in words:
        padded = f"<{word}>"
        grams.extend("c:" + padded[i:i + 3] for i in range(len(padded) - 2))
    counts: dict[int, float] = {}
    for gram in grams:
        bucket = _bucket(gram)
        counts[bucket] = counts.get(bucket, 0.0) + 1.0
    weights = {k: 1.0 + math.log(v) for k, v in counts.items()}
    norm = math.sqrt(sum(w * w for w in weights.values())) or 1.0
    return {k: w / norm for k, w in weights.items()}


def pack(vector: dict[int, float]) -> list[list[float]]:
    """JSON-ready: [[bucket, weight], ...], weights rounded to 4 places."""
    return [[k, round(w, 4)] for k, w in sorted(vector.items())]


def unpack(rows) -> dict[int, float]:
    return {int(k): float(w) for k, w in rows}
