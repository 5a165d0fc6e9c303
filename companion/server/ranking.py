""""Conversation first" (LABELS.md, Ranking): the order /v1/rank gives a feed."""
from __future__ import annotations

from collections.abc import Iterable, Sequence

CONVERSATIONAL = "conversational"


def conversation_first(ids: Sequence[str], labels: Sequence[dict | None],
                       sink: Iterable[str] = ()) -> list[str]:
    """Highest conversational probability first; posts flagged with a `sink` label go below
    the rest under the same rule, and posts without labels (over budget) last. Python's sort
    is stable, so ties keep the page's order."""
    sink = tuple(sink)

    def standing(i: int) -> tuple[bool, bool, float]:
        if labels[i] is None:
            return True, True, 0.0
        sunk = any(labels[i][name]["flag"] for name in sink)
        return False, sunk, -labels[i][CONVERSATIONAL]["score"]

    return [ids[i] for i in sorted(range(len(ids)), key=standing)]
