"""The model behind the API: loaded once, in the worker thread, then shared by every handler."""
from __future__ import annotations

import asyncio
import logging
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass

from companion.decision import judge
from companion.evidence import analyze, evidence_for_labels
from companion.model import Classifier, ModelError
from companion.server.errors import ApiError
from companion.server.schemas import LABEL_NAMES
from companion.server.scoring import MicroBatcher, ResultCache, Scorer, Stats
from companion.server.settings import ServerConfig

log = logging.getLogger("companion.server")


@dataclass(frozen=True)
class Analysis:
    """What the server knows about one text; cached and shared, so never mutated."""
    labels: dict
    evidence: list
    personal: dict | None = None   # what the user's own data changed (companion.server.user_data)


def analyse_texts(classifier: Classifier, texts: list[str]) -> list[Analysis]:
    """Runs in the worker thread: the model over the whole batch, then evidence per text. The
    rules read each text once; the model's input, the decision (companion.decision: the labels
    every surface shows) and the evidence all come from that reading.

    Evidence offsets are UTF-16 code units: the extension slices the text with them in
    JavaScript, whose strings count UTF-16 units."""
    readings = [analyze(text) for text in texts]
    return [Analysis(labels, evidence_for_labels(text, offsets="utf16", reading=reading))
            for text, reading, labels in zip(texts, readings, judge(classifier, texts, readings))]


@dataclass
class Engine:
    classifier: Classifier
    scorer: Scorer

    @property
    def model(self) -> dict:
        return {"name": self.classifier.name, "version": self.classifier.version}


class EngineLoader:
    """Loads the model in the background: the server answers (health: loading, others: 503)
    from its first moment, and the model read never blocks the event loop."""

    def __init__(self, config: ServerConfig, stats: Stats, classifier: Classifier | None = None):
        self.config = config
        self.preloaded = classifier
        self.stats = stats
        self.started = time.monotonic()
        self.engine: Engine | None = None
        self.error: str | None = None
        self.done = asyncio.Event()
        self.executor = ThreadPoolExecutor(max_workers=1, thread_name_prefix="campfire-model")
        self._batcher: MicroBatcher | None = None

    @property
    def status(self) -> str:
        return "ok" if self.engine else ("error" if self.error else "loading")

    async def load(self) -> None:
        loop = asyncio.get_running_loop()
        try:
            classifier = self.preloaded or await loop.run_in_executor(
                self.executor, lambda: Classifier.load(self.config.model_dir, self.config.threads))
            if tuple(classifier.label_names) != LABEL_NAMES:
                raise ModelError(f"the model's labels {classifier.label_names} are not {list(LABEL_NAMES)}")
        except Exception as exc:  # onnxruntime raises its own types for a broken model file
            self.error = str(exc) if isinstance(exc, ModelError) else f"cannot load the model: {exc}"
            log.error("%s", self.error)
        else:
            self.engine = self._build(classifier)
            log.info("model %s %s loaded in %.2f s", classifier.name, classifier.version,
                     time.monotonic() - self.started)
        finally:
            self.done.set()

    def _build(self, classifier: Classifier) -> Engine:
        batching = self.config.batching
        self._batcher = MicroBatcher(lambda texts: analyse_texts(classifier, texts), self.executor,
                                     batching.max_wait_s, batching.max_posts, self.stats)
        self._batcher.start()
        return Engine(classifier, Scorer(self._batcher, ResultCache(batching.cache_entries), self.stats))

    async def close(self) -> None:
        if self._batcher:
            await self._batcher.stop()
        # Waits for a model run in progress: its thread cannot be interrupted, and it is short.
        await asyncio.to_thread(self.executor.shutdown, wait=True, cancel_futures=True)

    def require(self) -> Engine:
        """The engine, or the 503 that tells the client why there is none yet."""
        if self.engine:
            return self.engine
        if self.error:
            raise ApiError("model_unavailable", "the model failed to load; see the companion's log")
        raise ApiError("model_loading", "the model is still loading; retry in a moment",
                       {"Retry-After": "1"})
