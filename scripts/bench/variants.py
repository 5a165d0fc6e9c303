"""The alternatives the model benchmark (scripts.bench.model) times against the shipped
Classifier: other thread layouts, the fp32 graph, PyTorch on the same input."""
from __future__ import annotations

import json
from collections.abc import Sequence
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import numpy as np
import onnxruntime as ort

from companion.model import BATCH_SIZE, Classifier, encode, pad, session_options, sigmoid
from companion.rules.textprep import model_input

FP32_FILE = "campfire.fp32.onnx"


class ParallelClassifier(Classifier):
    """The alternative to the shipped one run at a time: `workers` runs of batches at once
    (onnxruntime releases the GIL while it runs, and a session may be run from several threads
    at once). A call of a few posts is still split so that every worker has some."""

    def __init__(self, *args, workers: int, **kwargs):
        super().__init__(*args, **kwargs)
        self.workers = workers
        self._pool = ThreadPoolExecutor(workers, thread_name_prefix="campfire-run")

    def _chunks(self, order: list[int]) -> list[list[int]]:
        size = max(1, min(self.batch_size, -(-len(order) // self.workers)))
        return [order[start: start + size] for start in range(0, len(order), size)]

    def _run_chunks(self, rows: list[list[int]], chunks: list[list[int]]):
        return self._pool.map(lambda chunk: self._run([rows[i] for i in chunk]), chunks)


def onnx_classifier(base: Classifier, path: Path, intra_threads: int | None = None, workers: int = 1,
                    spinning: bool = True, batch_size: int = BATCH_SIZE) -> Classifier:
    """The shipped Classifier over `path` on `intra_threads` onnxruntime threads (shipped: one
    run on one thread per core), or `workers` > 1 runs at once (ParallelClassifier)."""
    options = session_options(intra_threads, spinning)
    session = ort.InferenceSession(str(path), options, providers=["CPUExecutionProvider"])
    if workers > 1:
        return ParallelClassifier(session, base.tokenizer, base.config, batch_size=batch_size, workers=workers)
    return Classifier(session, base.tokenizer, base.config, batch_size=batch_size)


def fp32_model(run: Path, out: Path) -> Path:
    """The fused fp32 graph of the run, as `export.py --keep-fp32` writes it."""
    import torch  # noqa: F401  (before export: it imports torch-dependent modules)
    from scripts.model.base import export_onnx
    from onnxruntime.transformers.optimizer import optimize_model
    from transformers import AutoModelForSequenceClassification

    model = AutoModelForSequenceClassification.from_pretrained(run / "hf", attn_implementation="eager")
    raw = out / "model.onnx"
    export_onnx(model, raw)
    fused = optimize_model(str(raw), model_type="bert", num_heads=model.config.num_attention_heads,
                           hidden_size=model.config.hidden_size)
    fused.save_model_to_file(str(out / FP32_FILE))
    return out / FP32_FILE


def stand_in_run(work: Path, labels: Sequence[str]) -> Path:
    """A run folder with the shipped architecture and no training: the base MiniLM-L6 with an
    untrained head of our labels. It times the same as the fine-tuned model (same layers, same
    shapes), so the speed comparison runs from a fresh clone; its flags mean nothing."""
    import torch
    from transformers import AutoModelForSequenceClassification, AutoTokenizer

    from scripts.model.base import base_model_path

    torch.manual_seed(0)
    model = AutoModelForSequenceClassification.from_pretrained(
        base_model_path(), num_labels=len(labels), id2label=dict(enumerate(labels)),
        label2id={name: i for i, name in enumerate(labels)}, problem_type="multi_label_classification")
    run = work / "same-architecture"
    model.save_pretrained(run / "hf")
    AutoTokenizer.from_pretrained(base_model_path()).save_pretrained(run / "hf")
    return run


def tokenizer_for(run: Path, model_dir: Path):
    """The tokenizer a user of the run would load: the run's own, else the base model's."""
    from transformers import AutoTokenizer, PreTrainedTokenizerFast

    if (run / "hf" / "tokenizer_config.json").exists():
        return AutoTokenizer.from_pretrained(run / "hf")
    try:
        from scripts.model.base import base_model_path
        return AutoTokenizer.from_pretrained(base_model_path())
    except ImportError:
        return PreTrainedTokenizerFast(tokenizer_file=str(model_dir / "tokenizer.json"),
                                       unk_token="[UNK]", cls_token="[CLS]", sep_token="[SEP]",
                                       pad_token="[PAD]", mask_token="[MASK]")


def torch_pipeline(run: Path, model_dir: Path, labels: list[str], threads: int):
    """What a user would otherwise run: a transformers text-classification pipeline."""
    import torch
    from transformers import pipeline

    torch.set_num_threads(threads)
    pipe = pipeline("text-classification", model=str(run / "hf"), tokenizer=tokenizer_for(run, model_dir),
                    top_k=None, function_to_apply="sigmoid", device="cpu")

    def probs(texts: Sequence[str]) -> np.ndarray:
        rows = pipe([model_input(t) for t in texts], batch_size=len(texts), truncation=True,
                    max_length=128)
        return np.array([[{d["label"]: d["score"] for d in row}[name] for name in labels] for row in rows])
    return pipe, probs


def torch_same_input(model, classifier: Classifier, texts: Sequence[str]) -> np.ndarray:
    """PyTorch logits on exactly the token ids the shipped path reads (head+tail cut)."""
    import torch

    rows = encode(classifier.tokenizer, texts, classifier.max_length)
    out = []
    with torch.inference_mode():
        for start in range(0, len(rows), 32):
            ids, mask = pad(rows[start: start + 32])
            out.append(model(input_ids=torch.from_numpy(ids), attention_mask=torch.from_numpy(mask)).logits.numpy())
    return np.concatenate(out)


def same_model_check(model_dir: Path, torch_model, classifier: Classifier) -> dict | None:
    """Is --run the model that --model-dir was exported from? parity.json keeps that run's
    PyTorch logits on fixed posts; a different run gives different logits."""
    path = model_dir / "parity.json"
    if not path.exists():
        return None
    parity = json.loads(path.read_text(encoding="utf-8"))
    logits = torch_same_input(torch_model, classifier, parity["posts"])
    diff = float(np.abs(logits - np.asarray(parity["torch_logits"])).max())
    return {"posts": len(parity["posts"]), "max_abs_logit_diff": round(diff, 5), "same_model": diff < 1e-3}
