"""Benchmarks: the shipped classifier against PyTorch, the companion over HTTP, and tuning.

    .venv/bin/python -m scripts.bench.model --run runs/final --posts 1000 --repeats 3 \\
        --out bench-results/bench.json

Everything runs in one session on one seeded set of posts drawn from ../shared/data/raw (an
equal share from each source, so headlines, tweets, comments, SMS, captions and long video
descriptions all appear). Timed variants take turns (round-robin, the order rotated each
repeat) so machine noise falls on all of them alike. Writes FILE.json (every figure, the
command, the machine and its load) and FILE.md (the tables).

Sections (--sections, default all):
- models: posts/s and per-call latency for calls of 1, 8, 32 and 64 posts: the shipped path
  (companion.model.Classifier: tokenizers + onnxruntime int8), the same fused graph in fp32,
  and the fine-tuned PyTorch model in a transformers pipeline; flag agreement with PyTorch.
- length: ms per post for short, medium and long posts.
- tuning: settings of the shipped path (one run on several threads against runs on several
  cores at once, batch size, sorting by length, thread spinning) and what preprocessing costs.
- http: a real `campfire serve`: cold start, 50-post /v1/classify uncached and cached,
  8 concurrent clients, memory; and the server's micro-batch wait.
"""
from __future__ import annotations

import argparse
import json
import os
import platform
import random
import shlex
import sys
import tempfile
import time
from collections import Counter
from collections.abc import Callable, Sequence
from contextlib import ExitStack
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import onnxruntime as ort

from companion.model import BATCH_SIZE, MODEL_FILE, Classifier, default_model_dir, encode, sigmoid
from companion.rules.textprep import model_input, normalize
from scripts.bench import http_api as bench_http
from scripts.bench import report as bench_report
from scripts.bench.timing import compare, rotated
from scripts.bench.variants import (fp32_model, onnx_classifier, same_model_check, stand_in_run, torch_pipeline,
                                    torch_same_input)
from scripts.data import rawdata

BATCH_SIZES = (1, 8, 32, 64)
# Token counts with [CLS]/[SEP], after the shipped head+tail cut to 128.
BUCKETS = {"short": (1, 32), "medium": (33, 96), "long": (97, 128)}
SECTIONS = ("models", "length", "tuning", "http")
# A PyTorch probability this close to a threshold may flip under any rounding.
FLAG_MARGIN = 0.02


@dataclass(frozen=True)
class Post:
    id: str
    text: str
    source: str


@dataclass
class Variant:
    name: str
    title: str
    probs: Callable[[Sequence[str]], np.ndarray]


@dataclass(frozen=True)
class Sizes:
    posts: int
    repeats: int
    bucket_posts: int
    tuning_posts: int
    extra_posts: int      # for the server: warm-up and concurrent load, never in the model set

    @classmethod
    def pick(cls, args) -> Sizes:
        if args.quick:
            return cls(posts=args.posts or 64, repeats=args.repeats or 1, bucket_posts=8, tuning_posts=50,
                       extra_posts=bench_http.QUICK.needed_extra)
        return cls(posts=args.posts or 1000, repeats=args.repeats or 3, bucket_posts=256,
                   tuning_posts=args.posts or 1000,
                   extra_posts=bench_http.FULL.needed_extra)


# ---- posts -----------------------------------------------------------------------------------

