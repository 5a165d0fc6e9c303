"""The rules' outputs on real posts stay as recorded: the model's input for every dev post
(the shipped model was trained and measured on exactly that text), and the evidence and draft
checks for dev and train posts. A deliberate change re-records them with
`python -m scripts.model.check_model_input --write` (and, if the model's input changed, the model is
retrained or re-measured)."""
import importlib.util
import json
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent
DATA = REPO.parent / "shared" / "data"

pytestmark = pytest.mark.skipif(not (DATA / "dev.jsonl").is_file(), reason="needs ../shared/data/dev.jsonl")


def test_rules_outputs_on_dev_and_train_are_as_recorded():
    spec = importlib.util.spec_from_file_location("check_model_input", REPO / "scripts" / "model" / "check_model_input.py")
    check = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(check)
    recorded = json.loads(check.DIGESTS.read_text(encoding="utf-8"))
    now = check.current(DATA)
    assert set(now) == set(recorded)
    assert check.differences(recorded, now) == {}
