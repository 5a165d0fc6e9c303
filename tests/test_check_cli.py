"""`campfire check`: the marked-up report, --json, stdin, exit statuses, and what it imports."""
from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from jsonschema import Draft202012Validator

from companion.cli import main
from companion.rules.draftcheck import check_payload
from companion.model import default_model_dir

ROOT = Path(__file__).resolve().parent.parent
HAS_MODEL = (default_model_dir() / "labels.json").exists()


def campfire(*args: str, stdin: bytes | None = None) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "companion", *args], input=stdin, capture_output=True,
                          cwd=ROOT, timeout=60, env={**os.environ, "PYTHONPATH": str(ROOT)})


def test_report_underlines_each_problem_and_suggests_a_fix(capsys):
    text = "Loving it #sp amzn.to/x\nTag 3 friends!"
    assert main(["check", "--no-model", text]) == 1
    out = capsys.readouterr().out.splitlines()
    assert out[:4] == [
        "Loving it #sp amzn.to/x",
        "          ^^^",
        "Tag 3 friends!",
        "^^^^^^^^^^^^^^",
    ]
    assert out[5].startswith("1. 1:11 WEAK_DISCLOSURE (warning): “#sp” does not tell readers this is paid.")
    assert out[6] == "   suggestion: “#ad”"
    assert out[7].startswith("2. 2:1 ENGAGEMENT_BAIT (warning): “Tag 3 friends” is engagement bait")
    assert out[8] == "   suggestion: remove it"


def test_carets_line_up_after_wide_emoji(capsys):
    assert main(["check", "--no-model", "🎉🎉 fun #spon"]) == 1
    lines = capsys.readouterr().out.splitlines()
    assert lines[1] == " " * 9 + "^^^^^"  # each emoji takes two terminal columns


def test_long_suggestion_is_shortened(capsys):
    text = "Loving this serum amzn.to/x " + "#skincare #beauty #glow #selfcare #makeup " * 3 + "#ad"
    assert main(["check", "--no-model", text]) == 1
    hint = [l for l in capsys.readouterr().out.splitlines() if "suggestion" in l][0]
    assert hint.startswith("   suggestion: “#ad Loving this serum amzn.to/x #skincare") and hint.endswith("…”")


def test_clean_draft_exits_0(capsys):
    assert main(["check", "--no-model", "Has anyone tried a standing desk? Worth it?"]) == 0
    assert capsys.readouterr().out == "No problems found.\n"


def test_fail_on_sets_the_lowest_severity_that_fails():
    assert main(["check", "--no-model", "--fail-on", "error", "Fun shoot #collab"]) == 0
    assert main(["check", "--no-model", "--fail-on", "error", "Get yours amzn.to/x"]) == 1


@pytest.mark.parametrize("args", [[], ["-"]])
def test_reads_the_draft_from_stdin(args):
    result = campfire("check", "--no-model", *args, stdin="🎉 use code SAVE20 for 20% off\n".encode())
    assert result.returncode == 1, result.stderr
    lines = result.stdout.decode().splitlines()
    assert lines[:3] == ["🎉 use code SAVE20 for 20% off", "^^", ""]  # the final newline adds no line
    assert lines[3].startswith("1. 1:1 UNDISCLOSED_TIE (error): ")


@pytest.mark.parametrize("stdin, message", [
    (b"   \n", "nothing to check: the draft is empty"),
    (b"caf\xe9 #ad", "standard input is not UTF-8 text"),
    (b"a" * 100_001, "the draft has 100001 characters; the most is 100000"),
])
def test_bad_input_exits_2(stdin, message):
    result = campfire("check", "--no-model", stdin=stdin)
    assert result.returncode == 2
    assert f"campfire check: {message}" in result.stderr.decode()
    assert result.stdout == b""


def test_json_is_the_api_answer_with_utf16_offsets(capsys):
    text = "😍😍 so good #sp amzn.to/x"
    assert main(["check", "--no-model", "--json", text]) == 1
    payload = json.loads(capsys.readouterr().out)
    assert payload == check_payload(text, None, None)
    assert payload["model"] is None and payload["labels"] is None
    (match,) = payload["matches"]
    assert (match["rule"], match["offset"], match["length"]) == ("WEAK_DISCLOSURE", 13, 3)


def test_missing_model_folder_checks_the_evidence_alone(tmp_path, capsys):
    assert main(["check", "--json", "--model-dir", str(tmp_path / "none"), "Get yours amzn.to/x"]) == 1
    captured = capsys.readouterr()
    assert "no model in" in captured.err and "evidence rules only" in captured.err
    assert json.loads(captured.out)["labels"] is None


