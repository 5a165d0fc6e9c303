"""Rules time on adversarial posts: ms to read a post (`analyze`) and to check a draft
(`check_draft`) for texts built to make a pattern backtrack, at 2,000, 8,000 and 20,000
characters, beside a plain post of the same length measured in the same run.

    .venv/bin/python scripts/bench_rules.py --out bench-results/rules.json [--label after]

Each figure is the best of --repeats runs (the least disturbed by other work on the machine).
Writes FILE (JSON: every figure, the command, the machine's load) and prints a table;
with an existing FILE, the new run is added under its --label beside the earlier ones.
"""
from __future__ import annotations

import argparse
import json
import os
import platform
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from companion.rules.draftcheck import check_draft  # noqa: E402
from companion.rules.reading import analyze  # noqa: E402

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
        begin = time.perf_counter()
        fn(text)
        best = min(best, time.perf_counter() - begin)
    return round(best * 1000, 2)


def run(sizes, repeats: int) -> dict:
    out = {}
    for name, unit in FAMILIES.items():
        out[name] = {}
        for size in sizes:
            text = build(unit, size)
            out[name][str(size)] = {"analyze_ms": best_ms(analyze, text, repeats),
                                    "check_draft_ms": best_ms(check_draft, text, repeats)}
        print(name, out[name], flush=True)
    return out


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--out", type=Path, default=Path("bench-results/rules.json"))
    parser.add_argument("--label", default="current")
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--sizes", type=int, nargs="+", default=list(SIZES))
    args = parser.parse_args(argv)
    figures = run(args.sizes, args.repeats)
    record = json.loads(args.out.read_text()) if args.out.exists() else {}
    record[args.label] = {"command": " ".join(sys.argv), "machine": platform.processor() or platform.machine(),
                          "cpus": os.cpu_count(), "load_average": os.getloadavg(), "repeats": args.repeats,
                          "figures": figures}
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(record, indent=1) + "\n")
    print(f"wrote {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
