"""Learning from the user's corrections, on this machine.

Two layers:
- **At once, exactly**: a correction applies to the same text (by digest) from the next
  request on, whatever the model says.
- **Over time, by similarity**: each correction is a prototype (its hashed n-grams, see
  `features.py`). A post's score for a label moves towards the users' verdict on the corrected
  posts that resemble it, weighted by similarity, and more the more such corrections there
  are: `score + strength * (vote - score)`, with `vote` the similarity-weighted share of
  corrections that set the label and `strength = min(1, sum of similarities / SUPPORT)`.

The guard: only corrections with cosine similarity >= GUARD count at all, so a post that
shares nothing but common words with the corrected ones keeps the model's labels. A refit is
a pass over the stored rows (tens of microseconds per correction), done after each change.
scripts/simulate_corrections.py measures both the gain and the drift (docs/CORRECTIONS.md).
"""
from __future__ import annotations

from dataclasses import dataclass

from companion.store.features import digest, features, unpack

GUARD = 0.3
SUPPORT = 0.8


@dataclass(frozen=True)
class Prototype:
    vector: dict[int, float]
    labels: dict[str, bool]


class Learner:
    def __init__(self, thresholds: dict[str, float]):
        self.thresholds = thresholds
        self.exact: dict[str, dict[str, bool]] = {}
        self.ids: dict[str, list[int]] = {}   # digest -> ids of its corrections (to undo them)
        self.prototypes: list[Prototype] = []
        self.index: dict[int, list[tuple[int, float]]] = {}

    def refit(self, rows) -> None:
        """`rows`: (digest, labels, packed features or None[, correction id]), oldest first
        (Store.learning_rows)."""
        exact: dict[str, dict[str, bool]] = {}
        ids: dict[str, list[int]] = {}
        prototypes = []
        index: dict[int, list[tuple[int, float]]] = {}
        for key, labels, packed, *row_id in rows:
            exact.setdefault(key, {}).update(labels)   # a later correction of a label wins
            ids.setdefault(key, []).extend(row_id)
            if packed:
                prototype = Prototype(unpack(packed), labels)
                for bucket, weight in prototype.vector.items():
                    index.setdefault(bucket, []).append((len(prototypes), weight))
                prototypes.append(prototype)
        self.exact, self.ids, self.prototypes, self.index = exact, ids, prototypes, index

    def similar(self, vector: dict[int, float]) -> list[tuple[float, Prototype]]:
        """Prototypes at cosine >= GUARD, through the inverted index (cost: the postings of
        the post's own n-grams, not the number of corrections)."""
        sims: dict[int, float] = {}
        for bucket, weight in vector.items():
            for i, other in self.index.get(bucket, ()):
                sims[i] = sims.get(i, 0.0) + weight * other
        return [(s, self.prototypes[i]) for i, s in sims.items() if s >= GUARD]

    def _flag(self, name: str, score: float) -> dict:
        return {"score": round(score, 4), "flag": bool(score >= self.thresholds[name])}

    def adjust(self, text: str, labels: dict, learning: bool = True) -> tuple[dict, dict | None]:
        """(labels after the user's corrections, how: {"source": "corrected", "corrections":
        [ids]}, {"source": "learned"} or None)."""
        key = digest(text)
        fixed = self.exact.get(key)
        if fixed:
            out = dict(labels)
            for name, value in fixed.items():
                if name in out:
                    out[name] = {"score": 1.0 if value else 0.0, "flag": value}
            return out, {"source": "corrected", "corrections": self.ids.get(key, [])}
        if not learning or not self.prototypes:
            return labels, None
        near = self.similar(features(text))
        if not near:
            return labels, None
        out, changed = dict(labels), False
        for name in labels:
            votes = [(s, p.labels[name]) for s, p in near if name in p.labels]
            if not votes:
                continue
            weight = sum(s for s, _ in votes)
            vote = sum(s for s, y in votes if y) / weight
            strength = min(1.0, weight / SUPPORT)
            score = labels[name]["score"]
            out[name] = self._flag(name, score + strength * (vote - score))
            changed = True
        return out, {"source": "learned"} if changed else None
