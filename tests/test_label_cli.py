"""`campfire label`: good input, one post, and bad input that must stop before writing."""
import json
import subprocess
import sys

import pytest

from companion.cli import main
from companion.decision import judge

POSTS = [
    {"id": "a", "text": "Has anyone tried switching to a standing desk? Worth it?"},
    {"id": 7, "text": "Check out my new channel and please subscribe!!"},
    {"id": "c", "text": "Obsessed with @glowskin serum, use my code JANE20 https://amzn.to/3xYz"},
]


def write_jsonl(path, rows):
    path.write_text("".join((r if isinstance(r, str) else json.dumps(r)) + "\n" for r in rows))
    return path


def test_labels_file_in_order_to_output(tmp_path, classifier):
    src = write_jsonl(tmp_path / "in.jsonl", POSTS)
    out = tmp_path / "out.jsonl"
    assert main(["label", str(src), "-o", str(out)]) == 0
    lines = [json.loads(line) for line in out.read_text().splitlines()]
    assert [line["id"] for line in lines] == ["a", 7, "c"]
    expected = judge(classifier, [p["text"] for p in POSTS])
    for line, want in zip(lines, expected):
        assert set(line["labels"]) == {"self_promotion", "missing_disclosure", "conversational"}
        for name, value in line["labels"].items():
            assert value["score"] == pytest.approx(want[name]["score"], abs=1e-4)
            assert value["flag"] == want[name]["flag"]


def test_labels_to_stdout_and_skips_blank_lines(tmp_path, capsys):
    src = write_jsonl(tmp_path / "in.jsonl", [POSTS[0], "", POSTS[1]])
    assert main(["label", str(src)]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert [json.loads(line)["id"] for line in lines] == ["a", 7]


def test_text_option_prints_one_readable_line(capsys, classifier):
    text = "What's one book that changed how you work?"
    assert main(["label", "--text", text]) == 0
    (line,) = capsys.readouterr().out.splitlines()
    (want,) = classifier.predict([text])
    flagged = [i.title for i in classifier.labels if want[i.name]["flag"]]
    assert line.startswith(" + ".join(flagged) or "No label")
    for info in classifier.labels:
        assert f"{info.title} {want[info.name]['score']:.0%}" in line
    assert "{" not in line and '"id"' not in line


def test_text_option_with_json_prints_the_labels_alone(capsys, classifier):
    text = "What's one book that changed how you work?"
    assert main(["label", "--json", "--text", text]) == 0
    (line,) = capsys.readouterr().out.splitlines()
    payload = json.loads(line)
    assert list(payload) == ["labels"]  # no made-up "id": "text"
    assert payload["labels"]["conversational"]["flag"] == classifier.predict([text])[0]["conversational"]["flag"]


def test_empty_text_is_refused(capsys):
    assert main(["label", "--text", "  "]) == 2
    assert "nothing to label" in capsys.readouterr().err


@pytest.mark.parametrize("bad_line, message", [
    ('{"id": "x", "text": "fine"', "line 2: invalid JSON"),
    ('{"text": "no id"}', 'line 2: missing field "id"'),
    ('{"id": "x"}', 'line 2: missing field "text"'),
    ('{"id": "x", "text": 42}', 'line 2: "text" must be a string, got int'),
    ('{"id": null, "text": "t"}', 'line 2: "id" must be a string or an integer'),
    ('["id", "text"]', "line 2: expected a JSON object"),
    ('{"id": "a", "text": "again"}', "line 2: duplicate id 'a'"),
])
def test_bad_line_stops_naming_it_and_writes_nothing(tmp_path, capsys, bad_line, message):
    src = write_jsonl(tmp_path / "in.jsonl", [POSTS[0], bad_line, POSTS[2]])
    out = tmp_path / "out.jsonl"
    out.write_text("previous contents\n")
    assert main(["label", str(src), "-o", str(out)]) == 2
    err = capsys.readouterr().err
    assert f"in.jsonl:{message.split('line ')[1]}" in err.replace(str(tmp_path) + "/", "")
    assert out.read_text() == "previous contents\n"


def test_non_utf8_file_is_refused(tmp_path, capsys):
    src = tmp_path / "in.jsonl"
    src.write_bytes(b'{"id": "a", "text": "caf\xe9"}\n')
    assert main(["label", str(src)]) == 2
    assert "not UTF-8" in capsys.readouterr().err


def test_invalid_json_message_reads_cleanly(tmp_path, capsys):
    src = write_jsonl(tmp_path / "in.jsonl", ['{"id": "x", "text": "unterminated'])
    assert main(["label", str(src)]) == 2
    err = capsys.readouterr().err
    assert "in.jsonl:1: invalid JSON (unterminated string starting at column 21)" in err
    assert "at at" not in err


def test_a_folder_is_refused_without_a_traceback(tmp_path):
    for args in (["label", str(tmp_path)], ["label", str(write_jsonl(tmp_path / "in.jsonl", POSTS[:1])),
                                            "-o", str(tmp_path)]):
        done = subprocess.run([sys.executable, "-m", "companion", *args], capture_output=True, text=True)
        assert done.returncode == 2
        assert "is a folder" in done.stderr and "Traceback" not in done.stderr
        assert done.stdout == ""


def test_empty_file_says_so(tmp_path, capsys):
    src = tmp_path / "in.jsonl"
    src.write_text("\n  \n")
    out = tmp_path / "out.jsonl"
    assert main(["label", str(src), "-o", str(out)]) == 0
    assert "has no posts" in capsys.readouterr().err
    assert out.read_text() == ""


def test_bare_campfire_prints_help_listing_each_command_on_one_line():
    for args in ([], ["--help"]):
        done = subprocess.run([sys.executable, "-m", "companion", *args], capture_output=True, text=True)
        assert done.returncode == 0 and done.stderr == ""
        lines = done.stdout.splitlines()
        for command in ("label", "check", "serve", "pair"):
            (line,) = [l for l in lines if l.split()[:1] == [command]]
            assert len(line.split()) > 3  # the command and its one-line description


def test_missing_file_is_refused(tmp_path, capsys):
    assert main(["label", str(tmp_path / "nope.jsonl")]) == 2
    assert "no such file" in capsys.readouterr().err


def test_console_script_runs_as_a_real_process(tmp_path):
    src = write_jsonl(tmp_path / "in.jsonl", POSTS[:1])
    done = subprocess.run([sys.executable, "-m", "companion", "label", str(src)],
                          capture_output=True, text=True, check=True)
    assert json.loads(done.stdout)["id"] == "a"
