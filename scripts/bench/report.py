"""Targets and markdown tables for a scripts/bench/model.py result (part of scripts/bench/model.py)."""
from __future__ import annotations

# (name, path into the result, comparison, goal, unit)
TARGETS = [
    ("50-post /v1/classify p95, uncached", ("http", "classify", "uncached", "p95_ms"), "<=", 200, "ms"),
    ("50-post /v1/classify p95, cached", ("http", "classify", "cached", "p95_ms"), "<=", 5, "ms"),
    ("shipped / transformers pipeline posts/s at batch 32", ("speedup_bs32",), ">=", 5, "x"),
    ("same flags as the PyTorch pipeline", ("agreement", "int8_vs_torch_pipeline", "all"), ">=", 0.99, ""),
    ("companion peak RSS (VmHWM) after the load", ("http", "memory_mib", "after_load", "VmHWM"), "<=", 300, "MiB"),
    ("cold start to first /v1/classify answer (median of every fresh process)",
     ("http", "cold_start", "median_first_answer_s"), "<=", 2, "s"),
]


def dig(result: dict, path: tuple):
    for key in path:
        if not isinstance(result, dict) or key not in result:
            return None
        result = result[key]
    return result


def speedup(result: dict) -> float | None:
    shipped = dig(result, ("models", "int8", "32", "posts_per_s"))
    torch = dig(result, ("models", "torch", "32", "posts_per_s"))
    return round(shipped / torch, 2) if shipped and torch else None


def targets(result: dict) -> list[dict]:
    result = {**result, "speedup_bs32": speedup(result)}
    rows = []
    for name, path, op, goal, unit in TARGETS:
        value = dig(result, path)
        met = None if value is None else (value <= goal if op == "<=" else value >= goal)
        rows.append({"target": name, "goal": f"{op} {goal}{(' ' + unit) if unit else ''}",
                     "value": value, "met": met})
    return rows


def table(header: list[str], rows: list[list]) -> str:
    lines = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    lines += ["| " + " | ".join("" if c is None else str(c) for c in row) + " |" for row in rows]
    return "\n".join(lines) + "\n"


def models_md(result: dict) -> str:
    models = result["models"]
    sizes = [s for s in ("1", "8", "32", "64") if s in next(iter(models.values()))]
    rows = [[f"{name} ({m['title']})", *(f"{m[s]['posts_per_s']} posts/s ({m[s]['p50_ms']} / {m[s]['p95_ms']} ms)"
                                         for s in sizes)] for name, m in models.items()]
    out = "### Model: posts/s (p50 / p95 ms per call)\n\n" + table(["variant", *(f"batch {s}" for s in sizes)], rows)
    if "torch" in models:
        ratios = [[name, *(f"{m[s]['posts_per_s'] / models['torch'][s]['posts_per_s']:.2f}x" for s in sizes)]
                  for name, m in models.items() if name != "torch"]
        out += "\nSpeed-up over the transformers pipeline:\n\n" + table(["variant", *(f"batch {s}" for s in sizes)], ratios)
    return out


def agreement_md(result: dict) -> str:
    rows = [[name, a["all"], a["posts_differing"], a["differing_near_threshold"], a["within_128_tokens"],
             a["cut_to_128"], a["max_abs_prob_diff"]] for name, a in result["agreement"].items()]
    return "### Same flags as PyTorch (share of posts with all three flags equal)\n\n" + table(
        ["comparison", "all posts", "posts differing", "of them within 0.02 of a threshold",
         "posts <= 128 tokens", "posts cut to 128", "max |prob diff|"], rows)


def length_md(result: dict) -> str:
    names = list(result["variants"])
    rows = [[bucket, b["posts"], b.get("mean_tokens"), *(b.get(f"{n}_ms_per_post") for n in names)]
            for bucket, b in result["length"].items()]
    return "### Cost by post length (batches of up to 32, ms per post)\n\n" + table(
        ["bucket (tokens)", "posts", "mean tokens", *names], rows)


