"""Make an int8 graph compute the same on every x86 CPU, and re-tune its thresholds on dev.

    python -m scripts.model.requantize --model-dir models     # rewrites campfire.int8.onnx and labels.json

Why: onnxruntime runs a dynamic int8 MatMul (uint8 activations times int8 weights) with
VPMADDUBSW on CPUs without VNNI (AVX2 and AVX-512 without VNNI: Intel before Ice Lake, AMD before
Zen 4). That instruction adds two uint8 x int8 products into a signed 16-bit lane and saturates
when they pass 32,767: 2 x 255 x 127 can reach 64,770. VNNI CPUs add in 32 bits and never saturate
(OpenVINO, "Saturation (overflow) issue workaround"; onnxruntime's `reduce_range` option). The
8-bit-weight graph shipped before this scored dev macro-F1 0.798 through the decision on the
machine its figures were first measured on; on a 2-core AMD EPYC with AVX2 and no VNNI, the same
file scored 0.789, its logits up to 0.16 from PyTorch's on the parity posts (0.09 before). The
MatMulNBits nodes at accuracy level 4 (int8 arithmetic) moved too.

The fix: weights of at most WEIGHT_LIMIT in absolute value (7 bits: 2 x 255 x 64 = 32,640 fits),
and MatMulNBits at accuracy level NBITS_ACCURACY (fp32 arithmetic on the 8-bit weights). A new
export quantizes that way from the fp32 weights (scripts/model/export.py). This script does it to
a graph already quantized to 8 bits, for a run whose fp32 weights are gone: each int8 weight is
halved (rounded to even) and its scale doubled. Nothing else changes, so the speed does not.
"""
from __future__ import annotations

import argparse
import os
from pathlib import Path

import numpy as np
import onnx
from onnx import numpy_helper

WEIGHT_LIMIT = 64
NBITS_ACCURACY = 1  # onnxruntime's accuracy_level: 1 = fp32 arithmetic
# op type -> (weight input, weight scale input): the ops that multiply uint8 by int8 weights.
INT8_WEIGHTS = {"MatMulInteger": (1, None), "QAttention": (1, 4)}


def _scale_name(node: onnx.NodeProto) -> str:
    weight, scale = INT8_WEIGHTS[node.op_type]
    # the dynamic quantizer names a MatMul weight's scale after the weight: "<w>_quantized" / "<w>_scale"
    return node.input[scale] if scale is not None else node.input[weight].removesuffix("_quantized") + "_scale"


def int8_weights(model: onnx.ModelProto) -> dict[str, np.ndarray]:
    """Every int8 weight an int8-by-uint8 op multiplies by, by initializer name."""
    inits = {init.name: init for init in model.graph.initializer}
    found = {}
    for node in model.graph.node:
        if node.op_type in INT8_WEIGHTS:
            name = node.input[INT8_WEIGHTS[node.op_type][0]]
            found[name] = numpy_helper.to_array(inits[name])
    return found


def nbits_accuracy(model: onnx.ModelProto) -> list[int]:
    return [attr.i for node in model.graph.node if node.op_type == "MatMulNBits"
            for attr in node.attribute if attr.name == "accuracy_level"]


def narrow(model: onnx.ModelProto) -> int:
    """Halve every 8-bit weight to 7 bits (scale doubled) and set the MatMulNBits accuracy level,
    in place. Returns how many weights changed."""
    inits = {init.name: init for init in model.graph.initializer}
    done = set()
    for node in model.graph.node:
        if node.op_type == "MatMulNBits":
            for attr in node.attribute:
                if attr.name == "accuracy_level":
                    attr.i = NBITS_ACCURACY
        if node.op_type not in INT8_WEIGHTS or node.input[INT8_WEIGHTS[node.op_type][0]] in done:
            continue
        name, scale = node.input[INT8_WEIGHTS[node.op_type][0]], _scale_name(node)
        weight = numpy_helper.to_array(inits[name])
        if weight.dtype != np.int8:
            raise SystemExit(f"{name}: expected int8 weights, found {weight.dtype}")
        halved = np.clip(np.round(weight.astype(np.float32) / 2), -WEIGHT_LIMIT, WEIGHT_LIMIT - 1).astype(np.int8)
        inits[name].CopyFrom(numpy_helper.from_array(halved, name))
        inits[scale].CopyFrom(numpy_helper.from_array(numpy_helper.to_array(inits[scale]) * np.float32(2), scale))
        done.add(name)
    return len(done)


def main(argv: list[str] | None = None) -> None:
    from companion.model import MODEL_FILE, Classifier
    from scripts.data import rawdata
    from scripts.model import metrics
    from scripts.model.export import write_config

    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--model-dir", type=Path, default=Path("models"))
    parser.add_argument("--dev", type=Path, default=rawdata.SHARED_DATA / "dev.jsonl")
    parser.add_argument("--version", required=True, help="the new model version (labels.json)")
    args = parser.parse_args(argv)
    path = args.model_dir / MODEL_FILE
    model = onnx.load(str(path))
    if max(int(np.abs(w.astype(np.int16)).max()) for w in int8_weights(model).values()) <= WEIGHT_LIMIT:
        raise SystemExit(f"{path}: already 7-bit")
    changed = narrow(model)
    staged = path.with_suffix(".tmp")
    onnx.save(model, str(staged))
    os.replace(staged, path)
    dev = rawdata.read_labelled(args.dev)
    gold = np.array([[r[n] for n in rawdata.LABELS] for r in dev])
    probs = Classifier.load(args.model_dir).scores([r["text"] for r in dev])
    thresholds = metrics.tune_thresholds(gold, probs)
    write_config(args.model_dir, thresholds, args.version)
    print(f"{changed} weights narrowed to 7 bits; thresholds tuned on dev: {thresholds}")


if __name__ == "__main__":
    main()
