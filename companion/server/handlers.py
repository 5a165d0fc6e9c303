"""The /v1 handlers: read a validated body, ask the engine, shape the answer."""
from __future__ import annotations

import asyncio
import time

from aiohttp import web

from companion.rules.draftcheck import check_draft
from companion.server import keys
from companion.server.engine import Analysis, Engine
from companion.server.errors import ApiError
from companion.server.ranking import conversation_first
from companion.server.routes import Route
from companion.server.schemas import request_schemas, response_schemas  # noqa: F401 (routes.py reads them)
from companion.server.scoring import OverBudget
from companion.server.user_data import personalise
from companion.server.validation import clean_text


def _elapsed_ms(start: float) -> float:
    return round((time.perf_counter() - start) * 1000, 1)


def _result(post: dict, analysis: Analysis | None, budget_s: float) -> dict:
    if analysis is None:
        return {"id": post["id"], "error": {
            "code": "over_budget",
            "message": f"not finished within the request's {budget_s:g} s; send it again"}}
    result = {"id": post["id"], "labels": analysis.labels, "evidence": analysis.evidence}
    if analysis.personal:
        result["personal"] = analysis.personal
    return result


def _deadline(request: web.Request) -> float:
    """The request's time budget, counted from now (its body has been read)."""
    return asyncio.get_running_loop().time() + request.app[keys.CONFIG].connections.request_budget_s


async def _score_posts(request: web.Request, schema: str) -> tuple[Engine, dict, list, list]:
    """(engine, body, analyses with None for posts over budget, results for the answer)."""
    engine = request.app[keys.LOADER].require()
    body = await request.app[keys.BODIES][schema].read(request)
    texts = [clean_text(p["text"]) for p in body["posts"]]
    analyses = await engine.scorer.score(texts, _deadline(request))
    analyses = await personalise(request.app, engine, body["posts"], texts, analyses)
    budget_s = request.app[keys.CONFIG].connections.request_budget_s
    return engine, body, analyses, [_result(p, a, budget_s) for p, a in zip(body["posts"], analyses)]


async def health(request: web.Request) -> web.Response:
    loader = request.app[keys.LOADER]
    engine = loader.engine
    return web.json_response({
        "status": loader.status,
        "model": engine.model if engine else None,
        "labels": engine.info.label_names if engine else [],
        "uptime_s": round(time.monotonic() - loader.started, 3),
    })


async def labels(request: web.Request) -> web.Response:
    info = request.app[keys.LOADER].require().info
    return web.json_response({"labels": [
        {"name": l.name, "title": l.title, "description": l.description, "threshold": l.threshold}
        for l in info.labels]})


async def classify(request: web.Request) -> web.Response:
    start = time.perf_counter()
    engine, body, analyses, results = await _score_posts(request, "ClassifyRequest")
    return web.json_response({"model": engine.model, "results": results,
                              "elapsed_ms": _elapsed_ms(start)})


async def rank(request: web.Request) -> web.Response:
    start = time.perf_counter()
    engine, body, analyses, results = await _score_posts(request, "RankRequest")
    ids = [p["id"] for p in body["posts"]]
    sink = body.get("options", {}).get("sink", [])
    return web.json_response({
        "model": engine.model,
        "ranked_ids": conversation_first(ids, [a.labels if a else None for a in analyses], sink),
        "results": results,
        "elapsed_ms": _elapsed_ms(start),
    })


async def check(request: web.Request) -> web.Response:
    engine = request.app[keys.LOADER].require()
    body = await request.app[keys.BODIES]["CheckRequest"].read(request)
    text = clean_text(body["text"])
    deadline = _deadline(request)
    over = ApiError("over_budget", "the draft was not checked within "
                    f"{request.app[keys.CONFIG].connections.request_budget_s:g} s")
    (analysis,) = await engine.scorer.score([text], deadline)
    if analysis is None:
        raise over
    # The user's corrections of this very text (and what they taught) apply to drafts too.
    (analysis,) = await personalise(request.app, engine, [{}], [text], [analysis])
    try:
        matches = await engine.worker.call(check_draft, text, analysis.labels, "utf16",
                                           deadline=deadline)
    except OverBudget:
        raise over from None
    return web.json_response({"model": engine.model, "labels": analysis.labels, "matches": matches})


async def openapi(request: web.Request) -> web.Response:
    return web.json_response(request.app[keys.OPENAPI])


_POSTS_ERRORS = (400, 401, 403, 408, 413, 415, 422, 503)
ROUTES = [
    Route("GET", "/v1/health", health, "Is the companion up, and is its model loaded?",
          response="Health", errors=(403,), public=True),
    Route("GET", "/v1/labels", labels, "The labels, their meaning and default thresholds",
          response="Labels", errors=(401, 403, 503)),
    Route("POST", "/v1/classify", classify, "Label posts (results in request order)",
          "ClassifyRequest", "ClassifyResponse", _POSTS_ERRORS),
    Route("POST", "/v1/rank", rank, "Label posts and order them conversation first",
          "RankRequest", "RankResponse", _POSTS_ERRORS),
    Route("POST", "/v1/check", check, "Check a draft before posting it",
          "CheckRequest", "CheckResponse", _POSTS_ERRORS),
    Route("GET", "/v1/openapi.json", openapi, "This document", errors=(401, 403)),
]
