"""Export a trained run to the shipped model folder: ONNX, fused, int8, with a parity check.

    python -m scripts.model.export --run runs/main --out models

Steps: the legacy ONNX exporter (opset 17, dynamic batch and sequence axes, eager attention so
onnxruntime's BERT optimizer can fuse attention and layer norms), the optimizer, then dynamic
int8 quantization with per-channel weights (half the error of per-tensor at the same speed,
PERF_NOTES.md), 7 bits wide so that CPUs without VNNI compute what the others do
(scripts/model/requantize.py). Parity: on fixed posts (PARITY_POSTS) the int8 model must give logits within LOGIT_TOLERANCE
of the PyTorch model's and the same flags (but where PyTorch's probability is within FLAG_MARGIN
of the threshold); a sample of dev is measured and reported beside them; the PyTorch logits
are written to parity.json so tests can check the shipped file without torch.
"""
from __future__ import annotations

import argparse
import json
import shutil
import sys
import tempfile
from datetime import date
from pathlib import Path

import numpy as np
import onnx
import torch
from onnxruntime.quantization import QuantType, quantize_dynamic
from onnxruntime.quantization.matmul_nbits_quantizer import DefaultWeightOnlyQuantConfig, MatMulNBitsQuantizer
from onnxruntime.transformers.optimizer import optimize_model
from transformers import AutoModelForSequenceClassification

from companion.labels import declared_labels
from companion.model import LABELS_FILE, MODEL_FILE, TOKENIZER_FILE, Classifier, encode, load_tokenizer, pad
from scripts.data import rawdata
from scripts.model import metrics
from scripts.model.base import base_model_path, export_onnx
from scripts.model.requantize import NBITS_ACCURACY

LOGIT_TOLERANCE = 0.5
# The feed-forward projections of the first layers are where int8 hurts most (GELU outputs
# have outliers that make one activation scale per tensor coarse). Those six run as
# MatMulNBits: 8-bit weights with activations quantized in blocks of NBITS_BLOCK values, each
# block its own scale. Against the fp32 graph on 1,000 raw posts: mean |probability difference|
# 0.0029 (0.0040 with three of them kept in fp32 instead), 23.2 MB (28.3 MB), same speed
# (MODEL_CARD.md).
NBITS_NODES = [f"/inner/bert/encoder/layer.{k}/{part}/dense/MatMul"
               for k in (0, 1, 2) for part in ("intermediate", "output")]
NBITS_BLOCK = 64
# A post whose PyTorch probability lies this close to a threshold may flip under int8 rounding
# and is not counted as a disagreement; the summary reports how many there were.
FLAG_MARGIN = 0.02
MAX_LENGTH = 128
# Fixed posts for the parity check: every label, long and short, emoji, links, non-English.
PARITY_POSTS = [
    "Check out my new channel and please subscribe!!",
    "Obsessed with my new serum from @glowskin ✨ use my code JANE20 for 20% off https://amzn.to/3xYzAbc",
    "Has anyone tried switching to a standing desk? Worth it?",
    "@sam totally agree — the second half dragged for me too",
    "#ad Loving this blender from @blendco, thanks for the partnership! https://bit.ly/blend",
    "Senate passes the appropriations bill 68-32.",
    "My book is out today — link in bio 📚🎉",
    "lol",
    "Vintage denim jacket, size M - $45. DM me",
    "Show HN: A tiny static site generator in 200 lines of Go",
    "Ich liebe diesen Kaffee! Werbung: Rabattcode KAFFEE10 https://example.de/shop?ref=anna",
    " ".join(["A very long caption about our trip to the mountains and everything we ate."] * 30)
    + " Use code TRIP15 at https://shopstyle.it/l/abc",
]


def optimize_and_quantize(fp32: Path, out: Path, work: Path) -> None:
    """The int8 graph, built so that it computes the same on every x86 CPU (see SATURATION_NOTE in
    scripts/model/requantize.py): weights of the dynamic int8 MatMuls in 7 bits (`reduce_range`),
    the blockwise MatMulNBits at fp32 accuracy."""
    optimized = work / "model.opt.onnx"
    opt = optimize_model(str(fp32), model_type="bert", num_heads=12, hidden_size=384)
    opt.save_model_to_file(str(optimized))
    graph = onnx.load(str(optimized))
    config = DefaultWeightOnlyQuantConfig(block_size=NBITS_BLOCK, is_symmetric=True, accuracy_level=NBITS_ACCURACY,
                                          bits=8)
    others = [node.name for node in graph.graph.node if node.op_type == "MatMul" and node.name not in NBITS_NODES]
    blockwise = MatMulNBitsQuantizer(graph, algo_config=config, bits=8, block_size=NBITS_BLOCK, is_symmetric=True,
                                     accuracy_level=NBITS_ACCURACY, nodes_to_exclude=others)
    blockwise.process()
    staged = work / "model.nbits.onnx"
    blockwise.model.save_model_to_file(str(staged), use_external_data_format=False)
    if sum(node.op_type == "MatMulNBits" for node in onnx.load(str(staged)).graph.node) != len(NBITS_NODES):
        raise SystemExit(f"expected {len(NBITS_NODES)} MatMulNBits nodes: the graph's node names changed")
    quantize_dynamic(str(staged), str(out), weight_type=QuantType.QInt8, per_channel=True, reduce_range=True,
                     extra_options={"DefaultTensorType": onnx.TensorProto.FLOAT})