def sample_posts(count: int, seed: int) -> list[Post]:
    """`count` distinct posts, an equal share from each raw source, in a seeded random order."""
    rng = random.Random(seed)
    share = -(-count // len(rawdata.SOURCES))
    seen: set[str] = set()
    posts = []
    for name, load in sorted(rawdata.SOURCES.items()):
        candidates = [p for p in load() if p.text]
        rng.shuffle(candidates)
        fresh = [p for p in candidates if not (p.text in seen or seen.add(p.text))]
        posts.extend(Post(p.id, p.text, name) for p in fresh[:share])
    rng.shuffle(posts)
    if len(posts) < count:
        raise SystemExit(f"the raw datasets hold only {len(posts)} usable posts, {count} asked")
    return posts[:count]


def describe_posts(posts: list[Post], classifier: Classifier) -> dict:
    full = [len(e.ids) + 2 for e in classifier.tokenizer.encode_batch(
        [model_input(p.text) for p in posts], add_special_tokens=False)]
    kept = [min(n, classifier.max_length) for n in full]
    return {"count": len(posts), "sources": dict(sorted(Counter(p.source for p in posts).items())),
            "chars": quantiles([len(p.text) for p in posts]), "tokens": quantiles(kept),
            "cut_to_128": sum(n > classifier.max_length for n in full)}


def quantiles(values: Sequence[float]) -> dict:
    a = np.asarray(values, dtype=float)
    return {"mean": round(float(a.mean()), 1), "p50": round(float(np.percentile(a, 50)), 1),
            "p95": round(float(np.percentile(a, 95)), 1), "max": round(float(a.max()), 1)}


# ---- sections --------------------------------------------------------------------------------

def models_section(variants: list[Variant], texts: list[str], repeats: int) -> dict:
    by_size = {}
    for size in BATCH_SIZES:
        if size <= len(texts):
            by_size[size] = compare({v.name: (v.probs, size) for v in variants}, texts, repeats)
    return {v.name: {"title": v.title, **{str(s): r[v.name] for s, r in by_size.items()}}
            for v in variants}


def flag_agreement(probs: np.ndarray, reference: np.ndarray, thresholds: np.ndarray,
                   cut: np.ndarray) -> dict:
    same = ((probs >= thresholds) == (reference >= thresholds)).all(axis=1)
    clear = (np.abs(reference - thresholds) >= FLAG_MARGIN).all(axis=1)
    return {"all": round(float(same.mean()), 4),
            "posts_differing": int((~same).sum()),
            "differing_near_threshold": int((~same & ~clear).sum()),
            "within_128_tokens": round(float(same[~cut].mean()), 4) if (~cut).any() else None,
            "cut_to_128": round(float(same[cut].mean()), 4) if cut.any() else None,
            "max_abs_prob_diff": round(float(np.abs(probs - reference).max()), 4)}


def agreement_section(variants: list[Variant], texts: list[str], classifier: Classifier,
                      torch_model) -> dict:
    """Flags of each ONNX variant against PyTorch's, every post scored in calls of 32."""
    def all_probs(fn):
        return np.concatenate([fn(texts[i: i + 32]) for i in range(0, len(texts), 32)])
    probs = {v.name: all_probs(v.probs) for v in variants}
    thresholds = np.array([label.threshold for label in classifier.labels])
    full = [len(e.ids) + 2 for e in classifier.tokenizer.encode_batch(
        [model_input(t) for t in texts], add_special_tokens=False)]
    cut = np.array([n > classifier.max_length for n in full])
    same_input = sigmoid(torch_same_input(torch_model, classifier, texts))
    result = {}
    for name in ("int8", "fp32"):
        if name in probs:
            result[f"{name}_vs_torch_pipeline"] = flag_agreement(probs[name], probs["torch"], thresholds, cut)
            result[f"{name}_vs_torch_same_input"] = flag_agreement(probs[name], same_input, thresholds, cut)
    return result


def length_section(variants: list[Variant], posts: list[Post], classifier: Classifier,
                   per_bucket: int, repeats: int) -> dict:
    lengths = [len(r) for r in encode(classifier.tokenizer, [p.text for p in posts], classifier.max_length)]
    result = {}
    for bucket, (low, high) in BUCKETS.items():
        members = [i for i, n in enumerate(lengths) if low <= n <= high][:per_bucket]
        texts = [posts[i].text for i in members]
        if not texts:
            result[bucket] = {"posts": 0}
            continue
        timed = compare({v.name: (v.probs, min(32, len(texts))) for v in variants}, texts, repeats)
        result[bucket] = {"posts": len(texts), "mean_tokens": round(float(np.mean([lengths[i] for i in members])), 1),
                          **{f"{name}_ms_per_post": round(1000 / r["posts_per_s"], 2) for name, r in timed.items()}}
    return result


def tuning_section(base: Classifier, model_path: Path, texts: list[str], repeats: int) -> dict:
    one = texts[: max(32, len(texts) // 5)]
    cores = base.session.get_session_options().intra_op_num_threads
    shipped = onnx_classifier(base, model_path, cores)
    layouts = {
        f"1 run at a time on {cores} threads (shipped)": shipped,
        f"{cores} runs at once, 1 thread each": onnx_classifier(base, model_path, 1, workers=cores),
        "1 run at a time on 1 thread": onnx_classifier(base, model_path, 1),
    }
    calm = onnx_classifier(base, model_path, cores, spinning=False)
    per_batch = {f"batches of {k}" + (" (shipped)" if k == BATCH_SIZE else ""):
                 Classifier(shipped.session, base.tokenizer, base.config, batch_size=k)
                 for k in (2, 4, 8, 32)}
    return {
        "cores_calls_of_1": compare({k: (c.scores, 1) for k, c in layouts.items()}, one, repeats),
        "cores_calls_of_50": compare({k: (c.scores, 50) for k, c in layouts.items()}, texts, repeats),
        "spinning_calls_of_1": compare({"spinning on (shipped)": (shipped.scores, 1), "spinning off": (calm.scores, 1)}, one, repeats),
        "spinning_calls_of_50": compare({"spinning on (shipped)": (shipped.scores, 50), "spinning off": (calm.scores, 50)}, texts, repeats),
        # One call's posts, sorted by length, go through the model in batches of k.
        "batch_size_in_calls_of_32": compare({k: (c.scores, 32) for k, c in per_batch.items()}, texts, repeats),
        "batch_size_in_calls_of_50": compare({k: (c.scores, 50) for k, c in per_batch.items()}, texts, repeats),
        # Calls of BATCH_SIZE posts in the given order are batches that were never sorted.
        "sorting": compare({f"whole set in one call (sorted, batches of {BATCH_SIZE})": (shipped.scores, None),
                            f"{BATCH_SIZE} posts a call (unsorted)": (shipped.scores, BATCH_SIZE)}, texts, repeats),
        "preprocessing_us_per_post": preprocessing_costs(base, texts, repeats),
    }


def preprocessing_costs(classifier: Classifier, texts: list[str], repeats: int) -> dict:
    from companion.rules.evidence import evidence_for_labels
    from companion.rules.reading import analyze

    def server(texts: list[str]) -> None:
        readings = [analyze(t) for t in texts]
        encode(classifier.tokenizer, texts, classifier.max_length, readings)
        [evidence_for_labels(t, offsets="utf16", reading=r) for t, r in zip(texts, readings)]

    steps = {
        "normalize (links, emoji)": lambda: [normalize(t) for t in texts],
        "analyze (the evidence rules)": lambda: [analyze(t) for t in texts],
        "model_input (evidence hint + normalize)": lambda: [model_input(t) for t in texts],
        "model_input + tokenize": lambda: encode(classifier.tokenizer, texts, classifier.max_length),
        "server: one analysis, model input + tokens, evidence": lambda: server(texts),
    }
    seconds: dict[str, list[float]] = {name: [] for name in steps}
    for turn in range(repeats):
        for name in rotated(list(steps), turn):
            begin = time.perf_counter()
            steps[name]()
            seconds[name].append(time.perf_counter() - begin)
    return {name: round(float(np.median(s)) / len(texts) * 1e6, 1) for name, s in seconds.items()}


# ---- main ------------------------------------------------------------------------------------

def cpu_seconds() -> dict[str, float]:
    """CPU seconds so far: the whole machine busy, stolen by the hypervisor, and used by this
    process and its finished children. Their differences over a run show how much of the
    machine something else took: noise that no number of repeats can hide."""
    fields = [int(x) for x in Path("/proc/stat").read_text().split("\n", 1)[0].split()[1:]]
    user, nice, system, _idle, _iowait, irq, softirq, steal = fields[:8]
    own = os.times()
    tick = os.sysconf("SC_CLK_TCK")
    return {"busy": (user + nice + system + irq + softirq) / tick, "steal": steal / tick,
            "own": own.user + own.system + own.children_user + own.children_system}


def foreign_cpu(before: dict[str, float]) -> dict[str, float]:
    after = cpu_seconds()
    return {"other_processes_s": round(max(0.0, (after["busy"] - before["busy"]) - (after["own"] - before["own"])), 1),
            "stolen_s": round(after["steal"] - before["steal"], 1)}


def machine() -> dict:
    cpu = next((line.split(":", 1)[1].strip() for line in Path("/proc/cpuinfo").read_text().splitlines()
                if line.startswith("model name")), platform.processor())
    versions = {"python": platform.python_version(), "onnxruntime": ort.__version__}
    for name in ("torch", "transformers", "tokenizers", "aiohttp"):
        try:
            versions[name] = __import__(name).__version__
        except ImportError:
            pass
    return {"cpu": cpu, "cpu_count": os.cpu_count(), "versions": versions}


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--posts", type=int, help="posts in the set (default 1000; --quick 64)")
    parser.add_argument("--repeats", type=int, help="timed passes per variant (default 3; --quick 1)")
    parser.add_argument("--run", type=Path, help="training run folder with hf/ (the PyTorch model); "
                                                  "without it the PyTorch and fp32 variants are skipped")
    parser.add_argument("--same-architecture", action="store_true",
                        help="without --run: time the PyTorch pipeline and the fp32 graph on the base "
                             "MiniLM-L6 with an untrained head (same architecture, same speed); no "
                             "flag agreement")
    parser.add_argument("--model-dir", type=Path, help="shipped model folder (default: models/)")
    parser.add_argument("--fp32", type=Path, help="fused fp32 ONNX of the same run (default: exported "
                                                  "from --run into a temp folder)")
    parser.add_argument("--threads", type=int, help="onnxruntime/torch threads (default: the shipped default)")
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--sections", default=",".join(SECTIONS),
                        help=f"comma-separated subset of {','.join(SECTIONS)}")
    parser.add_argument("--out", type=Path, default=Path("bench-results/bench.json"))
    parser.add_argument("--quick", action="store_true", help="tiny sizes (tests)")
    args = parser.parse_args(argv)
    if args.posts is not None and args.posts < 64:
        parser.error("--posts must be at least 64 (one call of the largest batch)")
    args.sections = [s.strip() for s in args.sections.split(",") if s.strip()]
    unknown = set(args.sections) - set(SECTIONS)
    if unknown:
        parser.error(f"unknown sections: {', '.join(sorted(unknown))}")
    return args


def build_variants(args, base: Classifier, model_dir: Path, work: Path, notes: list[str], threads: int):
    variants = [Variant("int8", "shipped: tokenizers + onnxruntime int8", base.scores)]
    torch_model = None
    run = args.run
    run_ok = run is not None and (run / "hf" / "config.json").exists()
    stand_in = not run_ok and args.same_architecture and run is None
    if stand_in:
        run, run_ok = stand_in_run(work, base.label_names), True
        notes.append("no --run, --same-architecture: PyTorch and fp32 are the base MiniLM-L6 with an "
                     "untrained head; they time as the fine-tuned model would, flag agreement is skipped")
    elif not run_ok:
        missing = "no --run" if run is None else f"no PyTorch model at {run}/hf"
        notes.append(f"{missing}: PyTorch variant skipped" + ("" if args.fp32 else ", fp32 too (no --fp32)"))
    if run_ok:
        pipe, probs = torch_pipeline(run, model_dir, base.label_names, threads)
        torch_model = None if stand_in else pipe.model
        title = "transformers pipeline, PyTorch fp32" + (" (same architecture, untrained)" if stand_in else "")
        variants.append(Variant("torch", title, probs))
    fp32_path = args.fp32 or (fp32_model(run, work) if run_ok else None)
    if fp32_path:
        fp32 = onnx_classifier(base, fp32_path, threads)
        variants.append(Variant("fp32", "onnxruntime fp32 (fused, same code path)", fp32.scores))
    return variants, torch_model, str(fp32_path) if fp32_path else None


def main(argv: list[str] | None = None) -> dict:
    args = parse_args(argv)
    sizes = Sizes.pick(args)
    model_dir = args.model_dir or default_model_dir()
    started = time.time()
    load_before, cpu_before = os.getloadavg(), cpu_seconds()
    pool = sample_posts(sizes.posts + sizes.extra_posts, args.seed)
    posts, extra = pool[: sizes.posts], pool[sizes.posts:]
    texts = [p.text for p in posts]
    base = Classifier.load(model_dir, args.threads)
    threads = base.session.get_session_options().intra_op_num_threads
    notes: list[str] = []
    result: dict = {
        "command": shlex.join([Path(sys.executable).name, "-m", "scripts.bench.model", *(argv if argv is not None else sys.argv[1:])]),
        "started": time.strftime("%Y-%m-%dT%H:%M:%S%z", time.localtime(started)),
        "machine": machine(), "threads": threads, "seed": args.seed, "repeats": sizes.repeats,
        "model_dir": str(model_dir), "posts": describe_posts(posts, base),
    }
    with ExitStack() as stack:
        work = Path(stack.enter_context(tempfile.TemporaryDirectory()))
        variants, torch_model, fp32_path = build_variants(args, base, model_dir, work, notes, threads)
        result["variants"] = {v.name: v.title for v in variants}
        result["run"], result["fp32_model"] = str(args.run) if args.run else None, fp32_path
        if "models" in args.sections:
            result["models"] = models_section(variants, texts, sizes.repeats)
            if torch_model is not None:
                result["agreement"] = agreement_section(variants, texts, base, torch_model)
                result["run_vs_model_dir"] = same_model_check(model_dir, torch_model, base)
                if result["run_vs_model_dir"] and not result["run_vs_model_dir"]["same_model"]:
                    notes.append(f"{args.run} is not the run {model_dir} was exported from (its logits "
                                 "differ from parity.json): flag agreement compares different models")
        if "length" in args.sections:
            result["length"] = length_section(variants, posts, base, sizes.bucket_posts, sizes.repeats)
        if "tuning" in args.sections:
            result["tuning"] = tuning_section(base, model_dir / MODEL_FILE, texts[: sizes.tuning_posts],
                                              sizes.repeats)
    if "http" in args.sections:
        plan = bench_http.QUICK if args.quick else bench_http.FULL
        result["http"] = bench_http.measure(texts, [p.text for p in extra], plan, sizes.repeats,
                                            model_dir if args.model_dir else None, args.threads)
    result["notes"] = notes
    result["load_average"] = {"before": [round(x, 2) for x in load_before],
                              "after": [round(x, 2) for x in os.getloadavg()]}
    result["cpu_taken_by_others"] = foreign_cpu(cpu_before)
    result["elapsed_s"] = round(time.time() - started, 1)
    result["speedup_bs32"] = bench_report.speedup(result)
    result["targets"] = bench_report.targets(result)
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(result, indent=2) + "\n")
    args.out.with_suffix(".md").write_text(bench_report.markdown(result))
    print(bench_report.markdown(result))
    return result


if __name__ == "__main__":
    main()