def tuning_md(result: dict) -> str:
    out = "### Tuning the shipped path (same posts, round-robin)\n\n"
    rows = []
    for experiment, variants in result["tuning"].items():
        if experiment == "preprocessing_us_per_post":
            continue
        rows += [[experiment, name, r["posts_per_s"], r["p50_ms"], r["p95_ms"]] for name, r in variants.items()]
    out += table(["experiment", "setting", "posts/s", "p50 ms/call", "p95 ms/call"], rows)
    pre = result["tuning"]["preprocessing_us_per_post"]
    return out + "\nPreprocessing, µs per post: " + ", ".join(f"{k} {v}" for k, v in pre.items()) + "\n"


def http_md(result: dict) -> str:
    h = result["http"]
    c = h["classify"]
    load = h["concurrent"]
    rows = [
        ["cold start: process start to listening / first /v1/classify answer",
         f"{h['cold_start']['listening_s']} s / {h['cold_start']['first_answer_s']} s"],
        [f"cold start to first answer over all {len(h['cold_start']['every_start_s'])} fresh processes: median / max",
         f"{h['cold_start']['median_first_answer_s']} s / {max(h['cold_start']['every_start_s'])} s"],
        [f"{c['posts_per_request']}-post /v1/classify, uncached: p50 / p95 (client)",
         f"{c['uncached']['p50_ms']} / {c['uncached']['p95_ms']} ms ({c['uncached']['requests']} requests)"],
        [f"{c['posts_per_request']}-post /v1/classify, cached: p50 / p95 (client)",
         f"{c['cached']['p50_ms']} / {c['cached']['p95_ms']} ms"],
        [f"{load['clients']} concurrent clients, {load['requests']} requests of "
         f"{load['posts'] // max(1, load['requests'])} new posts",
         f"{load['posts_per_s']} posts/s, {load['requests_per_s']} requests/s, p50 / p95 "
         f"{load.get('p50_ms')} / {load.get('p95_ms')} ms, {load['errors']} errors"],
        ["RSS after start (VmRSS)", f"{h['memory_mib']['after_start']['VmRSS']} MiB"],
        ["RSS after the load: now / peak (VmRSS / VmHWM)",
         f"{h['memory_mib']['after_load']['VmRSS']} / {h['memory_mib']['after_load']['VmHWM']} MiB"],
    ]
    out = f"### Companion over HTTP (`{h['command']}`)\n\n" + table(["measure", "value"], rows)
    waits = [[w, v["sequential_p50_ms"], v["sequential_p95_ms"], v["concurrent_posts_per_s"],
              v["concurrent_p95_ms"], v["errors"]] for w, v in h["micro_batch_wait"].items()]
    return out + "\nMicro-batch wait (fresh server each, same posts):\n\n" + table(
        ["wait", "50-post p50 ms", "50-post p95 ms", "concurrent posts/s", "concurrent p95 ms", "errors"], waits)


def targets_md(result: dict) -> str:
    rows = [[t["target"], t["goal"], t["value"], {True: "yes", False: "**no**", None: "not measured"}[t["met"]]]
            for t in result["targets"]]
    return "### Targets\n\n" + table(["target", "goal", "measured", "met"], rows)


def posts_md(result: dict) -> str:
    p = result["posts"]
    tokens = p["tokens"]
    return (f"{p['count']} posts (seed {result['seed']}), an equal share from each raw source; tokens per post "
            f"(with [CLS]/[SEP], cut to 128) mean {tokens['mean']}, p50 {tokens['p50']}, p95 {tokens['p95']}; "
            f"{p['cut_to_128']} posts longer than 128 tokens. {result['machine']['cpu']}, "
            f"{result['machine']['cpu_count']} cores, {result['threads']} threads, {result['repeats']} repeats; "
            f"load average before/after {result['load_average']['before'][0]} / {result['load_average']['after'][0]}; "
            f"during the {result['elapsed_s']} s run, other processes used "
            f"{result['cpu_taken_by_others']['other_processes_s']} CPU-s and the hypervisor took "
            f"{result['cpu_taken_by_others']['stolen_s']} CPU-s.\n")


def markdown(result: dict) -> str:
    parts = [f"## Benchmark\n\n`{result['command']}`\n", posts_md(result)]
    parts += [f"Note: {n}\n" for n in result["notes"]]
    for key, render in (("models", models_md), ("agreement", agreement_md), ("length", length_md),
                        ("tuning", tuning_md), ("http", http_md)):
        if key in result:
            parts.append(render(result))
    parts.append(targets_md(result))
    return "\n".join(parts)