@torch.no_grad()
def torch_logits(model, tokenizer, texts: list[str]) -> np.ndarray:
    model.eval()
    rows = encode(tokenizer, texts, MAX_LENGTH)
    out = []
    for start in range(0, len(rows), 32):
        ids, mask = pad(rows[start: start + 32])
        out.append(model(input_ids=torch.from_numpy(ids), attention_mask=torch.from_numpy(mask)).logits.numpy())
    return np.concatenate(out)


def write_config(out: Path, thresholds: dict[str, float], version: str) -> None:
    config = {
        "model": {"name": "campfire-minilm-l6", "version": version},
        "max_length": MAX_LENGTH,
        # Names, titles and descriptions stay the shipped labels.json's (companion.labels).
        "labels": [{"name": label["name"], "title": label["title"], "description": label["description"],
                    "threshold": round(thresholds[label["name"]], 2)} for label in declared_labels()],
    }
    (out / LABELS_FILE).write_text(json.dumps(config, indent=2) + "\n")


def parity(model, tokenizer, classifier: Classifier, texts: list[str]) -> dict:
    reference = torch_logits(model, tokenizer, texts)
    shipped = classifier.logits(texts)
    thresholds = np.array([label.threshold for label in classifier.labels])
    ref_probs = 1 / (1 + np.exp(-reference))
    ref_flags = ref_probs >= thresholds
    got_flags = 1 / (1 + np.exp(-shipped)) >= thresholds
    clear = np.abs(ref_probs - thresholds) >= FLAG_MARGIN
    return {
        "max_abs_logit_diff": float(np.abs(reference - shipped).max()),
        "mean_abs_logit_diff": float(np.abs(reference - shipped).mean()),
        "flag_agreement": float((ref_flags == got_flags).all(axis=1).mean()),
        "flag_agreement_off_margin": float(((ref_flags == got_flags) | ~clear).all(axis=1).mean()),
        "borderline_flags": int((~clear).sum()),
        "posts": len(texts),
        "reference": reference,
    }


def main(argv: list[str] | None = None) -> dict:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--run", type=Path, required=True, help="a run folder of scripts/model/train.py")
    parser.add_argument("--out", type=Path, default=Path("models"))
    parser.add_argument("--version", default=date.today().isoformat())
    parser.add_argument("--keep-fp32", action="store_true", help="also write campfire.fp32.onnx (benchmarks)")
    parser.add_argument("--dev-sample", type=int, default=200, help="dev posts added to the parity check")
    parser.add_argument("--dev", type=Path, default=rawdata.SHARED_DATA / "dev.jsonl",
                        help="labelled posts for tuning the int8 model's thresholds")
    parser.add_argument("--keep-run-thresholds", action="store_true",
                        help="ship the training run's thresholds (tuned on PyTorch's dev scores)")
    args = parser.parse_args(argv)

    run_metrics = json.loads((args.run / "metrics.json").read_text())
    model = AutoModelForSequenceClassification.from_pretrained(args.run / "hf", attn_implementation="eager")
    args.out.mkdir(parents=True, exist_ok=True)
    tokenizer_path = base_model_path() / TOKENIZER_FILE
    shutil.copyfile(tokenizer_path, args.out / TOKENIZER_FILE)
    write_config(args.out, run_metrics["thresholds"], args.version)
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        fp32 = work / "model.onnx"
        export_onnx(model, fp32)
        optimize_and_quantize(fp32, args.out / MODEL_FILE, work)
        if args.keep_fp32:
            fused = optimize_model(str(fp32), model_type="bert", num_heads=12, hidden_size=384)
            fused.save_model_to_file(str(args.out / "campfire.fp32.onnx"))

    tokenizer = load_tokenizer(args.out / TOKENIZER_FILE)
    dev = rawdata.read_labelled(args.dev) if args.dev.exists() else []
    if dev and not args.keep_run_thresholds:
        # int8 moves scores a little; the shipped thresholds are tuned on the shipped model's
        # own dev scores (dev is for threshold tuning), not on PyTorch's.
        gold = np.array([[r[n] for n in rawdata.LABELS] for r in dev])
        probs = Classifier.load(args.out).scores([r["text"] for r in dev])
        write_config(args.out, metrics.tune_thresholds(gold, probs), args.version)
    classifier = Classifier.load(args.out)
    check = parity(model, tokenizer, classifier, PARITY_POSTS + [r["text"] for r in dev[: args.dev_sample]])
    fixed = parity(model, tokenizer, classifier, PARITY_POSTS)
    (args.out / "parity.json").write_text(json.dumps({
        "tolerance": LOGIT_TOLERANCE,
        "posts": PARITY_POSTS,
        "torch_logits": np.round(fixed["reference"], 5).tolist(),
    }, indent=2, ensure_ascii=False) + "\n")
    summary = {k: v for k, v in check.items() if k != "reference"}
    summary["size_mb"] = round((args.out / MODEL_FILE).stat().st_size / 1e6, 2)
    print(json.dumps(summary))
    if fixed["max_abs_logit_diff"] > LOGIT_TOLERANCE or fixed["flag_agreement_off_margin"] < 1.0:
        sys.exit(f"parity failed on the fixed posts: logits differ by {fixed['max_abs_logit_diff']:.3f} "
                 f"(tolerance {LOGIT_TOLERANCE}) or flags differ away from the thresholds "
                 f"({fixed['flag_agreement_off_margin']:.2%} agree)")
    return summary


if __name__ == "__main__":
    main()
