"""Run the behaviour suite (tests/behaviour/behaviour_cases.py) against the shipped model and its
decision layer, and print the pass table per group that the model card shows.

    python -m scripts.model.behaviour [--model-dir models] [--out FILE] [--failures]

`--out` writes the table as JSON (what scripts/model/model_card.py reads); `--failures` also lists
every failing post.
"""
from __future__ import annotations

import argparse
import json
from pathlib import Path

from companion.decision import judge
from companion.model import Classifier
from tests.behaviour.behaviour_cases import EXCEPTIONS, run


def model_alone(classifier: Classifier, texts: list[str]) -> list[dict]:
    return classifier.predict(texts)


def table(model_dir: Path | None = None) -> list[dict]:
    """Per group: what users see (model + rules), and the model alone for comparison."""
    classifier = Classifier.load(model_dir)
    alone = {r.group: r.passed for r in run(classifier, model_alone)}
    return [{"group": r.group, "kind": r.kind, "cases": r.cases, "passed": r.passed,
             "passed_model_alone": alone[r.group],
             "exception": EXCEPTIONS.get(r.group) if not r.ok else None,
             "failures": [{"text": text, "why": why} for text, why in r.failures]}
            for r in run(classifier, judge)]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--model-dir", type=Path)
    parser.add_argument("--out", type=Path)
    parser.add_argument("--failures", action="store_true", help="list every failing post")
    args = parser.parse_args()
    rows = table(args.model_dir)
    print(f"{'pass':>9}  {'alone':>9}  type  group   (alone: the model without the rules)")
    for row in rows:
        mark = "ok" if row["passed"] == row["cases"] else ("known" if row["exception"] else "FAIL")
        print(f"{row['passed']:>4}/{row['cases']:<4} {row['passed_model_alone']:>4}/{row['cases']:<4} "
              f"{row['kind']}  {row['group']}  [{mark}]")
        if args.failures:
            for failure in row["failures"]:
                print(f"            {failure['why']}: {failure['text']!r}")
    total, passed = sum(r["cases"] for r in rows), sum(r["passed"] for r in rows)
    print(f"{passed}/{total} cases pass in {sum(r['passed'] == r['cases'] for r in rows)}/{len(rows)} groups")
    if args.out:
        args.out.write_text(json.dumps(rows, indent=2, ensure_ascii=False) + "\n")


if __name__ == "__main__":
    main()
