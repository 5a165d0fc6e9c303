"""The user's own data over the API: corrections, author rules, settings, daily counts,
export/import and "forget everything" (companion.store), and `personalise`, which applies them
to every /v1/classify and /v1/rank answer.

ROUTES lists these endpoints for the route table (companion.server.routes), which feeds the
router, the token gate (all need the token) and the OpenAPI document.
"""
from __future__ import annotations

import logging
import sqlite3
from datetime import date, timedelta
from pathlib import Path

from aiohttp import web

from companion.server import keys
from companion.server.engine import Engine, PostResult
from companion.server.errors import ApiError
from companion.server.routes import Route
from companion.server.user_schemas import request_schemas, response_schemas  # noqa: F401 (routes.py reads them)
from companion.server.validation import clean_text
from companion.store.personal import Personal
from companion.store.schema import SchemaError
from companion.store.store import Store, StoreLocked
from companion.store.transfer import export_document, import_document

log = logging.getLogger("companion.server")

PERSONAL = web.AppKey("personal", Personal)
MAX_STATS_DAYS = 366
_WRITE_ERRORS = (400, 401, 403, 413, 415, 422, 503)
_READ_ERRORS = (401, 403, 503)


def _personal(request: web.Request) -> Personal:
    return request.app[PERSONAL]


async def _store(request: web.Request, fn, *args, changes_corrections=False):
    personal = _personal(request)
    try:
        if changes_corrections:
            return await personal.changed(fn, *args)
        return await personal.call(fn, *args)
    except StoreLocked as exc:
        raise ApiError("store_locked", f"{exc}; close it and retry", {"Retry-After": "2"}) from None
    except SchemaError as exc:
        raise ApiError("store_unavailable", str(exc)) from None


async def _body(request: web.Request, name: str) -> dict:
    return await request.app[keys.BODIES][name].read(request)


async def list_corrections(request):
    return web.json_response({"corrections": await _store(request, _personal(request).store.corrections)})


async def add_correction(request):
    body = await _body(request, "CorrectionRequest")
    store = _personal(request).store
    # Cleaned as /v1/classify cleans a post's text, so that the digests meet.
    row = await _store(request, store.add_correction, clean_text(body["text"]), body["labels"],
                       body.get("site") or "", changes_corrections=True)
    return web.json_response(row)


async def delete_correction(request):
    raw = request.match_info["id"]
    if not raw.isdigit() or len(raw) > 18:
        raise ApiError("invalid_field", "id must be a correction's number")
    if not await _store(request, _personal(request).store.delete_correction, int(raw),
                        changes_corrections=True):
        raise ApiError("not_found", "no correction with this id")
    return web.json_response({"deleted": True})


async def list_authors(request):
    return web.json_response({"authors": await _store(request, _personal(request).store.author_rules)})


async def set_author(request):
    body = await _body(request, "AuthorRuleRequest")
    return web.json_response(await _store(request, _personal(request).store.set_author_rule,
                                          body["site"], body["author"], body["rule"]))


async def delete_author(request):
    site, author = request.query.get("site"), request.query.get("author")
    if site is None or not author:
        raise ApiError("invalid_field", "give the rule's site and author as ?site=…&author=…")
    if not await _store(request, _personal(request).store.delete_author_rule, site, author):
        raise ApiError("not_found", "no rule for this author on this site")
    return web.json_response({"deleted": True})


async def get_settings(request):
    return web.json_response(await _store(request, _personal(request).store.settings))


async def update_settings(request):
    body = await _body(request, "SettingsRequest")
    settings = await _store(request, _personal(request).store.update_settings, body)
    return web.json_response(settings)


async def get_stats(request):
    raw = request.query.get("days", "30")
    if not raw.isdigit() or not 1 <= int(raw) <= MAX_STATS_DAYS:
        raise ApiError("invalid_field", f"days must be a whole number from 1 to {MAX_STATS_DAYS}")
    today = date.today()
    since = (today - timedelta(days=int(raw) - 1)).isoformat()
    rows = await _store(request, _personal(request).store.daily, since, request.query.get("site"))
    return web.json_response({"from": since, "to": today.isoformat(), "rows": rows})


async def add_actions(request):
    """What the extension did with posts (dimmed, hidden, brought forward), counted per day."""
    body = await _body(request, "ActionsRequest")
    counts = {("action", name): n for name, n in body["actions"].items()}
    await _store(request, _personal(request).store.add_daily, date.today().isoformat(),
                 body["site"], counts)
    return web.json_response({"counted": {name: n for (_, name), n in counts.items()}})


async def export(request):
    document = await _store(request, export_document, _personal(request).store)
    return web.json_response(document, headers={
        "Content-Disposition": 'attachment; filename="campfire-user-data.json"'})


async def import_(request):
    body = await _body(request, "ImportRequest")
    added = await _store(request, import_document, _personal(request).store, body,
                         changes_corrections=True)
    return web.json_response({"added": added})


