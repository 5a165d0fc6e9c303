"""The companion measured from outside, over HTTP on loopback (part of scripts/bench/model.py).

A real `campfire serve --port 0` with a temporary config folder: time from process start to
the first successful /v1/classify, 50-post requests with texts it has never seen and then the
same bodies again (answered from its cache), concurrent clients, and its memory from
/proc/<pid>/status. Then the same server code with other micro-batch waits, each in a fresh
process so that every one starts with an empty cache and scores the same posts.
"""
from __future__ import annotations

import asyncio
import sys
import time
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

import aiohttp
import numpy as np

from companion.testing import START_TIMEOUT_S, campfire_command as campfire_script, running_companion

# `campfire serve` with another micro-batch wait: the same serve() the CLI runs, other settings.
SERVE_WITH_WAIT = """
import asyncio, sys
from companion.server.cli import serve
from companion.server.settings import Batching, ServerConfig
threads = int(sys.argv[2]) if sys.argv[2] else None
config = ServerConfig(threads=threads, batching=Batching(max_wait_s=float(sys.argv[1])))
sys.exit(asyncio.run(serve(config, 0)))
"""


@dataclass(frozen=True)
class Plan:
    request_posts: int          # posts per sequential /v1/classify
    max_requests: int           # sequential requests, uncached then cached
    clients: int
    requests_per_client: int
    load_request_posts: int     # posts per request under concurrent load
    waits: tuple[float, ...]    # micro-batch waits compared (seconds)
    wait_requests: int          # sequential uncached requests per wait

    @property
    def needed_extra(self) -> int:
        return self.request_posts + self.clients * self.requests_per_client * self.load_request_posts


FULL = Plan(50, 20, 8, 10, 25, (0.0, 0.005, 0.02), 5)
QUICK = Plan(50, 1, 8, 1, 4, (0.0, 0.005), 1)


def campfire_command(threads: int | None) -> list[str]:
    return [*campfire_script(), "serve", "--port", "0", *(["--threads", str(threads)] if threads else [])]


def wait_command(wait: float, threads: int | None) -> list[str]:
    return [sys.executable, "-c", SERVE_WITH_WAIT, str(wait), str(threads or "")]


def percentiles(ms: list[float]) -> dict:
    return {"p50_ms": round(float(np.percentile(ms, 50)), 2), "p95_ms": round(float(np.percentile(ms, 95)), 2),
            "max_ms": round(float(max(ms)), 2), "requests": len(ms)}


def body(texts: list[str]) -> dict:
    return {"posts": [{"id": f"p{i}", "text": t} for i, t in enumerate(texts)]}


class Companion:
    """One companion process (companion.testing.running_companion), from its first instant to
    SIGTERM, with an HTTP session for the measurements."""

    def __init__(self, command: list[str], model_dir: Path | None):
        self.command = command
        self.model_dir = model_dir

    async def __aenter__(self) -> Companion:
        env = {"CAMPFIRE_MODEL_DIR": str(self.model_dir)} if self.model_dir else {}
        self._running = running_companion(argv=self.command, env=env, wait_ready=False)
        running = await asyncio.to_thread(self._running.__enter__)
        if not running.port:
            await asyncio.to_thread(self._running.__exit__, None, None, None)
            raise RuntimeError("campfire serve did not start:\n" + running.output()[-2000:])
        self.running, self.process, self.port, self.token = running, running.process, running.port, running.token
        self.started, self.listening_s, self.lines = running.started, running.listening_s, running.lines
        self.session = aiohttp.ClientSession()
        return self

    async def __aexit__(self, *exc) -> None:
        await self.session.close()
        await asyncio.to_thread(self._running.__exit__, None, None, None)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}/v1/classify"

    async def classify(self, texts: list[str], session: aiohttp.ClientSession | None = None) -> tuple[float, int, dict]:
        """(client-side ms, HTTP status, parsed body)."""
        begin = time.perf_counter()
        async with (session or self.session).post(self.url, json=body(texts), headers={
                "Authorization": f"Bearer {self.token}"}) as response:
            answer = await response.json()
        return (time.perf_counter() - begin) * 1000, response.status, answer

    async def first_answer(self) -> float:
        """Seconds from process start to the first 200 from /v1/classify (503 while loading)."""
        deadline = time.perf_counter() + START_TIMEOUT_S
        while time.perf_counter() < deadline:
            try:
                _, status, _ = await self.classify(["Is the cold start quick?"])
                if status == 200:
                    return time.perf_counter() - self.started
            except aiohttp.ClientConnectionError:
                pass
            await asyncio.sleep(0.005)
        raise RuntimeError("no answer from /v1/classify:\n" + "".join(self.lines)[-2000:])

    def memory(self) -> dict[str, float]:
        return self.running.memory_mib()


