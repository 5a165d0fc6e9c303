"""Check that the rules' outputs for real posts have not changed: the model's input for every
dev post, and the evidence and draft-check answers for dev and train posts.

    .venv/bin/python -m scripts.model.check_model_input            # compare with the digest file
    .venv/bin/python -m scripts.model.check_model_input --write    # record the current outputs

The digest file (data/digests/rules.json) holds one short SHA-256 per post and output, so a
change names the posts it touched; it holds no post text. Reads ../shared/data/{dev,train}.jsonl.
Exit status 1 when any output differs.
"""
from __future__ import annotations

import argparse
import hashlib
import json
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]

from companion.rules.draftcheck import check_draft
from companion.rules.evidence import evidence_for_labels
from companion.rules.textprep import model_input

DATA = ROOT.parent / "shared" / "data"
DIGESTS = ROOT / "data" / "digests" / "rules.json"
# What is recorded for each split: model input for dev only (what the issue asks to keep),
# the evidence and draft-check answers for both.
OUTPUTS = {
    "model_input": lambda text: model_input(text),
    "evidence": lambda text: json.dumps(evidence_for_labels(text, offsets="utf16"), ensure_ascii=False),
    "draftcheck": lambda text: json.dumps(check_draft(text, offsets="utf16"), ensure_ascii=False),
}
SPLITS = {"dev": ("model_input", "evidence", "draftcheck"), "train": ("evidence", "draftcheck")}


def _digest(value: str) -> str:
    return hashlib.sha256(value.encode("utf-8")).hexdigest()[:16]


def current(data: Path = DATA) -> dict:
    out = {}
    for split, outputs in SPLITS.items():
        for line in (data / f"{split}.jsonl").read_text(encoding="utf-8").splitlines():
            post = json.loads(line)
            for name in outputs:
                out.setdefault(f"{split}/{name}", {})[post["id"]] = _digest(OUTPUTS[name](post["text"]))
    return out


def differences(recorded: dict, now: dict) -> dict[str, list[str]]:
    diff = {}
    for key in sorted(set(recorded) | set(now)):
        a, b = recorded.get(key, {}), now.get(key, {})
        changed = sorted(i for i in set(a) | set(b) if a.get(i) != b.get(i))
        if changed:
            diff[key] = changed
    return diff


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--write", action="store_true", help="record the current outputs")
    parser.add_argument("--digests", type=Path, default=DIGESTS)
    args = parser.parse_args(argv)
    now = current()
    if args.write:
        args.digests.parent.mkdir(parents=True, exist_ok=True)
        args.digests.write_text(json.dumps(now, indent=0, sort_keys=True) + "\n", encoding="utf-8")
        print(f"wrote {sum(map(len, now.values()))} digests to {args.digests}")
        return 0
    diff = differences(json.loads(args.digests.read_text(encoding="utf-8")), now)
    for key, ids in diff.items():
        print(f"{key}: {len(ids)} posts differ: {', '.join(ids[:20])}")
    if not diff:
        print(f"unchanged: {', '.join(f'{k} ({len(v)})' for k, v in now.items())}")
    return 1 if diff else 0


if __name__ == "__main__":
    sys.exit(main())