async def store_status(request):
    return web.json_response(await _store(request, _personal(request).store.status))


async def forget(request):
    await _store(request, _personal(request).store.forget, changes_corrections=True)
    _personal(request).forget_seen()
    return web.json_response({"deleted": True})


async def personalise(app: web.Application, engine: Engine, posts: list[dict], texts: list[str],
                      analyses: list[PostResult]) -> list[PostResult]:
    """The user's corrections, learned adjustments and author rules applied to a request's
    analyses, and the posts counted for the day. If the store fails, labels are the model's
    and the failure is logged: a broken store must not stop the feed from being labelled."""
    personal = app[PERSONAL]
    thresholds = {label.name: label.threshold for label in engine.info.labels}
    # Posts not finished within the request's budget (None) pass through untouched.
    done = [i for i, a in enumerate(analyses) if a is not None]
    try:
        rules, settings = await personal.rules_and_settings()
        learner = await personal.learner_for(thresholds)
        adjusted = await personal.call(
            lambda: [learner.adjust(texts[i], analyses[i].labels, settings["learning"]) for i in done])
    except (StoreLocked, SchemaError, sqlite3.Error) as exc:
        log.error("user store unavailable, model labels only: %s", type(exc).__name__)
        return analyses
    out, by_site = list(analyses), {}
    for i, (labels, how) in zip(done, adjusted):
        post, text, analysis = posts[i], texts[i], analyses[i]
        site, author = post.get("site") or "", post.get("author") or ""
        rule = rules.get((site, author)) if author else None
        if rule == "never_label":
            labels = {name: {**value, "flag": False} for name, value in labels.items()}
        mine = {**(how or {}), **({"author_rule": rule} if rule else {})}
        out[i] = PostResult(labels, analysis.evidence, mine) if mine else analysis
        counts = personal.count(site, text, labels, analysis.evidence) if site else None
        if counts:
            total = by_site.setdefault(site, {})
            for key, n in counts.items():
                total[key] = total.get(key, 0) + n
    if by_site:
        personal.record(by_site)
    return out


# Every user-data endpoint, for the route table (companion.server.routes); all need the token.
_ID = {"id": {"type": "integer", "minimum": 1, "maximum": 10**18 - 1}}  # what delete_correction reads
ROUTES = [
    Route("GET", "/v1/corrections", list_corrections, "The user's corrections, oldest first",
          None, "Corrections", _READ_ERRORS),
    Route("POST", "/v1/corrections", add_correction, "Correct a post's labels (applies at once)",
          "CorrectionRequest", "Correction", _WRITE_ERRORS),
    Route("DELETE", "/v1/corrections/{id}", delete_correction, "Undo one correction",
          None, "Deleted", (401, 403, 404, 422, 503), path_params=_ID),
    Route("GET", "/v1/authors", list_authors, "Author rules (never label, always hide), per site",
          None, "AuthorRules", _READ_ERRORS),
    Route("POST", "/v1/authors", set_author, "Set the rule for an author on a site",
          "AuthorRuleRequest", "AuthorRule", _WRITE_ERRORS),
    Route("DELETE", "/v1/authors", delete_author, "Remove an author's rule (?site=…&author=…)",
          None, "Deleted", (401, 403, 404, 422, 503),
          query_params={"site": {"type": "string"}, "author": {"type": "string", "minLength": 1}}),
    Route("GET", "/v1/settings", get_settings, "The user's settings", None, "Settings", _READ_ERRORS),
    Route("POST", "/v1/settings", update_settings, "Change some of the user's settings",
          "SettingsRequest", "Settings", _WRITE_ERRORS),
    Route("GET", "/v1/stats", get_stats, "Daily counts per site (?days=30&site=…): posts, labels, "
          "undisclosed-tie kinds, the extension's actions; no text, no author", None, "Stats",
          (401, 403, 422, 503)),
    Route("POST", "/v1/stats", add_actions, "Count what the extension did with posts today",
          "ActionsRequest", "ActionsCounted", _WRITE_ERRORS),
    Route("GET", "/v1/export", export, "Everything the store holds, as one JSON document",
          None, "Export", _READ_ERRORS),
    Route("POST", "/v1/import", import_, "Merge an exported document into the store",
          "ImportRequest", "Imported", _WRITE_ERRORS),
    Route("GET", "/v1/store", store_status, "Where the store is, its schema version and any problem",
          None, "StoreStatus", _READ_ERRORS),
    Route("DELETE", "/v1/store", forget, "Forget everything: delete every correction, rule, "
          "setting and count", None, "Deleted", _READ_ERRORS),
]


def install(app: web.Application, data_dir: Path | None = None) -> None:
    """Adds the user's store (opened on first use) to the app; its routes are in ROUTES."""
    store = Store(data_dir / "store.sqlite3" if data_dir else None)
    app[PERSONAL] = Personal(store)

    async def close_store(app):
        yield
        await app[PERSONAL].close()
    app.cleanup_ctx.append(close_store)
