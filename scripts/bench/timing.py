"""Timing calls the same way for every alternative: round-robin passes, posts/s as the median
over passes, latency percentiles over every call (scripts.bench.model, scripts.bench.browser)."""
from __future__ import annotations

import time
from collections.abc import Callable, Sequence

import numpy as np


def rotated(items: list, turn: int) -> list:
    turn %= len(items)
    return items[turn:] + items[:turn]


def call_times(fn: Callable[[Sequence[str]], object], texts: Sequence[str], size: int | None) -> list[float]:
    """Seconds per call, `size` posts a call (None: all in one call); a short tail is left out."""
    size = size or len(texts)
    times = []
    for start in range(0, len(texts) - size + 1, size):
        chunk = texts[start: start + size]
        begin = time.perf_counter()
        fn(chunk)
        times.append(time.perf_counter() - begin)
    return times


def summarize(passes: list[list[float]], size: int | None, total: int) -> dict:
    """posts/s: median over passes; latency percentiles: over every call of every pass."""
    size = size or total
    calls = [t for p in passes for t in p]
    rates = [len(p) * size / sum(p) for p in passes]
    return {"posts_per_s": round(float(np.median(rates)), 1),
            "posts_per_s_each_pass": [round(r, 1) for r in rates],
            "p50_ms": round(float(np.percentile(calls, 50)) * 1000, 2),
            "p95_ms": round(float(np.percentile(calls, 95)) * 1000, 2),
            "calls": len(calls), "posts_per_call": size}


def compare(entries: dict[str, tuple[Callable, int | None]], texts: Sequence[str], repeats: int) -> dict:
    """Times each entry (fn, posts per call) on the same texts, round-robin over repeats."""
    for fn, size in entries.values():
        fn(texts[: size or len(texts)])  # warm-up: first runs allocate
    passes: dict[str, list] = {name: [] for name in entries}
    for turn in range(repeats):
        for name in rotated(list(entries), turn):
            fn, size = entries[name]
            passes[name].append(call_times(fn, texts, size))
    return {name: summarize(passes[name], entries[name][1], len(texts)) for name in entries}
