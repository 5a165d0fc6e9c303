"""Load on a real companion: 8 clients, mixed endpoints, hostile posts mixed in.

    .venv/bin/python -m scripts.bench.load --out bench-results/load.json [--requests 30] [--repeats 2]

For each worker layout (`process`: rules and model in a child process, the shipped default;
`thread`: the same work in a thread of the server's process), one fresh `campfire serve
--port 0` (companion.testing.running_companion) gets CLIENTS concurrent clients, each sending
REQUESTS requests one after another, drawn from a fixed mix: /v1/health, /v1/labels,
/v1/classify with posts already cached, /v1/classify with posts it has not seen, /v1/rank,
/v1/check, and /v1/classify with a hostile post ("b." repeated to 20,000 characters, which
the link finder handled in quadratic time) among ordinary ones. The posts are real ones
drawn from ../shared/data/raw as scripts/bench/model.py does. The layouts alternate, --repeats
turns each with the order rotated, so the machine's load falls on both; their latencies are
pooled per layout.

Writes FILE (JSON: per layout and endpoint p50/p95/max ms, requests, errors and their kinds,
over_budget posts, the companion's RSS (its own process plus its children) at start and at
end, the command and the machine's load) and FILE with .md (the table).
"""
from __future__ import annotations

import argparse
import asyncio
import json
import os
import platform
import random
import sys
import time
from collections import Counter, defaultdict
from pathlib import Path

import aiohttp
import numpy as np


from scripts.bench import model as bench
from companion.testing import running_companion

CLIENTS = 8
LAYOUTS = ("process", "thread")
# (endpoint name, share of requests)
MIX = (("health", 0.25), ("labels", 0.05), ("classify_cached", 0.20), ("classify_new", 0.20),
       ("rank", 0.10), ("check", 0.10), ("classify_hostile", 0.10))
POSTS_PER_REQUEST = 10
HOSTILE_CHARS = 20_000
# `campfire serve` with the other worker layout: the same serve() the CLI runs.
SERVE_WITH_WORKER = """
import asyncio, sys
from companion.server.cli import serve
from companion.server.settings import Batching, ServerConfig
sys.exit(asyncio.run(serve(ServerConfig(batching=Batching(worker=sys.argv[1])), 0)))
"""


