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
scripts/model/simulate_corrections.py measures both the gain and the drift (docs/CORRECTIONS.md).
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np

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
        # bucket -> (prototype numbers, weights): a post's similarities in one bincount
        self.index: dict[int, tuple[np.ndarray, np.ndarray]] = {}

    def refit(self, rows) -> None:
        """`rows`: (digest, labels, packed features or None[, correction id]), oldest first
        (Store.learning_rows)."""
        exact: dict[str, dict[str, bool]] = {}
        ids: dict[str, list[int]] = {}
        prototypes = []
        postings: dict[int, tuple[list[int], list[float]]] = {}
        for key, labels, packed, *row_id in rows:
            exact.setdefault(key, {}).update(labels)   # a later correction of a label wins
            ids.setdefault(key, []).extend(row_id)
            if packed:
                prototype = Prototype(unpack(packed), labels)
                for bucket, weight in prototype.vector.items():
                    ids_, weights = postings.setdefault(bucket, ([], []))
                    ids_.append(len(prototypes))
                    weights.append(weight)
                prototypes.append(prototype)
        index = {bucket: (np.array(i, dtype=np.int32), np.array(w, dtype=np.float32))
                 for bucket, (i, w) in postings.items()}
        self.exact, self.ids, self.prototypes, self.index = exact, ids, prototypes, index

    def similar(self, vector: dict[int, float]) -> list[tuple[float, Prototype]]:
        """Prototypes at cosine >= GUARD, through the inverted index (cost: the postings of
        the post's own n-grams, not the number of corrections)."""
        hits = [(self.index[b], w) for b, w in vector.items() if b in self.index]
        if not hits:
            return []
        ids = np.concatenate([ids for (ids, _), _ in hits])
        weights = np.concatenate([weights * w for (_, weights), w in hits])
        sims = np.bincount(ids, weights, minlength=len(self.prototypes))
        return [(float(sims[i]), self.prototypes[i]) for i in np.flatnonzero(sims >= GUARD)]

    def _flag(self, entry: dict, name: str, score: float) -> dict:
        """The label's entry with the new score and flag (other keys, such as decided_by, kept)."""
        return {**entry, "score": round(score, 4), "flag": bool(score >= self.thresholds[name])}

    def adjust(self, text: str, labels: dict, learning: bool = True) -> tuple[dict, dict | None]:
        """(labels after the user's corrections, how: {"source": "corrected", "corrections":
        [ids]}, {"source": "learned"} or None)."""
        key = digest(text)
        fixed = self.exact.get(key)
        if fixed:
            out = dict(labels)
            for name, value in fixed.items():
                if name in out:
                    out[name] = {**out[name], "score": 1.0 if value else 0.0, "flag": value}
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
            out[name] = self._flag(labels[name], name, score + strength * (vote - score))
            changed = True
        return out, {"source": "learned"} if changed else None
