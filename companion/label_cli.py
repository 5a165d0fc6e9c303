"""`campfire label`: label posts from a JSON Lines file, or one post given on the command line."""
from __future__ import annotations

import argparse
import json
import os
import sys
import tempfile
from pathlib import Path

from companion.decision import RULES, WHY, judge
from companion.model import Classifier, ModelError


class InputError(ValueError):
    """A line of the input file is not a post we can label."""


def register(commands) -> None:
    parser = commands.add_parser(
        "label", help="label posts in a JSON Lines file (or one post with --text)",
        description="Reads lines {\"id\": ..., \"text\": ...} and writes one line per post: "
                    "{\"id\": ..., \"labels\": {name: {\"score\", \"flag\"}}}, the same labels as the "
                    "companion's /v1/classify (missing_disclosure also says \"decided_by\" and "
                    "\"model_score\"). The whole file is checked before anything is written.")
    source = parser.add_mutually_exclusive_group(required=True)
    source.add_argument("file", nargs="?", type=Path, help="JSON Lines file with id and text per line")
    source.add_argument("--text", help="label this one post and print one readable line")
    parser.add_argument("--json", action="store_true",
                        help="with --text: print {\"labels\": ...} as JSON instead of a line")
    parser.add_argument("-o", "--output", type=Path, help="write here instead of standard output")
    parser.add_argument("--model-dir", type=Path, help="model folder (default: the shipped model)")
    parser.set_defaults(run=run)


def read_posts(path: Path) -> list[dict]:
    """Every line must be a JSON object with an `id` (string or number) and a string `text`."""
    posts = []
    if path.is_dir():
        raise InputError(f"{path}: is a folder; give a JSON Lines file")
    if not path.exists():
        raise InputError(f"{path}: no such file")
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except UnicodeDecodeError as exc:
        raise InputError(f"{path}: not UTF-8 text ({exc.reason} at byte {exc.start})") from exc
    except OSError as exc:
        raise InputError(f"{path}: cannot read it ({exc.strerror or exc})") from exc
    seen = set()
    for number, line in enumerate(lines, start=1):
        if not line.strip():
            continue
        where = f"{path}:{number}"
        try:
            row = json.loads(line)
        except json.JSONDecodeError as exc:
            raise InputError(f"{where}: invalid JSON ({json_problem(exc)})") from exc
        if not isinstance(row, dict):
            raise InputError(f"{where}: expected a JSON object with \"id\" and \"text\"")
        for field in ("id", "text"):
            if field not in row:
                raise InputError(f"{where}: missing field \"{field}\"")
        if not isinstance(row["id"], (str, int)) or isinstance(row["id"], bool):
            raise InputError(f"{where}: \"id\" must be a string or an integer")
        if not isinstance(row["text"], str):
            raise InputError(f"{where}: \"text\" must be a string, got {type(row['text']).__name__}")
        if row["id"] in seen:
            raise InputError(f"{where}: duplicate id {row['id']!r}")
        seen.add(row["id"])
        posts.append({"id": row["id"], "text": row["text"]})
    return posts


def json_problem(exc: json.JSONDecodeError) -> str:
    """json's message, with its column: "Unterminated string starting at" ends in "at" already."""
    message = exc.msg[0].lower() + exc.msg[1:]
    joiner = " column" if message.endswith(" at") else " at column"
    return f"{message}{joiner} {exc.colno}"


def readable(labels: dict, infos) -> str:
    """One line: the labels that apply (or "no label"), then every score in percent, and when the
    disclosure rules decided a label (companion.decision), that they did and what the model said."""
    flagged = [i.title for i in infos if labels[i.name]["flag"]]
    scores = ", ".join(f"{i.title} {labels[i.name]['score']:.0%}" for i in infos)
    ruled = [f"{i.title}: decided by the disclosure rules, {WHY[labels[i.name]['why']]} "
             f"(the model alone: {labels[i.name]['model_score']:.0%})"
             for i in infos if labels[i.name].get("decided_by") == RULES]
    return f"{' + '.join(flagged) or 'No label'} (scores: {scores})" + "".join(f"; {r}" for r in ruled)


def write_atomically(path: Path, lines: list[str]) -> None:
    """Write to a temporary file beside `path`, then rename: never a half-written output."""
    path = path.resolve()
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", dir=path.parent)
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as f:
            f.writelines(line + "\n" for line in lines)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def run(args: argparse.Namespace) -> int:
    try:
        if args.text is not None:
            if not args.text.strip():
                raise InputError("--text is empty: nothing to label")
            posts = [{"id": None, "text": args.text}]
        else:
            if args.json:
                raise InputError("--json goes with --text; a file's output is JSON Lines already")
            posts = read_posts(args.file)
            if not posts:
                print(f"campfire label: {args.file} has no posts (no non-blank line); nothing to label",
                      file=sys.stderr)
        if args.output is not None and not args.output.resolve().parent.is_dir():
            raise InputError(f"{args.output}: its folder does not exist")
        if args.output is not None and args.output.is_dir():
            raise InputError(f"{args.output}: is a folder; give a file name to write to")
        classifier = Classifier.load(args.model_dir)
    except (InputError, ModelError) as exc:
        print(f"campfire label: {exc}", file=sys.stderr)
        return 2
    results = judge(classifier, [p["text"] for p in posts]) if posts else []
    if args.text is not None:
        line = (json.dumps({"labels": results[0]}, ensure_ascii=False) if args.json
                else readable(results[0], classifier.labels))
        lines = [line]
    else:
        lines = [json.dumps({"id": p["id"], "labels": r}, ensure_ascii=False) for p, r in zip(posts, results)]
    if args.output is not None:
        write_atomically(args.output, lines)
    else:
        sys.stdout.write("".join(line + "\n" for line in lines))
    return 0