def test_broken_model_exits_2(tmp_path, capsys):
    (tmp_path / "labels.json").write_text("{not json")
    assert main(["check", "--model-dir", str(tmp_path), "Get yours amzn.to/x"]) == 2
    assert "campfire check: cannot use the model" in capsys.readouterr().err


@pytest.mark.skipif(not HAS_MODEL, reason="no model in models/")
@pytest.mark.skipif(not HAS_MODEL, reason="no model in models/")
def test_an_honest_launch_post_passes_with_a_note(capsys):
    text = "My new course is live! Sign up today, link in bio"
    assert main(["check", text]) == 0
    out = capsys.readouterr().out
    assert "SELF_PROMOTION_NOTE (info)" in out  # the note is shown...
    assert out.rstrip().endswith("No problems found; the notes above are for information.")
    assert main(["check", "--fail-on", "info", text]) == 1  # ...and fails only when asked to


@pytest.mark.skipif(not HAS_MODEL, reason="no model in models/")
def test_a_draft_the_model_flags_fails_even_where_the_rules_see_no_tie(capsys):
    text = "These running shoes from Stride changed my mornings. Get yours at stride.com"
    assert main(["check", "--no-model", text]) == 0  # the rules alone see nothing here
    capsys.readouterr()
    assert main(["check", text]) == 1
    out = capsys.readouterr().out
    assert "MODEL_ENDORSEMENT (warning): Reads as an endorsement, but names no disclosure" in out
    assert "suggestion: “#ad These”" in out
    assert main(["check", "#ad " + text]) == 0, "the suggested fix clears the flag"


@pytest.mark.skipif(not HAS_MODEL, reason="no model in models/")
def test_json_with_the_real_model_matches_the_server_schema(capsys):
    from companion.server.schemas import response_schemas

    text = "My new course is live! Sign up today, link in bio"
    main(["check", "--json", text])
    payload = json.loads(capsys.readouterr().out)
    shipped = json.loads((default_model_dir() / "labels.json").read_text())
    assert payload["model"] == shipped["model"]
    assert list(payload["labels"]) == [label["name"] for label in shipped["labels"]]
    Draft202012Validator(response_schemas()["CheckResponse"]).validate(payload)
    labels = payload["labels"]
    noted = any(m["rule"] == "SELF_PROMOTION_NOTE" for m in payload["matches"])
    assert noted == (labels["self_promotion"]["flag"] and not labels["conversational"]["flag"])


def probe(code: str) -> dict:
    """Run `code` in a fresh interpreter; it prints one JSON line on stderr."""
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, cwd=ROOT, timeout=60,
                            env={**os.environ, "PYTHONPATH": str(ROOT)})
    return json.loads(result.stderr.decode().strip().splitlines()[-1])


HEAVY = "('torch', 'transformers', 'sentence_transformers', 'onnxruntime', 'numpy')"
DRAFT = "('Loving this serum amzn.to/3xYz #skincare use code SAVE20 for 20% off 🎉 #sp\\n' * 250)[:20000]"


def test_campfire_check_is_fast_and_free_of_torch():
    report = probe(
        "import json, sys, time\n"
        "from companion.cli import build_parser, main\n"
        "build_parser()  # imports every command's module: the label command's model runtime is not ours to time\n"
        f"draft = {DRAFT}\n"
        "started = time.process_time()\n"
        "status = main(['check', '--no-model', '--json', draft])\n"
        "spent = time.process_time() - started\n"
        f"heavy = sorted(m for m in {HEAVY} if m in sys.modules)\n"
        "print(json.dumps({'status': status, 'spent': spent, 'heavy': heavy}), file=sys.stderr)\n")
    assert report["status"] == 1
    # The label command beside it imports onnxruntime; the training stack must stay out.
    assert not {"torch", "transformers", "sentence_transformers"} & set(report["heavy"])
    assert report["spent"] < 0.5


def test_the_rules_alone_import_no_model_runtime():
    report = probe(
        "import json, sys, time\n"
        "from companion.rules.draftcheck import check_draft\n"
        "from companion.rules.evidence import evidence_for_labels\n"
        f"draft = {DRAFT}\n"
        "started = time.process_time()\n"
        "found = len(check_draft(draft, None, 'utf16')) + len(evidence_for_labels(draft, 'utf16'))\n"
        "spent = time.process_time() - started\n"
        f"heavy = sorted(m for m in {HEAVY} if m in sys.modules)\n"
        "print(json.dumps({'found': found, 'spent': spent, 'heavy': heavy}), file=sys.stderr)\n")
    assert report["found"] > 0
    assert report["heavy"] == []
    assert report["spent"] < 0.5
