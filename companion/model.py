"""The shipped classifier: tokenizers + onnxruntime, no torch.

`Classifier.load()` reads a model folder (the int8 ONNX graph, `tokenizer.json` and
`labels.json`) and `Classifier.predict(texts)` returns, for each text, every label's
probability and whether it passes that label's threshold.
"""
from __future__ import annotations

import json
import os
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import onnxruntime as ort
from tokenizers import Tokenizer

from companion.labels import LABELS_FILE, shipped_model_dir
from companion.rules.reading import Reading
from companion.rules.textprep import model_input

MODEL_FILE = "campfire.int8.onnx"
TOKENIZER_FILE = "tokenizer.json"
# Past the window, a post keeps its opening and its last TAIL_TOKENS tokens: disclosures and
# pitches ("#ad", "link in bio", "use code X") sit at either end far more than in the middle.
TAIL_TOKENS = 32
# Posts per model run, after sorting a call's posts by length. Small batches waste almost
# nothing on padding, and onnxruntime gains little from bigger ones: on a mix of headlines,
# tweets and 128-token descriptions, a 50-post call ran 1.6x faster in batches of 4 than of 32
# (docs/PERFORMANCE.md, scripts/bench/model.py tuning section).
BATCH_SIZE = 4
# onnxruntime threads for one model run. Runs of batches on several cores at once (one thread
# each, scripts/bench/variants.py's ParallelClassifier) were no faster for calls of 50 posts
# and slower for calls of 1, 10 and 16 (docs/PERFORMANCE.md), so one run at a time uses every
# core.
MAX_THREADS = 4


class ModelError(RuntimeError):
    """The model folder is missing or unreadable."""


@dataclass(frozen=True)
class LabelInfo:
    name: str
    title: str
    description: str
    threshold: float


def default_model_dir() -> Path:
    """The model shipped with the package (wheel), else the repository's models/ (source)."""
    override = os.environ.get("CAMPFIRE_MODEL_DIR")
    if override:
        return Path(override)
    return shipped_model_dir()


def load_tokenizer(path: Path) -> Tokenizer:
    tokenizer = Tokenizer.from_file(str(path))
    # The shipped file pads every post to 128 tokens; we pad per batch ourselves.
    tokenizer.no_padding()
    tokenizer.no_truncation()
    return tokenizer


