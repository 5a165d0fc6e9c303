"""Rules time on adversarial posts: ms to read a post (`analyze`) and to check a draft
(`check_draft`) for texts built to make a pattern backtrack, at 2,000, 8,000 and 20,000
characters, beside a plain post of the same length.

    .venv/bin/python -m scripts.bench.rules --out bench-results/rules.json [--against REF]

With --against REF (a git commit, e.g. the one before the rules were made linear), the rules
of REF run in a child process from a copy of REF's companion/, and the two take turns family
by family, so the load of a shared machine falls on both alike. Each figure is the best of
--repeats runs (a run over a second is not repeated), in CPU time of the thread
(`time.thread_time`), which other work on a shared machine stretches far less than wall time. Writes FILE (JSON: every figure, the
command, the machine's load) and prints the Markdown table.
"""
from __future__ import annotations

import argparse
import io
import json
import os
import platform
import subprocess
import sys
import tarfile
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]

SIZES = (2000, 8000, 20000)
PLAIN = ("Had a lovely walk by the river this morning, the light was soft and the dog found "
         "every puddle. What do you all do on slow Sundays? ")
# Each family repeats a pattern's own separators or trigger words.
FAMILIES = {
    "plain post": PLAIN,
    "b. (domain-like dots)": "b.",
    "@ (handles)": "@",
    "# (hashtags)": "#",
    "http:// (links)": "http://",
    ". (sentence ends)": ". ",
    "a- (hyphenated words)": "a-",
    "([{ nested punctuation": "([{",
    "long word": "a",
    "code (discount codes)": "code ",
    "#ad (disclosure tags)": "#ad ",
    "ad: (disclosure labels)": "ad: ",
    "I work at (statements)": "I work at ",
    "tag a friend (bait)": "tag ",
    "gifted by (gift statements)": "gifted by ",
    "amzn.to/ (short links)": "amzn.to/x ",
    "a.b/ (bare domains)": "a.com/",
    "emoji run": "\U0001F525",
    "newlines": "\n",
    "www.": "www.",
    "Werbung (line-start labels)": "Werbung ",
    "#a (hashtag chain)": "#a",
    "x#ad (tags inside words)": "x#ad",
    "tag friends #ad (bait beside disclosures)": "tag friends #ad ",
    "tag friends. (bait before a run of stops)": lambda size: build("tag friends ", size // 2) + "." * (size - size // 2),
    "@a.b (dotted handles)": "@a.b",
    "Partner (names)": "Partnered with Acme ",
}


def build(unit, size: int) -> str:
    """`unit` repeated to `size` characters (or a function of the size that makes the text)."""
    return unit(size) if callable(unit) else (unit * (size // len(unit) + 1))[:size]


def best_ms(fn, text: str, repeats: int) -> float:
    best = float("inf")
    for _ in range(repeats):
        begin = time.thread_time()
        fn(text)
        best = min(best, time.thread_time() - begin)
        if best > 1.0:
            break
    return round(best * 1000, 2)


def rules(code: Path | None = None):
    """(analyze, check_draft) of this tree, or of an older one at `code` (before or after the
    rules moved into companion/rules/)."""
    if code is not None:
        sys.path.insert(0, str(code))
    else:
        sys.path.insert(0, str(REPO))
    try:
        from companion.rules.draftcheck import check_draft
        from companion.rules.reading import analyze
    except ImportError:
        from companion.draftcheck import check_draft
        from companion.evidence import analyze
    import companion
    assert Path(companion.__file__).resolve().is_relative_to((code or REPO).resolve()), companion.__file__
    return analyze, check_draft


def family(name: str, sizes, repeats: int, analyze, check_draft) -> dict:
    out = {}
    for size in sizes:
        text = build(FAMILIES[name], size)
        out[str(size)] = {"analyze_ms": best_ms(analyze, text, repeats),
                          "check_draft_ms": best_ms(check_draft, text, repeats)}
    return out


def serve(code: Path, sizes, repeats: int) -> None:
    """Child process: read family names on stdin, answer each with its figures on one line."""
    analyze, check_draft = rules(code)
    for line in sys.stdin:
        print(json.dumps(family(line.strip(), sizes, repeats, analyze, check_draft)), flush=True)


def checkout(ref: str, into: Path) -> Path:
    """REF's companion/ package, copied into `into`."""
    archive = subprocess.run(["git", "-C", str(REPO), "archive", ref, "companion"], check=True,
                             capture_output=True).stdout
    with tarfile.open(fileobj=io.BytesIO(archive)) as tar:
        tar.extractall(into, filter="data")
    return into


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--out", type=Path, default=Path("bench-results/rules.json"))
    parser.add_argument("--against", metavar="REF", help="also time the rules of this git commit, in turns")
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--sizes", type=int, nargs="+", default=list(SIZES))
    parser.add_argument("--serve", type=Path, help=argparse.SUPPRESS)  # the child process for --against
    args = parser.parse_args(argv)
    if args.serve:
        serve(args.serve, args.sizes, args.repeats)
        return 0
    analyze, check_draft = rules()
    labels = ["this tree"] + ([f"{args.against}"] if args.against else [])
    figures = {label: {} for label in labels}
    with tempfile.TemporaryDirectory() as tmp:
        child = None
        if args.against:
            code = checkout(args.against, Path(tmp))
            child = subprocess.Popen([sys.executable, __file__, "--serve", str(code), "--repeats", str(args.repeats),
                                      "--sizes", *map(str, args.sizes)], stdin=subprocess.PIPE,
                                     stdout=subprocess.PIPE, text=True, cwd=tmp)
        for turn, name in enumerate(FAMILIES):
            sides = ["this tree", "other"] if child else ["this tree"]
            for side in sides if turn % 2 == 0 else sides[::-1]:  # who goes first alternates
                if side == "other":
                    child.stdin.write(name + "\n")
                    child.stdin.flush()
                    figures[args.against][name] = json.loads(child.stdout.readline())
                else:
                    figures["this tree"][name] = family(name, args.sizes, args.repeats, analyze, check_draft)
            print(name, {label: figures[label][name] for label in labels}, flush=True)
        if child:
            child.stdin.close()
            child.wait()
    record = {label: {"figures": figures[label]} for label in labels}
    meta = {"command": " ".join(["python", "-m", "scripts.bench.rules", *sys.argv[1:]]), "machine": platform.processor() or platform.machine(),
            "cpus": os.cpu_count(), "load_average_at_end": os.getloadavg(), "repeats": args.repeats,
            "runs": record}
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(meta, indent=1) + "\n")
    print(table(record))
    print(f"wrote {args.out}")
    return 0


def table(record: dict) -> str:
    """family | per run: read / draft check ms at each size."""
    labels = list(record)
    sizes = [s for s in map(str, SIZES) if all(s in f for run in record.values() for f in run["figures"].values())]
    head = "| family | " + " | ".join(f"{label}: ms at {'/'.join(sizes)} (read; check)" for label in labels) + " |"
    lines = [head, "|---" * (len(labels) + 1) + "|"]
    families = dict.fromkeys(name for run in record.values() for name in run["figures"])
    for name in families:
        cells = []
        for label in labels:
            f = record[label]["figures"].get(name)
            cells.append("" if f is None else " / ".join(str(f[s]["analyze_ms"]) for s in sizes) + "; "
                         + " / ".join(str(f[s]["check_draft_ms"]) for s in sizes))
        lines.append(f"| {name} | " + " | ".join(cells) + " |")
    return "\n".join(lines)


if __name__ == "__main__":
    sys.exit(main())
