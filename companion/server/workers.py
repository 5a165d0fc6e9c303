"""Where the rules and the model run: off the event loop, in a process or a thread.

- `ProcessWorker` (the default): one child process loads the model and does all the CPU work
  (the rules, tokenizing, the model, draft checking). The event loop's process only reads
  requests and answers them, so Python code in the rules never competes with it for the GIL,
  and a chunk that overruns its requests' time budget is stopped by replacing the process.
- `ThreadWorker`: the same work in one thread of the server's process. It cannot be stopped
  once started; kept for tests that share one loaded model and as the bench's comparison.

Both: `await start() -> ModelInfo`, `await analyse(texts, deadline)`, `await call(fn, *args,
deadline=...)`, `await close()`. `deadline` is event-loop time; past it OverBudget is raised.
"""
from __future__ import annotations

import asyncio
import multiprocessing
from concurrent.futures import ProcessPoolExecutor, ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

from companion.model import Classifier, LabelInfo, ModelError
from companion.server.scoring import OverBudget, Stats

# A process stopped mid-chunk takes this long to be replaced (spawn, imports, model load);
# the grace lets a chunk end normally a little past its deadline rather than pay for that.
GRACE_S = 0.5


@dataclass(frozen=True)
class ModelInfo:
    name: str
    version: str
    labels: tuple[LabelInfo, ...]

    @classmethod
    def of(cls, classifier: Classifier) -> ModelInfo:
        return cls(classifier.name, classifier.version, tuple(classifier.labels))

    @property
    def label_names(self) -> list[str]:
        return [label.name for label in self.labels]


def _remaining(deadline: float) -> float:
    return max(0.0, deadline - asyncio.get_running_loop().time())


class ThreadWorker:
    def __init__(self, model_dir: Path | None, threads: int | None,
                 classifier: Classifier | None = None):
        self.model_dir, self.threads = model_dir, threads
        self.classifier = classifier
        self.executor = ThreadPoolExecutor(max_workers=1, thread_name_prefix="campfire-model")

    async def start(self) -> ModelInfo:
        if self.classifier is None:
            self.classifier = await asyncio.get_running_loop().run_in_executor(
                self.executor, Classifier.load, self.model_dir, self.threads)
        return ModelInfo.of(self.classifier)

    async def analyse(self, texts: list[str], deadline: float) -> list:
        from companion.server.engine import analyse_texts
        return await asyncio.get_running_loop().run_in_executor(
            self.executor, analyse_texts, self.classifier, texts)

    async def call(self, fn, *args, deadline: float):
        # Not queued behind the model's chunks; a thread cannot be stopped, so on overrun the
        # caller stops waiting and the thread finishes on its own.
        try:
            return await asyncio.wait_for(asyncio.to_thread(fn, *args), _remaining(deadline))
        except TimeoutError:
            raise OverBudget from None

    async def close(self) -> None:
        # Waits for a chunk in progress: its thread cannot be interrupted.
        await asyncio.to_thread(self.executor.shutdown, wait=True, cancel_futures=True)


# In the child process: the model, loaded once by _load.
_classifier: Classifier | None = None


def _load(model_dir: Path | None, threads: int | None) -> ModelInfo:
    global _classifier
    if _classifier is None:
        try:
            _classifier = Classifier.load(model_dir, threads)
        except Exception as exc:  # onnxruntime's own types may not cross the process line
            raise ModelError(str(exc).strip().splitlines()[0] if str(exc).strip()
                             else type(exc).__name__) from None
    return ModelInfo.of(_classifier)


def _init(model_dir: Path | None, threads: int | None) -> None:
    """A failed load is reported by the first _load call, not by breaking the pool."""
    try:
        _load(model_dir, threads)
    except ModelError:
        pass


def _analyse(texts: list[str]) -> list:
    from companion.server.engine import analyse_texts
    return analyse_texts(_classifier, texts)


class ProcessWorker:
    def __init__(self, model_dir: Path | None, threads: int | None, stats: Stats):
        self.model_dir, self.threads = model_dir, threads
        self.stats = stats
        self.pool: ProcessPoolExecutor | None = None

    def _new_pool(self) -> ProcessPoolExecutor:
        # spawn, not fork: the server's process has threads and an event loop.
        return ProcessPoolExecutor(1, mp_context=multiprocessing.get_context("spawn"),
                                   initializer=_init, initargs=(self.model_dir, self.threads))

    async def start(self) -> ModelInfo:
        self.pool = self._new_pool()
        return await asyncio.wrap_future(self.pool.submit(_load, self.model_dir, self.threads))

    async def analyse(self, texts: list[str], deadline: float) -> list:
        return await self.call(_analyse, texts, deadline=deadline)

    async def call(self, fn, *args, deadline: float):
        future = self.pool.submit(fn, *args)
        try:
            return await asyncio.wait_for(asyncio.wrap_future(future), _remaining(deadline) + GRACE_S)
        except TimeoutError:
            self._replace()
            raise OverBudget from None

    def _replace(self) -> None:
        """Stops the child mid-work and starts a fresh one (it loads the model again)."""
        old, self.pool = self.pool, self._new_pool()
        self.stats.worker_restarts += 1
        for process in list((old._processes or {}).values()):  # no public way before 3.14
            process.kill()
        old.shutdown(wait=False, cancel_futures=True)

    async def close(self) -> None:
        if self.pool is not None:
            await asyncio.to_thread(self.pool.shutdown, wait=True, cancel_futures=True)