async def sequential(companion: Companion, bodies: list[list[str]]) -> dict:
    client_ms, server_ms = [], []
    for texts in bodies:
        ms, status, answer = await companion.classify(texts)
        if status != 200:
            raise RuntimeError(f"/v1/classify answered {status}: {answer}")
        client_ms.append(ms)
        server_ms.append(answer["elapsed_ms"])
    return {**percentiles(client_ms), "server_elapsed": percentiles(server_ms)}


async def concurrent(companion: Companion, per_client: list[list[list[str]]]) -> dict:
    """Each client: its own connection, its requests one after another; all clients at once."""
    latencies: list[float] = []
    errors: Counter = Counter()

    async def client(batches: list[list[str]]) -> None:
        async with aiohttp.ClientSession() as session:
            for texts in batches:
                try:
                    ms, status, answer = await companion.classify(texts, session)
                except (aiohttp.ClientError, asyncio.TimeoutError) as exc:
                    errors[type(exc).__name__] += 1
                    continue
                if status != 200 or len(answer.get("results", [])) != len(texts):
                    errors[f"http_{status}"] += 1
                else:
                    latencies.append(ms)

    begin = time.perf_counter()
    await asyncio.gather(*(client(batches) for batches in per_client))
    wall = time.perf_counter() - begin
    posts = sum(len(t) for batches in per_client for t in batches)
    return {"clients": len(per_client), "requests": sum(map(len, per_client)), "posts": posts,
            "wall_s": round(wall, 3), "posts_per_s": round(posts / wall, 1),
            "requests_per_s": round(sum(map(len, per_client)) / wall, 1),
            "errors": sum(errors.values()), "error_kinds": dict(errors),
            **(percentiles(latencies) if latencies else {})}


def split_load(texts: list[str], plan: Plan) -> list[list[list[str]]]:
    size = plan.load_request_posts
    requests = [texts[i: i + size] for i in range(0, plan.clients * plan.requests_per_client * size, size)]
    return [requests[c::plan.clients] for c in range(plan.clients)]


async def shipped_server(bodies, warm, load, threads, model_dir) -> dict:
    async with Companion(campfire_command(threads), model_dir) as companion:
        first = await companion.first_answer()
        after_start = companion.memory()
        await companion.classify(warm)
        uncached = await sequential(companion, bodies)
        cached = await sequential(companion, bodies)
        under_load = await concurrent(companion, load)
        after_load = companion.memory()
    return {
        "command": " ".join(Path(a).name if i == 0 else a for i, a in enumerate(companion.command)),
        "cold_start": {"listening_s": round(companion.listening_s, 3), "first_answer_s": round(first, 3)},
        "classify": {"posts_per_request": len(bodies[0]), "uncached": uncached, "cached": cached},
        "concurrent": under_load,
        "memory_mib": {"after_start": after_start, "after_load": after_load},
    }


async def wait_variants(bodies, warm, load, plan: Plan, repeats: int, threads, model_dir) -> dict:
    runs: dict[float, list] = {w: [] for w in plan.waits}
    starts: list[float] = []
    for turn in range(repeats):
        waits = list(plan.waits)[turn % len(plan.waits):] + list(plan.waits)[: turn % len(plan.waits)]
        for wait in waits:
            async with Companion(wait_command(wait, threads), model_dir) as companion:
                starts.append(round(await companion.first_answer(), 3))
                await companion.classify(warm)
                seq = await sequential(companion, bodies[: plan.wait_requests])
                runs[wait].append((seq, await concurrent(companion, load)))
    return starts, {f"{wait * 1000:g} ms": {
        "sequential_p50_ms": round(float(np.median([s["p50_ms"] for s, _ in r])), 2),
        "sequential_p95_ms": round(float(np.median([s["p95_ms"] for s, _ in r])), 2),
        "concurrent_posts_per_s": round(float(np.median([c["posts_per_s"] for _, c in r])), 1),
        "concurrent_p95_ms": round(float(np.median([c.get("p95_ms", float("nan")) for _, c in r])), 2),
        "errors": sum(c["errors"] for _, c in r)} for wait, r in runs.items()}


def measure(texts: list[str], extra: list[str], plan: Plan, repeats: int,
            model_dir: Path | None, threads: int | None) -> dict:
    size = plan.request_posts
    count = max(1, min(len(texts) // size, plan.max_requests))
    bodies = [texts[i * size: (i + 1) * size] for i in range(count)]
    warm, load = extra[:size], split_load(extra[size:], plan)

    async def both() -> dict:
        result = await shipped_server(bodies, warm, load, threads, model_dir)
        starts, result["micro_batch_wait"] = await wait_variants(bodies, warm, load, plan, repeats, threads, model_dir)
        # One start can hit a busy moment of the machine; every fresh process is a sample.
        every = [result["cold_start"]["first_answer_s"], *starts]
        result["cold_start"]["every_start_s"] = every
        result["cold_start"]["median_first_answer_s"] = round(float(np.median(every)), 3)
        return result
    return asyncio.run(both())
