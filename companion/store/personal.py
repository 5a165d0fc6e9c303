"""The user's store as the server uses it: one thread for every store call (SQLite writes are
short, but never on the event loop), the learner kept in step with the corrections, and the
daily counts written as posts are classified.

Daily counts: each post with a `site` counts once per day (a feed re-sends the posts you
scroll back to); the posts seen today are remembered by digest in memory only, so a restart
may count a post twice on the day it happens.
"""
from __future__ import annotations

import asyncio
import logging
from concurrent.futures import ThreadPoolExecutor
from datetime import date

from companion.store.adapt import Learner
from companion.store.features import digest
from companion.store.store import Store

log = logging.getLogger("companion.store")
SEEN_PER_DAY = 200_000   # digests remembered per day; past it, posts are counted again


class Personal:
    def __init__(self, store: Store):
        self.store = store
        self.executor = ThreadPoolExecutor(max_workers=1, thread_name_prefix="campfire-store")
        self.learner: Learner | None = None
        self.stale = True
        self.pending: set[asyncio.Future] = set()
        self._day = ""
        self._seen: set[str] = set()

    async def call(self, fn, *args):
        """`fn(*args)` on the store's thread; calls run in the order they were made."""
        return await asyncio.get_running_loop().run_in_executor(self.executor, fn, *args)

    async def changed(self, fn, *args):
        """A call that changes the corrections: the learner refits before its next use."""
        result = await self.call(fn, *args)
        self.stale = True
        return result

    def _refit(self, thresholds: dict) -> Learner:
        learner = Learner(thresholds)
        learner.refit(self.store.learning_rows())
        return learner

    async def learner_for(self, thresholds: dict) -> Learner:
        if self.stale or self.learner is None:
            self.stale = False
            self.learner = await self.call(self._refit, thresholds)
        return self.learner

    async def rules_and_settings(self) -> tuple[dict, dict]:
        def read():
            return ({(r["site"], r["author"]): r["rule"] for r in self.store.author_rules()},
                    self.store.settings())
        return await self.call(read)

    def count(self, site: str, text: str, labels: dict, evidence: list) -> dict | None:
        """This post's contribution to today's counts, or None if it was counted today."""
        today = date.today().isoformat()
        if today != self._day:
            self._day, self._seen = today, set()
        key = digest(f"{site}\n{text}")
        if key in self._seen:
            return None
        if len(self._seen) < SEEN_PER_DAY:
            self._seen.add(key)
        counts = {("posts", "all"): 1}
        for name, value in labels.items():
            if value["flag"]:
                counts[("label", name)] = 1
        if labels.get("missing_disclosure", {}).get("flag"):
            for kind in {e["kind"] for e in evidence if e["label"] == "missing_disclosure"}:
                counts[("tie", kind)] = 1
        return counts

    def forget_seen(self) -> None:
        """After "forget everything", today's posts count again from zero."""
        self._day, self._seen = "", set()

    def record(self, by_site: dict[str, dict]) -> None:
        """Writes counts in the background; a failure is logged, never the request's."""
        today = date.today().isoformat()

        def write():
            for site, counts in by_site.items():
                self.store.add_daily(today, site, counts)

        future = asyncio.ensure_future(self.call(write))
        self.pending.add(future)
        future.add_done_callback(self._written)

    def _written(self, future: asyncio.Future) -> None:
        self.pending.discard(future)
        if not future.cancelled() and future.exception() is not None:
            log.error("daily counts not written: %s", type(future.exception()).__name__)

    async def close(self) -> None:
        if self.pending:
            await asyncio.gather(*self.pending, return_exceptions=True)
        await self.call(self.store.close)
        self.executor.shutdown(wait=True)
