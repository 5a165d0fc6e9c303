"""Latency of /v1/classify and memory of a real `campfire serve`, measured from outside.

Starts the companion as a subprocess on a free port, sends REQUESTS requests of POSTS posts
each, first with texts it has never seen (the model runs) and then the same body again and
again (answered from the cache), and reports client-side p50/p95 latency and the server's
resident memory (VmRSS now, VmHWM peak) from /proc. Prints one JSON object, including the
command that produced it.

    .venv/bin/python scripts/measure_server.py [--posts-file posts.jsonl] [--requests 30]

Without --posts-file the posts are made up from templates (tweet-like, 8 to 60 words); with
it, the "text" of each line is used (e.g. a labelled set), in order.
"""
from __future__ import annotations

import argparse
import json
import os
import random
import re
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
OPENERS = ["Has anyone tried", "Just finished", "Check out my new", "Use my code SAVE20 on",
           "@sam totally agree about", "Breaking: the council approved", "Loving this", "Why is"]
WORDS = ("the new standing desk podcast channel book serum app shop course weekend coffee trail "
         "release update thread question answer community launch deal link bio review").split()


def made_up_posts(n: int, seed: int) -> list[str]:
    rng = random.Random(seed)
    return [f"{rng.choice(OPENERS)} " + " ".join(rng.choices(WORDS, k=rng.randint(8, 60)))
            + rng.choice(["?", "!", " amzn.to/3xYz", " #ad", " 😀", "."]) for _ in range(n)]


def file_posts(path: Path) -> list[str]:
    return [json.loads(line)["text"] for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


def rss_kib(pid: int) -> dict[str, int]:
    status = Path(f"/proc/{pid}/status").read_text()
    return {key: int(re.search(rf"^{key}:\s+(\d+) kB", status, re.MULTILINE).group(1))
            for key in ("VmRSS", "VmHWM")}


def start(config_dir: str) -> tuple[subprocess.Popen, int]:
    env = {**os.environ, "CAMPFIRE_CONFIG_DIR": config_dir, "PYTHONUNBUFFERED": "1"}
    process = subprocess.Popen([sys.executable, "-m", "companion", "serve", "--port", "0"], cwd=REPO,
                               env=env, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
    port = None
    for line in process.stdout:
        found = re.search(r"listening on http://127\.0\.0\.1:(\d+)", line)
        port = int(found.group(1)) if found else port
        if "ready." in line:
            return process, port
    raise SystemExit("campfire serve did not start")


def timed_post(opener, url: str, token: str, body: dict) -> tuple[float, float]:
    request = urllib.request.Request(url, data=json.dumps(body).encode(), method="POST", headers={
        "Authorization": f"Bearer {token}", "Content-Type": "application/json"})
    start = time.perf_counter()
    with opener.open(request, timeout=60) as response:
        answer = json.loads(response.read())
    return (time.perf_counter() - start) * 1000, answer["elapsed_ms"]


def summary(samples: list[tuple[float, float]]) -> dict:
    client = sorted(s[0] for s in samples)
    server = sorted(s[1] for s in samples)
    pick = lambda xs, q: round(xs[min(len(xs) - 1, int(q * len(xs)))], 1)  # noqa: E731
    return {"client_ms": {"p50": round(statistics.median(client), 1), "p95": pick(client, 0.95),
                          "max": round(client[-1], 1)},
            "server_elapsed_ms": {"p50": round(statistics.median(server), 1), "p95": pick(server, 0.95)}}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--posts", type=int, default=50, help="posts per request")
    parser.add_argument("--requests", type=int, default=30, help="requests per condition")
    parser.add_argument("--posts-file", type=Path, help="JSON Lines with a text per line")
    args = parser.parse_args()
    needed = args.posts * (args.requests + 1)
    pool = file_posts(args.posts_file) if args.posts_file else made_up_posts(needed, seed=1)
    if len(pool) < needed:
        raise SystemExit(f"need {needed} posts for {args.requests} uncached requests, got {len(pool)}")
    opener = urllib.request.build_opener(urllib.request.ProxyHandler({}))
    with tempfile.TemporaryDirectory() as config_dir:
        process, port = start(config_dir)
        try:
            token = (Path(config_dir) / "token").read_text().strip()
            url = f"http://127.0.0.1:{port}/v1/classify"
            rss_start = rss_kib(process.pid)
            batches = [pool[i * args.posts:(i + 1) * args.posts] for i in range(args.requests + 1)]
            bodies = [{"posts": [{"id": str(j), "text": t} for j, t in enumerate(b)]} for b in batches]
            timed_post(opener, url, token, bodies[-1])  # warm-up; also fills the cache for below
            uncached = [timed_post(opener, url, token, body) for body in bodies[:-1]]
            cached = [timed_post(opener, url, token, bodies[-1]) for _ in range(args.requests)]
            rss_end = rss_kib(process.pid)
        finally:
            process.terminate()
            process.wait(timeout=15)
    print(json.dumps({
        "command": " ".join([Path(sys.executable).name, *sys.argv]),
        "posts_per_request": args.posts, "requests": args.requests,
        "posts_source": str(args.posts_file) if args.posts_file else "made-up templates",
        "cpu_count": os.cpu_count(),
        "uncached": summary(uncached), "cached": summary(cached),
        "rss_mib": {"after_start": round(rss_start["VmRSS"] / 1024, 1),
                    "after_runs": round(rss_end["VmRSS"] / 1024, 1),
                    "peak": round(rss_end["VmHWM"] / 1024, 1)},
    }, indent=2))


if __name__ == "__main__":
    main()
