"""Offsets in the units the caller counts in.

The rules work in Python str indices (code points). JavaScript counts UTF-16 code units, so
every emoji or other astral character before a span shifts it by one there; the companion's
API answers in UTF-16, since its consumers are JavaScript.
"""
from __future__ import annotations

from itertools import accumulate

OFFSET_UNITS = ("python", "utf16")


class OffsetMap:
    """Python str index -> UTF-16 code unit index (what JavaScript's String uses)."""

    def __init__(self, text: str):
        self.table = None if text.isascii() or max(map(ord, text)) <= 0xFFFF else \
            [0, *accumulate(2 if ord(c) > 0xFFFF else 1 for c in text)]

    def __call__(self, index: int) -> int:
        return index if self.table is None else self.table[index]


def converter(text: str, offsets: str):
    """A function from Python str indices to `offsets` ("python" or "utf16") for this text."""
    if offsets not in OFFSET_UNITS:
        raise ValueError(f"offsets must be one of {OFFSET_UNITS}, not {offsets!r}")
    return OffsetMap(text) if offsets == "utf16" else (lambda i: i)
