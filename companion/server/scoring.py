"""Scoring posts fast at the server: a result cache, and micro-batches run off the event loop.

The model is CPU-bound and synchronous, so it runs in one worker thread; the event loop stays
free and /v1/health answers at once under load. Requests that arrive within a few
milliseconds of each other share one model run (a batch of 8-32 posts costs less per post
than several small ones, see PERF_NOTES.md), and a post scored once is not scored again: feeds
re-send the same posts as you scroll back and forth.
"""
from __future__ import annotations

import asyncio
import hashlib
from collections import OrderedDict
from collections.abc import Callable, Sequence
from concurrent.futures import Executor
from dataclasses import dataclass
from typing import Any


@dataclass
class Stats:
    """Counters for tests and benchmarks: proof of caching and batching without timing."""
    model_runs: int = 0       # batches handed to the model
    texts_scored: int = 0     # texts the model read
    cache_hits: int = 0
    cache_misses: int = 0


def text_key(text: str) -> bytes:
    # A digest, not the text: the cache never holds a second copy of what people wrote as key.
    return hashlib.blake2b(text.encode("utf-8", "surrogatepass"), digest_size=16).digest()


class ResultCache:
    """A bounded LRU map from text digest to its result."""

    def __init__(self, max_entries: int):
        self.max_entries = max_entries
        self._entries: OrderedDict[bytes, Any] = OrderedDict()

    def __len__(self) -> int:
        return len(self._entries)

    def get(self, key: bytes) -> Any | None:
        value = self._entries.get(key)
        if value is not None:
            self._entries.move_to_end(key)
        return value

    def put(self, key: bytes, value: Any) -> None:
        self._entries[key] = value
        self._entries.move_to_end(key)
        while len(self._entries) > self.max_entries:
            self._entries.popitem(last=False)


@dataclass
class _Job:
    texts: Sequence[str]
    future: asyncio.Future


class MicroBatcher:
    """Collects texts from concurrent callers and runs them through `run` together.

    `run(unique_texts) -> results` is called in `executor`. A batch closes `max_wait_s` after
    its first job arrives or once it holds `max_texts`; one job is never split.
    """

    def __init__(self, run: Callable[[list[str]], list], executor: Executor,
                 max_wait_s: float, max_texts: int, stats: Stats):
        self.run = run
        self.executor = executor
        self.max_wait_s = max_wait_s
        self.max_texts = max_texts
        self.stats = stats
        self._queue: asyncio.Queue[_Job] = asyncio.Queue()
        self._worker: asyncio.Task | None = None

    def start(self) -> None:
        self._worker = asyncio.create_task(self._work(), name="campfire-batcher")

    async def stop(self) -> None:
        if self._worker:
            self._worker.cancel()
            await asyncio.gather(self._worker, return_exceptions=True)

    async def submit(self, texts: Sequence[str]) -> list:
        job = _Job(texts, asyncio.get_running_loop().create_future())
        await self._queue.put(job)
        return await job.future

    async def _collect(self) -> list[_Job]:
        jobs = [await self._queue.get()]
        count = len(jobs[0].texts)
        deadline = asyncio.get_running_loop().time() + self.max_wait_s
        while count < self.max_texts:
            try:
                async with asyncio.timeout_at(deadline):
                    job = await self._queue.get()
            except TimeoutError:
                break
            jobs.append(job)
            count += len(job.texts)
        return jobs

    async def _work(self) -> None:
        loop = asyncio.get_running_loop()
        while True:
            jobs = await self._collect()
            unique = list(dict.fromkeys(t for job in jobs for t in job.texts))
            self.stats.model_runs += 1
            self.stats.texts_scored += len(unique)
            try:
                results = await loop.run_in_executor(self.executor, self.run, unique)
            except Exception as exc:
                for job in jobs:
                    if not job.future.done():
                        job.future.set_exception(exc)
                continue
            by_text = dict(zip(unique, results))
            for job in jobs:
                if not job.future.done():
                    job.future.set_result([by_text[t] for t in job.texts])


class Scorer:
    """Results for texts: from the cache when seen before, else from a shared model run."""

    def __init__(self, batcher: MicroBatcher, cache: ResultCache, stats: Stats):
        self.batcher = batcher
        self.cache = cache
        self.stats = stats

    async def score(self, texts: Sequence[str]) -> list:
        keys = [text_key(t) for t in texts]
        results = [self.cache.get(k) for k in keys]
        missing = [i for i, r in enumerate(results) if r is None]
        self.stats.cache_hits += len(texts) - len(missing)
        self.stats.cache_misses += len(missing)
        if missing:
            fresh = await self.batcher.submit([texts[i] for i in missing])
            for i, result in zip(missing, fresh):
                results[i] = result
                self.cache.put(keys[i], result)
        return results
