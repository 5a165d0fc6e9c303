"""A simulated user corrects Campfire on dev posts; how much do the corrections teach it, and
how much do they drift the labels of posts they have nothing to do with?

Each scenario is one consistent disagreement with the model on one kind of dev post (for
example "every Hacker News title is conversation"). For each of SEEDS random orders of that
kind's posts, the user reads them in order and corrects each post whose label (as the
companion now shows it, after the corrections so far) disagrees with their view, until N
corrections are made. Reported, for N = 5, 10, 20 and 50:
- error on that kind: the share of the *later* posts of the kind (those after the Nth
  correction in the stream) whose label still disagrees with the user, against the model's
  own error on the same posts;
- drift: the share of all other dev posts (not of the kind) whose flags changed at all.

Real posts only (the dev set, ../shared/data/dev.jsonl); the real model; the companion's own
learner (companion.store.adapt) fed the same rows the store would give it.

    python -m scripts.model.simulate_corrections [--dev PATH] [--out FILE.json]
"""
from __future__ import annotations

import argparse
import json
import random
import statistics
import sys
import time
from pathlib import Path


from companion.model import Classifier
from companion.store.adapt import Learner
from companion.store.features import digest, features, pack

DEV = Path(__file__).resolve().parents[3] / "shared" / "data" / "dev.jsonl"
STEPS = (5, 10, 20, 50)
SEEDS = 10
# (name, which dev posts are of the kind, label, the user's verdict on it)
SCENARIOS = [
    ("Hacker News titles are conversation", lambda r: r["source"] == "hackernews_title",
     "conversational", True),
    ("Politicians' tweets are never self-promotion", lambda r: r["source"] == "congress_tweet",
     "self_promotion", False),
    ("YouTube comments without a pitch are conversation",
     lambda r: r["source"] == "youtube_comment" and not r["self_promotion"], "conversational", True),
]


def flags(labels: dict) -> tuple:
    return tuple(v["flag"] for v in labels.values())


def run_stream(order, others, model, thresholds, label, verdict, steps):
    """One user, one order: {N: (corrections made, later posts, errors before, errors after,
    other posts whose flags changed)}."""
    learner, rows, out = Learner(thresholds), [], {}
    position, wanted = 0, sorted(steps)
    for target in wanted:
        while len(rows) < target and position < len(order):
            text = order[position]
            shown, _ = learner.adjust(text, model[text])
            if shown[label]["flag"] != verdict:
                rows.append((digest(text), {label: verdict}, pack(features(text))))
                learner.refit(rows)
            position += 1
        later = order[position:]
        before = sum(model[t][label]["flag"] != verdict for t in later)
        after = sum(learner.adjust(t, model[t])[0][label]["flag"] != verdict for t in later)
        drift = sum(flags(learner.adjust(t, model[t])[0]) != flags(model[t]) for t in others)
        out[target] = (len(rows), len(later), before, after, drift)
    return out


def timing(texts, model, thresholds, corrections=200, repeats=5) -> dict:
    """What a refit after a correction costs with `corrections` stored, and what applying the
    learner costs per post (the companion does both on every change / every request)."""
    rows = [(digest(t), {"conversational": True}, pack(features(t))) for t in texts[:corrections]]
    learner, refits, adjusts = Learner(thresholds), [], []
    for _ in range(repeats):
        start = time.perf_counter()
        learner.refit(rows)
        refits.append(time.perf_counter() - start)
        start = time.perf_counter()
        for text in texts:
            learner.adjust(text, model[text])
        adjusts.append((time.perf_counter() - start) / len(texts))
    return {"corrections": len(rows), "repeats": repeats,
            "refit_ms": round(1000 * statistics.median(refits), 2),
            "adjust_us_per_post": round(1e6 * statistics.median(adjusts), 1)}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--dev", type=Path, default=DEV)
    parser.add_argument("--out", type=Path, default=Path("test-artifacts/simulate_corrections.json"))
    args = parser.parse_args()
    rows = [json.loads(line) for line in args.dev.read_text(encoding="utf-8").splitlines() if line]
    classifier = Classifier.load()
    texts = sorted({r["text"] for r in rows})
    model = dict(zip(texts, classifier.predict(texts)))
    thresholds = {l.name: l.threshold for l in classifier.labels}
    report = {"command": " ".join(sys.argv), "dev_posts": len(rows), "seeds": SEEDS, "scenarios": []}
    for name, of_kind, label, verdict in SCENARIOS:
        kind = sorted({r["text"] for r in rows if of_kind(r)})
        others = sorted({r["text"] for r in rows if not of_kind(r)} - set(kind))
        results = {n: [] for n in STEPS}
        start = time.perf_counter()
        for seed in range(SEEDS):
            order = kind[:]
            random.Random(seed).shuffle(order)
            for n, figures in run_stream(order, others, model, thresholds, label, verdict, STEPS).items():
                results[n].append(figures)
        scenario = {"name": name, "label": label, "verdict": verdict, "posts_of_kind": len(kind),
                    "model_error": round(sum(model[t][label]["flag"] != verdict for t in kind) / len(kind), 4),
                    "other_posts": len(others), "seconds": round(time.perf_counter() - start, 2),
                    "steps": []}
        for n in STEPS:
            made, later, before, after, drift = (sum(f[i] for f in results[n]) for i in range(5))
            scenario["steps"].append({
                "n": n, "corrections_made_mean": round(made / SEEDS, 1),
                "later_posts": later,
                "error_before": round(before / later, 4) if later else None,
                "error_after": round(after / later, 4) if later else None,
                "unrelated_changed": round(drift / (len(others) * SEEDS), 4),
            })
        report["scenarios"].append(scenario)
    report["timing"] = timing(texts, model, thresholds)
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(report, indent=2) + "\n", encoding="utf-8")
    t = report["timing"]
    print(f"Refit with {t['corrections']} corrections: {t['refit_ms']} ms; adjusting one post: "
          f"{t['adjust_us_per_post']} µs (median of {t['repeats']} runs)\n")
    print("| scenario | N | corrections made (mean) | later posts | error, model | error, with corrections | unrelated flags changed |")
    print("|---|---|---|---|---|---|---|")
    for s in report["scenarios"]:
        for st in s["steps"]:
            pct = lambda v: "n/a" if v is None else f"{100 * v:.1f}%"
            print(f"| {s['name']} ({s['posts_of_kind']} posts) | {st['n']} | {st['corrections_made_mean']} | "
                  f"{st['later_posts']} | {pct(st['error_before'])} | {pct(st['error_after'])} | "
                  f"{pct(st['unrelated_changed'])} |")


if __name__ == "__main__":
    main()