def encode(tokenizer: Tokenizer, texts: Sequence[str], max_length: int,
           readings: Sequence[Reading] | None = None) -> list[list[int]]:
    """Token ids with [CLS]/[SEP], long texts cut to head + tail rather than head alone.
    `readings`, the evidence analyses of the texts when the caller already has them, saves
    analysing each text twice."""
    # BERT's markers; RoBERTa-style vocabularies (a larger teacher's) call them <s> and </s>.
    cls_id, sep_id = next((tokenizer.token_to_id(a), tokenizer.token_to_id(b))
                          for a, b in (("[CLS]", "[SEP]"), ("<s>", "</s>")) if tokenizer.token_to_id(a) is not None)
    room = max_length - 2
    tail = min(TAIL_TOKENS, room // 4)
    inputs = [model_input(t, r) for t, r in zip(texts, readings)] if readings is not None \
        else [model_input(t) for t in texts]
    encoded = tokenizer.encode_batch(inputs, add_special_tokens=False)
    rows = []
    for enc in encoded:
        ids = enc.ids
        if len(ids) > room:
            ids = ids[: room - tail] + ids[len(ids) - tail:]
        rows.append([cls_id, *ids, sep_id])
    return rows


def pad(rows: Sequence[Sequence[int]]) -> tuple[np.ndarray, np.ndarray]:
    width = max(len(r) for r in rows)
    ids = np.zeros((len(rows), width), dtype=np.int64)
    mask = np.zeros((len(rows), width), dtype=np.int64)
    for i, row in enumerate(rows):
        ids[i, : len(row)] = row
        mask[i, : len(row)] = 1
    return ids, mask


def default_threads() -> int:
    return min(os.cpu_count() or 1, MAX_THREADS)


def session_options(threads: int | None = None, spinning: bool = True) -> ort.SessionOptions:
    options = ort.SessionOptions()
    options.intra_op_num_threads = threads or default_threads()
    options.inter_op_num_threads = 1
    options.graph_optimization_level = ort.GraphOptimizationLevel.ORT_ENABLE_ALL
    # A worker spins a moment for more work between runs; off, an idle companion sleeps.
    options.add_session_config_entry("session.intra_op.allow_spinning", "1" if spinning else "0")
    return options


def sigmoid(x: np.ndarray) -> np.ndarray:
    return 1.0 / (1.0 + np.exp(-x))


class Classifier:
    def __init__(self, session: ort.InferenceSession, tokenizer: Tokenizer, config: dict,
                 batch_size: int = BATCH_SIZE):
        self.session = session
        self.tokenizer = tokenizer
        self.config = config
        self.name: str = config["model"]["name"]
        self.version: str = config["model"]["version"]
        self.max_length: int = config["max_length"]
        self.labels = [LabelInfo(l["name"], l["title"], l["description"], float(l["threshold"]))
                       for l in config["labels"]]
        self.batch_size = batch_size
        self._input_names = {i.name for i in session.get_inputs()}

    @classmethod
    def load(cls, model_dir: Path | None = None, threads: int | None = None,
             model_file: str = MODEL_FILE, batch_size: int = BATCH_SIZE) -> Classifier:
        """`threads`: onnxruntime threads (default: one per core, up to MAX_THREADS)."""
        model_dir = Path(model_dir) if model_dir else default_model_dir()
        try:
            config = json.loads((model_dir / LABELS_FILE).read_text(encoding="utf-8"))
            tokenizer = load_tokenizer(model_dir / TOKENIZER_FILE)
        except (OSError, ValueError, Exception) as exc:  # tokenizers raises its own Exception
            raise ModelError(f"cannot load the model from {model_dir}: {exc}") from exc
        path = model_dir / model_file
        if not path.exists():
            raise ModelError(f"model file not found: {path}")
        session = ort.InferenceSession(str(path), session_options(threads), providers=["CPUExecutionProvider"])
        return cls(session, tokenizer, config, batch_size=batch_size)

    @property
    def label_names(self) -> list[str]:
        return [label.name for label in self.labels]

    def logits(self, texts: Sequence[str], readings: Sequence[Reading] | None = None) -> np.ndarray:
        """Raw logits, shape (len(texts), labels), in the order given."""
        out = np.zeros((len(texts), len(self.labels)), dtype=np.float32)
        if not texts:
            return out
        rows = encode(self.tokenizer, texts, self.max_length, readings)
        # Batches of similar length waste little on padding.
        order = sorted(range(len(rows)), key=lambda i: len(rows[i]))
        chunks = self._chunks(order)
        for chunk, logits in zip(chunks, self._run_chunks(rows, chunks)):
            out[chunk] = logits
        return out

    def _chunks(self, order: list[int]) -> list[list[int]]:
        return [order[start: start + self.batch_size] for start in range(0, len(order), self.batch_size)]

    def _run_chunks(self, rows: list[list[int]], chunks: list[list[int]]) -> Iterable[np.ndarray]:
        return (self._run([rows[i] for i in chunk]) for chunk in chunks)

    def _run(self, rows: list[list[int]]) -> np.ndarray:
        ids, mask = pad(rows)
        feed = {"input_ids": ids, "attention_mask": mask}
        if "token_type_ids" in self._input_names:
            feed["token_type_ids"] = np.zeros_like(ids)
        return self.session.run(None, feed)[0]

    def scores(self, texts: Sequence[str], readings: Sequence[Reading] | None = None) -> np.ndarray:
        return sigmoid(self.logits(texts, readings))

    def predict(self, texts: Sequence[str], readings: Sequence[Reading] | None = None) -> list[dict[str, dict]]:
        """Per text: {label: {"score": float, "flag": bool}} in the model's label order."""
        probs = self.scores(texts, readings)
        return [
            {label.name: {"score": round(float(p[j]), 4), "flag": bool(p[j] >= label.threshold)}
             for j, label in enumerate(self.labels)}
            for p in probs
        ]
