"""`campfire check`: check a draft for undisclosed ties, weak or buried disclosures and bait.

The draft comes from the argument, or from standard input when there is none or it is "-".
It prints the draft with each problem underlined, then one line per problem with its
suggestion; `--json` prints the companion's `/v1/check` answer instead (UTF-16 offsets, as
the extension counts). Exit status: 0 no problem (notes, such as "reads as self-promotion", are
printed but do not count), 1 a problem found (at or above `--fail-on`, default warning), 2 bad
input or an unreadable model, so it fits a pre-publish script.
"""
from __future__ import annotations

import argparse
import json
import sys
import unicodedata
from pathlib import Path

from companion.rules.draftcheck import check_draft, check_payload

MAX_CHARS = 100_000
SEVERITY_RANK = {"info": 0, "warning": 1, "error": 2}
SHOWN_CHARS = 70


class InputError(ValueError):
    """The draft cannot be read or is empty."""


def register(commands) -> None:
    parser = commands.add_parser(
        "check", help="check a draft before posting it (disclosures, engagement bait)",
        description="Finds commercial ties with no clear disclosure, weak (#sp) or buried (#ad at the "
                    "end of a run of hashtags) disclosures, and engagement bait, and suggests a fix "
                    "for each. Nothing leaves your machine. "
                    "Exit status: 0 no problem (notes do not count), 1 a problem found, 2 bad input.")
    parser.add_argument("text", nargs="?", default="-",
                        help='the draft; "-" or nothing reads it from standard input')
    parser.add_argument("--json", action="store_true",
                        help="print the same JSON as the companion's /v1/check (UTF-16 offsets)")
    parser.add_argument("--no-model", action="store_true",
                        help="skip the model: evidence rules only, no self-promotion note")
    parser.add_argument("--model-dir", type=Path, help="model folder (default: the shipped model)")
    parser.add_argument("--fail-on", choices=tuple(SEVERITY_RANK), default="warning",
                        help="lowest severity that makes the exit status 1 (default: warning; "
                             "info also fails on notes)")
    parser.set_defaults(run=run)


def read_draft(arg: str) -> str:
    if arg == "-":
        if sys.stdin.isatty():
            print("campfire check: reading the draft from standard input (end it with Ctrl-D)", file=sys.stderr)
        try:
            text = sys.stdin.buffer.read().decode("utf-8")
        except UnicodeDecodeError as exc:
            raise InputError(f"standard input is not UTF-8 text ({exc.reason} at byte {exc.start})") from exc
    else:
        text = arg
    if not text.strip():
        raise InputError("nothing to check: the draft is empty")
    if len(text) > MAX_CHARS:
        raise InputError(f"the draft has {len(text)} characters; the most is {MAX_CHARS}")
    return text


def model_labels(args: argparse.Namespace, text: str) -> tuple[dict | None, dict | None]:
    """(labels, model) from the real classifier, or (None, None) without one."""
    if args.no_model:
        return None, None
    # Imported here: the evidence rules alone must not pay for onnxruntime.
    from companion.model import LABELS_FILE, Classifier, default_model_dir
    model_dir = args.model_dir or default_model_dir()
    if not (Path(model_dir) / LABELS_FILE).exists():
        print(f"campfire check: no model in {model_dir}; checking the evidence rules only", file=sys.stderr)
        return None, None
    from companion.decision import judge
    classifier = Classifier.load(model_dir, threads=1)
    return judge(classifier, [text])[0], {"name": classifier.name, "version": classifier.version}


def char_width(ch: str) -> int:
    if unicodedata.combining(ch) or unicodedata.category(ch) in ("Mn", "Me", "Cf") or ch == "\ufe0f":
        return 0
    return 2 if unicodedata.east_asian_width(ch) in ("W", "F") else 1


def underline(line: str, marked: set[int], offset: int) -> str:
    """Carets under the characters of `line` (starting at `offset` in the draft) that are marked."""
    return "".join(("^" if offset + i in marked else " ") * char_width(ch)
                   for i, ch in enumerate(line)).rstrip()


def marked_up(text: str, matches: list[dict]) -> list[str]:
    marked = {i for m in matches for i in range(m["offset"], m["offset"] + max(m["length"], 1))}
    out, offset = [], 0
    lines = text.split("\n")
    for line in lines[:-1] if len(lines) > 1 and lines[-1] == "" else lines:
        shown = line.replace("\t", " ")
        out.append(shown)
        carets = underline(shown, marked, offset)
        if carets:
            out.append(carets)
        offset += len(line) + 1
    return out


def position(text: str, offset: int) -> str:
    line = text.count("\n", 0, offset) + 1
    column = offset - (text.rfind("\n", 0, offset) + 1) + 1
    return f"{line}:{column}"


def suggestion(match: dict) -> str:
    if not match["replacements"]:
        return ""
    value = match["replacements"][0]["value"]
    if value == "":
        return "suggestion: remove it"
    value = value.replace("\n", "⏎")
    if len(value) > SHOWN_CHARS:
        value = value[:SHOWN_CHARS - 1] + "…"
    return f"suggestion: “{value}”"


def report(text: str, matches: list[dict]) -> str:
    if not matches:
        return "No problems found.\n"
    lines = marked_up(text, matches) + [""]
    for n, m in enumerate(matches, start=1):
        lines.append(f"{n}. {position(text, m['offset'])} {m['rule']} ({m['severity']}): {m['message']}")
        hint = suggestion(m)
        if hint:
            lines.append(f"   {hint}")
    if all(m["severity"] == "info" for m in matches):
        lines += ["", "No problems found; the notes above are for information."]
    return "\n".join(lines) + "\n"


def run(args: argparse.Namespace) -> int:
    try:
        text = read_draft(args.text)
        labels, model = model_labels(args, text)
    except InputError as exc:
        print(f"campfire check: {exc}", file=sys.stderr)
        return 2
    except Exception as exc:  # ModelError, or onnxruntime's own error for a broken model file
        print(f"campfire check: cannot use the model: {exc} (use --no-model to skip it)", file=sys.stderr)
        return 2
    if args.json:
        payload = check_payload(text, labels, model, offsets="utf16")
        matches = payload["matches"]
        sys.stdout.write(json.dumps(payload, ensure_ascii=False) + "\n")
    else:
        matches = check_draft(text, labels)
        sys.stdout.write(report(text, matches))
    threshold = SEVERITY_RANK[args.fail_on]
    return 1 if any(SEVERITY_RANK[m["severity"]] >= threshold for m in matches) else 0
