"""The model behind the API: loaded once, in the worker (companion.server.workers), then
shared by every handler."""
from __future__ import annotations

import asyncio
import logging
import time
from dataclasses import dataclass

from companion.decision import judge
from companion.model import Classifier, ModelError, default_model_dir
from companion.rules.evidence import evidence_for_labels
from companion.rules.reading import analyze
from companion.server.errors import ApiError
from companion.labels import LABEL_NAMES
from companion.server.scoring import MicroBatcher, ResultCache, Scorer, Stats
from companion.server.settings import ServerConfig
from companion.server.workers import ModelInfo, ProcessWorker, ThreadWorker

log = logging.getLogger("companion.server")


@dataclass(frozen=True)
class PostResult:
    """One post's result: its labels, evidence and what the user's data changed; cached and
    shared, so never mutated."""
    labels: dict
    evidence: list
    personal: dict | None = None   # what the user's own data changed (companion.server.user_data)


def analyse_texts(classifier: Classifier, texts: list[str]) -> list[PostResult]:
    """Runs in the worker: the model over the whole batch, then evidence per text. The
    rules read each text once; the model's input, the decision (companion.decision: the labels
    every surface shows) and the evidence all come from that reading.

    Evidence offsets are UTF-16 code units: the extension slices the text with them in
    JavaScript, whose strings count UTF-16 units."""
    readings = [analyze(text) for text in texts]
    return [PostResult(labels, evidence_for_labels(text, offsets="utf16", reading=reading))
            for text, reading, labels in zip(texts, readings, judge(classifier, texts, readings))]


def model_problem(model_dir, exc: Exception) -> str:
    """One line that names the model folder, what is wrong and what to do."""
    what = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
    return (f"cannot load the model in {model_dir}: {what}; reinstall Campfire, or pass "
            "--model-dir with a complete model folder")


@dataclass
class Engine:
    info: ModelInfo
    scorer: Scorer
    worker: ProcessWorker | ThreadWorker

    @property
    def model(self) -> dict:
        return {"name": self.info.name, "version": self.info.version}


class EngineLoader:
    """Loads the model in the background: the server answers (health: loading, others: 503)
    from its first moment, and the model read never blocks the event loop."""

    def __init__(self, config: ServerConfig, stats: Stats, classifier: Classifier | None = None):
        self.config = config
        self.stats = stats
        self.started = time.monotonic()
        self.engine: Engine | None = None
        self.error: str | None = None
        self.done = asyncio.Event()
        # A model already loaded in this process (tests) can only be used from a thread.
        if classifier is not None or config.batching.worker == "thread":
            self.worker = ThreadWorker(config.model_dir, config.threads, classifier)
        else:
            self.worker = ProcessWorker(config.model_dir, config.threads, stats)
        self._batcher: MicroBatcher | None = None

    @property
    def executor(self):
        """The model's thread (thread worker only): tests hold it busy."""
        return self.worker.executor

    @property
    def status(self) -> str:
        return "ok" if self.engine else ("error" if self.error else "loading")

    async def load(self) -> None:
        try:
            info = await self.worker.start()
            if tuple(info.label_names) != LABEL_NAMES:
                raise ModelError(f"the model's labels {info.label_names} are not {list(LABEL_NAMES)}")
        except Exception as exc:  # onnxruntime raises its own types for a broken model file
            self.error = model_problem(self.config.model_dir or default_model_dir(), exc)
            log.error("%s", self.error)
        else:
            self.engine = self._build(info)
            log.info("model %s %s loaded in %.2f s", info.name, info.version,
                     time.monotonic() - self.started)
        finally:
            self.done.set()

    def _build(self, info: ModelInfo) -> Engine:
        batching = self.config.batching
        self._batcher = MicroBatcher(self.worker.analyse, batching.max_wait_s, batching.max_posts,
                                     batching.chunk_posts, batching.chunk_chars, self.stats)
        self._batcher.start()
        return Engine(info, Scorer(self._batcher, ResultCache(batching.cache_entries), self.stats),
                      self.worker)

    async def close(self) -> None:
        if self._batcher:
            await self._batcher.stop()
        await self.worker.close()

    def require(self) -> Engine:
        """The engine, or the 503 that tells the client why there is none yet."""
        if self.engine:
            return self.engine
        if self.error:
            raise ApiError("model_unavailable", "the model failed to load; see the companion's log")
        raise ApiError("model_loading", "the model is still loading; retry in a moment",
                       {"Retry-After": "1"})
