"""Scoring posts fast at the server: a result cache, and micro-batches run off the event loop.

The rules and the model are CPU-bound and synchronous, so they run in a worker (a process, or
a thread: companion.server.workers); the event loop stays free and /v1/health answers at once
under load. Requests that arrive within a few
milliseconds of each other share one model run (a batch of 8-32 posts costs less per post
than several small ones, see PERF_NOTES.md), and a post scored once is not scored again: feeds
re-send the same posts as you scroll back and forth.
"""
from __future__ import annotations

import asyncio
import hashlib
from collections import OrderedDict
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass, field
from typing import Any


@dataclass
class Stats:
    """Counters for tests and benchmarks: proof of caching and batching without timing."""
    model_runs: int = 0       # batches handed to the model
    texts_scored: int = 0     # texts the model read
    cache_hits: int = 0
    cache_misses: int = 0
    over_budget_runs: int = 0  # chunks given up because every caller's time was up
    worker_restarts: int = 0   # model processes replaced after such a chunk


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


class OverBudget(Exception):
    """The work did not finish within its request's time budget."""


@dataclass
class _Job:
    texts: Sequence[str]
    deadline: float                       # loop time; past it the caller stops waiting
    results: dict = field(default_factory=dict)
    finished: asyncio.Event = field(default_factory=asyncio.Event)
    error: BaseException | None = None

    @property
    def live(self) -> bool:
        return not self.finished.is_set()


class MicroBatcher:
    """Collects texts from concurrent callers and runs them through `run` together.

    `await run(texts, deadline) -> results` does the work off the event loop. A batch closes
    `max_wait_s` after its first job arrives or once it holds `max_texts`; it runs in chunks
    (see _chunks), so a caller whose time is up gets the texts finished so far, and texts
    that only expired callers wanted are skipped.
    """

    def __init__(self, run: Callable[[list[str], float], Awaitable[list]], max_wait_s: float,
                 max_texts: int, chunk_texts: int, chunk_chars: int, stats: Stats):
        self.run = run
        self.max_wait_s = max_wait_s
        self.max_texts = max_texts
        self.chunk_texts = chunk_texts
        self.chunk_chars = chunk_chars
        self.stats = stats
        self._queue: asyncio.Queue[_Job] = asyncio.Queue()
        self._worker: asyncio.Task | None = None

    def start(self) -> None:
        self._worker = asyncio.create_task(self._work(), name="campfire-batcher")

    async def stop(self) -> None:
        if self._worker:
            self._worker.cancel()
            await asyncio.gather(self._worker, return_exceptions=True)

    async def submit(self, texts: Sequence[str], deadline: float) -> dict:
        """{text: result} for the texts finished by `deadline` (all of them, normally)."""
        job = _Job(texts, deadline)
        await self._queue.put(job)
        try:
            async with asyncio.timeout_at(deadline):
                await job.finished.wait()
        except TimeoutError:
            pass
        job.finished.set()
        if job.error is not None:
            raise job.error
        return job.results

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

    def _chunks(self, texts: list[str]) -> list[list[str]]:
        """Shortest first, at most `chunk_texts` texts or `chunk_chars` characters a chunk: a
        very long post (hostile or not) runs alone, after the ordinary ones."""
        chunks: list[list[str]] = []
        size = 0
        for text in sorted(texts, key=len):
            if not chunks or len(chunks[-1]) >= self.chunk_texts or size + len(text) > self.chunk_chars:
                chunks.append([])
                size = 0
            chunks[-1].append(text)
            size += len(text)
        return chunks

    async def _work(self) -> None:
        while True:
            jobs = await self._collect()
            for planned in self._chunks(list(dict.fromkeys(t for job in jobs for t in job.texts))):
                live = [job for job in jobs if job.live]
                if not live:
                    break
                wanted = {t for job in live for t in job.texts}
                chunk = [t for t in planned if t in wanted]
                if not chunk:
                    continue
                self.stats.model_runs += 1
                self.stats.texts_scored += len(chunk)
                try:
                    results = await self.run(chunk, max(job.deadline for job in live))
                except OverBudget:
                    self.stats.over_budget_runs += 1
                    continue
                except Exception as exc:
                    for job in live:
                        job.error = exc
                        job.finished.set()
                    break
                self._deliver(live, dict(zip(chunk, results)))
            for job in jobs:
                job.finished.set()

    @staticmethod
    def _deliver(jobs: list[_Job], by_text: dict) -> None:
        for job in jobs:
            for text in job.texts:
                if text in by_text:
                    job.results[text] = by_text[text]
            if len(job.results) == len(set(job.texts)):
                job.finished.set()


class Scorer:
    """Results for texts: from the cache when seen before, else from a shared model run."""

    def __init__(self, batcher: MicroBatcher, cache: ResultCache, stats: Stats):
        self.batcher = batcher
        self.cache = cache
        self.stats = stats

    async def score(self, texts: Sequence[str], deadline: float) -> list:
        """One result per text, None for a text not finished by `deadline` (loop time)."""
        keys = [text_key(t) for t in texts]
        results = [self.cache.get(k) for k in keys]
        missing = [i for i, r in enumerate(results) if r is None]
        self.stats.cache_hits += len(texts) - len(missing)
        self.stats.cache_misses += len(missing)
        if missing:
            fresh = await self.batcher.submit([texts[i] for i in missing], deadline)
            for i in missing:
                result = fresh.get(texts[i])
                if result is not None:
                    results[i] = result
                    self.cache.put(keys[i], result)
        return results
