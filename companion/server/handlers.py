"""The /v1 handlers: read a validated body, ask the engine, shape the answer."""
from __future__ import annotations

import asyncio
import time

from aiohttp import web

from companion.draftcheck import check_draft
from companion.server import keys
from companion.server.engine import Analysis, Engine
from companion.server.ranking import conversation_first
from companion.server.user_data import personalise
from companion.server.validation import check_unique_ids, clean_text


def _elapsed_ms(start: float) -> float:
    return round((time.perf_counter() - start) * 1000, 1)


def _result(post: dict, analysis: Analysis) -> dict:
    result = {"id": post["id"], "labels": analysis.labels, "evidence": analysis.evidence}
    if analysis.personal:
        result["personal"] = analysis.personal
    return result


async def _score_posts(request: web.Request, schema: str) -> tuple[Engine, dict, list]:
    engine = request.app[keys.LOADER].require()
    body = await request.app[keys.BODIES][schema].read(request)
    check_unique_ids(body["posts"])
    texts = [clean_text(p["text"]) for p in body["posts"]]
    analyses = await engine.scorer.score(texts)
    analyses = await personalise(request.app, engine, body["posts"], texts, analyses)
    return engine, body, analyses


async def health(request: web.Request) -> web.Response:
    loader = request.app[keys.LOADER]
    engine = loader.engine
    return web.json_response({
        "status": loader.status,
        "model": engine.model if engine else None,
        "labels": engine.classifier.label_names if engine else [],
        "uptime_s": round(time.monotonic() - loader.started, 3),
    })


async def labels(request: web.Request) -> web.Response:
    classifier = request.app[keys.LOADER].require().classifier
    return web.json_response({"labels": [
        {"name": l.name, "title": l.title, "description": l.description, "threshold": l.threshold}
        for l in classifier.labels]})


async def classify(request: web.Request) -> web.Response:
    start = time.perf_counter()
    engine, body, analyses = await _score_posts(request, "ClassifyRequest")
    return web.json_response({
        "model": engine.model,
        "results": [_result(p, a) for p, a in zip(body["posts"], analyses)],
        "elapsed_ms": _elapsed_ms(start),
    })


async def rank(request: web.Request) -> web.Response:
    start = time.perf_counter()
    engine, body, analyses = await _score_posts(request, "RankRequest")
    ids = [p["id"] for p in body["posts"]]
    sink = body.get("options", {}).get("sink", [])
    return web.json_response({
        "model": engine.model,
        "ranked_ids": conversation_first(ids, [a.labels for a in analyses], sink),
        "results": [_result(p, a) for p, a in zip(body["posts"], analyses)],
        "elapsed_ms": _elapsed_ms(start),
    })


async def check(request: web.Request) -> web.Response:
    engine = request.app[keys.LOADER].require()
    body = await request.app[keys.BODIES]["CheckRequest"].read(request)
    text = clean_text(body["text"])
    (analysis,) = await engine.scorer.score([text])
    # The user's corrections of this very text (and what they taught) apply to drafts too.
    (analysis,) = await personalise(request.app, engine, [{}], [text], [analysis])
    # Off the event loop, but not queued behind the model's batches in its worker thread.
    matches = await asyncio.to_thread(check_draft, text, analysis.labels, offsets="utf16")
    return web.json_response({"model": engine.model, "labels": analysis.labels, "matches": matches})


async def openapi(request: web.Request) -> web.Response:
    return web.json_response(request.app[keys.OPENAPI])


def add_routes(app: web.Application) -> None:
    app.router.add_get("/v1/health", health)
    app.router.add_get("/v1/labels", labels)
    app.router.add_post("/v1/classify", classify)
    app.router.add_post("/v1/rank", rank)
    app.router.add_post("/v1/check", check)
    app.router.add_get("/v1/openapi.json", openapi)