def hostile(i: int) -> str:
    tail = f" {i}"
    return "b." * ((HOSTILE_CHARS - len(tail)) // 2) + tail


def plan(texts: list[str], requests: int, seed: int) -> list[list[tuple[str, str, dict]]]:
    """Per client: (endpoint, path, body) in order; new posts are never reused."""
    rng = random.Random(seed)
    names, weights = zip(*MIX)
    fresh = iter(texts[POSTS_PER_REQUEST:])
    cached = [{"id": f"c{i}", "text": t} for i, t in enumerate(texts[:POSTS_PER_REQUEST])]

    def posts(n: int) -> list[dict]:
        return [{"id": f"p{i}", "text": next(fresh)} for i in range(n)]

    clients = []
    for c in range(CLIENTS):
        steps = []
        for r in range(requests):
            name = rng.choices(names, weights)[0]
            body = {
                "health": lambda: None, "labels": lambda: None,
                "classify_cached": lambda: {"posts": cached},
                "classify_new": lambda: {"posts": posts(POSTS_PER_REQUEST)},
                "rank": lambda: {"posts": posts(POSTS_PER_REQUEST), "options": {"sink": ["self_promotion"]}},
                "check": lambda: {"text": next(fresh)},
                "classify_hostile": lambda: {"posts": [{"id": "h", "text": hostile(c * requests + r)},
                                                       *posts(POSTS_PER_REQUEST - 1)]},
            }[name]()
            path = {"health": "/v1/health", "labels": "/v1/labels", "rank": "/v1/rank",
                    "check": "/v1/check"}.get(name, "/v1/classify")
            steps.append((name, path, body))
        clients.append(steps)
    return clients, cached


async def run_layout(layout: str, clients, cached) -> dict:
    argv = [sys.executable, "-c", SERVE_WITH_WORKER, layout]
    with running_companion(argv=argv) as companion:
        if not companion.port:
            raise SystemExit(f"campfire serve ({layout}) did not start:\n{companion.output()}")
        auth = companion.auth
        rss_start = companion.memory_mib()["VmRSS"]
        times: dict[str, list[float]] = defaultdict(list)
        errors: dict[str, Counter] = defaultdict(Counter)
        over_budget: Counter = Counter()
        async with aiohttp.ClientSession() as warm:
            async with warm.post(companion.base_url + "/v1/classify", json={"posts": cached},
                                 headers=auth) as response:
                assert response.status == 200, await response.text()

        async def client(steps) -> None:
            async with aiohttp.ClientSession(timeout=aiohttp.ClientTimeout(total=120)) as session:
                for name, path, body in steps:
                    begin = time.perf_counter()
                    try:
                        async with session.request("GET" if body is None else "POST",
                                                   companion.base_url + path, json=body,
                                                   headers=auth) as response:
                            answer = await response.json()
                    except (aiohttp.ClientError, asyncio.TimeoutError) as exc:
                        errors[name][type(exc).__name__] += 1
                        continue
                    times[name].append((time.perf_counter() - begin) * 1000)
                    if response.status != 200:
                        errors[name][f"http_{response.status}"] += 1
                    over_budget[name] += sum(1 for r in answer.get("results", []) if "error" in r)

        begin = time.perf_counter()
        await asyncio.gather(*(client(steps) for steps in clients))
        wall = time.perf_counter() - begin
        rss_end = companion.memory_mib()["VmRSS"]
    return {"times": times, "errors": errors, "over_budget": over_budget, "wall_s": round(wall, 2),
            "rss_mib": {"start": rss_start, "end": rss_end}}


def summary(runs: list[dict]) -> dict:
    """One layout's runs (one per repeat) together: latencies pooled, errors added up."""
    endpoints = {}
    for name, _ in MIX:
        ms = [m for run in runs for m in run["times"][name]]
        errors = sum((run["errors"][name] for run in runs), Counter())
        endpoints[name] = {
            "requests": len(ms) + sum(errors.values()),
            "p50_ms": round(float(np.percentile(ms, 50)), 1) if ms else None,
            "p95_ms": round(float(np.percentile(ms, 95)), 1) if ms else None,
            "max_ms": round(float(max(ms)), 1) if ms else None,
            "errors": sum(errors.values()), "error_kinds": dict(errors),
            "over_budget_posts": sum(run["over_budget"][name] for run in runs)}
    return {"wall_s": [run["wall_s"] for run in runs], "rss_mib": [run["rss_mib"] for run in runs],
            "endpoints": endpoints}


def table(result: dict) -> str:
    lines = [f"Load: {CLIENTS} clients x {result['requests_per_client']} requests, "
             f"{result['repeats']} turns per layout (layouts alternating), {result['cpus']} CPUs, "
             f"load average before {result['loadavg_before']}, after {result['loadavg_after']}.", "",
             "| layout | endpoint | requests | p50 ms | p95 ms | max ms | errors | over_budget posts |",
             "|---|---|---|---|---|---|---|---|"]
    for layout, run in result["layouts"].items():
        for name, e in run["endpoints"].items():
            lines.append(f"| {layout} | {name} | {e['requests']} | {e['p50_ms']} | {e['p95_ms']} | "
                         f"{e['max_ms']} | {e['errors']} | {e['over_budget_posts']} |")
    lines += ["", "| layout | wall s per turn | RSS at start MiB | RSS at end MiB |", "|---|---|---|---|"]
    for layout, run in result["layouts"].items():
        lines.append(f"| {layout} | {', '.join(map(str, run['wall_s']))} | "
                     f"{', '.join(str(r['start']) for r in run['rss_mib'])} | "
                     f"{', '.join(str(r['end']) for r in run['rss_mib'])} |")
    return "\n".join(lines) + "\n"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--out", type=Path, default=Path("bench-results/load.json"))
    parser.add_argument("--requests", type=int, default=30, help="requests per client")
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--layouts", nargs="+", choices=LAYOUTS, default=list(LAYOUTS))
    parser.add_argument("--repeats", type=int, default=2,
                        help="turns per layout; the layouts alternate, the order rotated each turn")
    args = parser.parse_args()
    per_run = CLIENTS * args.requests * POSTS_PER_REQUEST + POSTS_PER_REQUEST
    runs_total = len(args.layouts) * args.repeats
    texts = [p.text for p in bench.sample_posts(per_run * runs_total, args.seed)]
    result = {"command": " ".join(["python", "-m", "scripts.bench.load", *sys.argv[1:]]), "cpus": os.cpu_count(), "machine": platform.platform(),
              "loadavg_before": [round(x, 2) for x in os.getloadavg()], "repeats": args.repeats,
              "requests_per_client": args.requests, "mix": dict(MIX), "layouts": {}}
    runs: dict[str, list] = {layout: [] for layout in args.layouts}
    for turn in range(args.repeats):
        for layout in bench.rotated(list(args.layouts), turn):
            # Every run its own unseen posts, the same plan for each layout in a turn.
            start = len(sum(runs.values(), [])) * per_run
            clients, cached = plan(texts[start:start + per_run], args.requests, args.seed + turn)
            runs[layout].append(asyncio.run(run_layout(layout, clients, cached)))
    result["layouts"] = {layout: summary(r) for layout, r in runs.items()}
    result["loadavg_after"] = [round(x, 2) for x in os.getloadavg()]
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(result, indent=2) + "\n")
    args.out.with_suffix(".md").write_text(table(result))
    print(table(result))
    return 0


if __name__ == "__main__":
    sys.exit(main())
