"""The /v1 endpoints in process, with the real model: shapes, order, ranking, the OpenAPI doc."""
import json

import pytest
from openapi_spec_validator import validate as validate_openapi

from companion_harness import OpenApi
from companion.rules.draftcheck import check_draft
from companion.rules.evidence import evidence_for_labels
from companion.server.ranking import conversation_first
from companion.server.schemas import LABEL_NAMES
from companion.server.user_data import ROUTES as USER_ROUTES
from companion.decision import judge

POSTS = [
    {"id": "q", "text": "Has anyone tried switching to a standing desk? Worth it?"},
    {"id": "ad", "text": "Obsessed with my new @glowco serum!! Use my code GLOW20 amzn.to/3xYz"},
    {"id": "pitch", "text": "My book is out today, link in bio. Buy it now!"},
    {"id": "reply", "text": "@sam totally agree, the second half dragged for me too"},
    {"id": "news", "text": "Breaking: city council approves new budget for 2025"},
]


@pytest.fixture
async def openapi(api) -> OpenApi:
    response = await api.client.get("/v1/openapi.json", headers=api.auth)
    assert response.status == 200
    return OpenApi(await response.json())


async def post(api, path, body):
    response = await api.client.post(path, json=body, headers=api.auth)
    return response.status, await response.json()


async def test_openapi_document_is_valid_openapi_3_1(openapi):
    validate_openapi(openapi.document)
    assert openapi.document["openapi"].startswith("3.1")
    user_paths = {route.path for route in USER_ROUTES}
    assert set(openapi.document["paths"]) == {"/v1/health", "/v1/labels", "/v1/classify",
                                              "/v1/rank", "/v1/check", "/v1/openapi.json"} | user_paths


async def test_health_needs_no_token_and_names_model_and_labels(api, openapi, classifier):
    response = await api.client.get("/v1/health")
    body = await response.json()
    assert response.status == 200
    openapi.check("/v1/health", "get", 200, body)
    assert body["status"] == "ok"
    assert body["model"] == {"name": classifier.name, "version": classifier.version}
    assert body["labels"] == list(LABEL_NAMES)
    assert body["uptime_s"] >= 0


async def test_labels_are_the_models_definitions(api, openapi, classifier):
    response = await api.client.get("/v1/labels", headers=api.auth)
    body = await response.json()
    openapi.check("/v1/labels", "get", 200, body)
    assert [l["name"] for l in body["labels"]] == list(LABEL_NAMES)
    for served, label in zip(body["labels"], classifier.labels):
        assert (served["title"], served["description"], served["threshold"]) == \
               (label.title, label.description, label.threshold)
        assert served["description"]


async def test_classify_gives_the_models_scores_in_request_order(api, openapi, classifier):
    posts = [POSTS[3], POSTS[0], POSTS[4], POSTS[1]]
    status, body = await post(api, "/v1/classify", {"posts": posts})
    assert status == 200
    openapi.check("/v1/classify", "post", 200, body)
    assert [r["id"] for r in body["results"]] == ["reply", "q", "news", "ad"]
    assert [r["labels"] for r in body["results"]] == judge(classifier, [p["text"] for p in posts])
    assert body["model"] == {"name": classifier.name, "version": classifier.version}
    assert body["elapsed_ms"] >= 0


async def test_classify_accepts_optional_fields_and_an_empty_list(api, openapi):
    post_with_all = {**POSTS[0], "site": "reddit", "author": None, "url": "https://reddit.com/r/x/1"}
    status, body = await post(api, "/v1/classify", {"posts": [post_with_all]})
    assert status == 200 and body["results"][0]["id"] == "q"
    status, body = await post(api, "/v1/classify", {"posts": []})
    assert status == 200
    openapi.check("/v1/classify", "post", 200, body)
    assert body["results"] == []


async def test_text_with_a_lone_surrogate_is_scored(api, classifier):
    raw = '{"posts": [{"id": "cut", "text": "so good \\ud83d"}]}'
    response = await api.client.post("/v1/classify", data=raw, headers={
        **api.auth, "Content-Type": "application/json"})
    body = await response.json()
    assert response.status == 200
    assert body["results"][0]["labels"] == judge(classifier, ["so good \ufffd"])[0]


async def test_evidence_spans_slice_the_text_as_javascript_counts(api):
    text = "😀 Obsessed with my new @glowco serum!! Use my code GLOW20 amzn.to/3xYz"
    status, body = await post(api, "/v1/classify", {"posts": [
        {"id": "ad", "text": text}, {"id": "plain", "text": "Has anyone tried a standing desk?"}]})
    assert status == 200
    evidence = body["results"][0]["evidence"]
    assert evidence == evidence_for_labels(text, offsets="utf16") != []
    utf16 = text.encode("utf-16-le")
    for item in evidence:
        assert utf16[2 * item["start"]: 2 * item["end"]].decode("utf-16-le") == item["text"]
    assert body["results"][1]["evidence"] == []


def expected_rank(results, sink=()):
    ids = [r["id"] for r in results]
    return sorted(ids, key=lambda i: (
        any(results[ids.index(i)]["labels"][s]["flag"] for s in sink),
        -results[ids.index(i)]["labels"]["conversational"]["score"]))


async def test_rank_puts_conversation_first_and_keeps_page_order_on_ties(api, openapi):
    # Twins share a text, so they tie: they must stay in page order ("twin-1" before "twin-2").
    posts = [{"id": "twin-1", "text": POSTS[4]["text"]}, *POSTS, {"id": "twin-2", "text": POSTS[4]["text"]}]
    status, body = await post(api, "/v1/rank", {"posts": posts})
    assert status == 200
    openapi.check("/v1/rank", "post", 200, body)
    assert [r["id"] for r in body["results"]] == [p["id"] for p in posts]
    assert body["ranked_ids"] == expected_rank(body["results"])
    assert body["ranked_ids"].index("twin-1") < body["ranked_ids"].index("twin-2")
    scores = [next(r for r in body["results"] if r["id"] == i)["labels"]["conversational"]["score"]
              for i in body["ranked_ids"]]
    assert scores == sorted(scores, reverse=True)


async def test_rank_sinks_posts_flagged_with_a_sink_label(api):
    sink = ["self_promotion", "missing_disclosure"]
    status, body = await post(api, "/v1/rank", {"posts": POSTS, "options": {"sink": sink}})
    assert status == 200
    assert body["ranked_ids"] == expected_rank(body["results"], sink)
    sunk = [any(r["labels"][s]["flag"] for s in sink) for r in
            sorted(body["results"], key=lambda r: body["ranked_ids"].index(r["id"]))]
    assert sunk == sorted(sunk)  # every sunk post comes after every other


def labels(conv, promo=False):
    return {"conversational": {"score": conv, "flag": conv >= 0.5},
            "self_promotion": {"score": 0.9 if promo else 0.1, "flag": promo}}


def test_conversation_first_rule():
    ids = ["a", "b", "c", "d", "e"]
    scores = [labels(0.2), labels(0.9, promo=True), labels(0.5), labels(0.9), labels(0.5)]
    assert conversation_first(ids, scores) == ["b", "d", "c", "e", "a"]
    assert conversation_first(ids, scores, sink=["self_promotion"]) == ["d", "c", "e", "a", "b"]
    assert conversation_first([], [], sink=["self_promotion"]) == []


async def test_check_labels_a_draft_and_suggests_fixes(api, openapi):
    text = "😀 Loving this serum from @glowco, use my code GLOW20 amzn.to/3xYz #sp"
    status, body = await post(api, "/v1/check", {"text": text})
    assert status == 200
    openapi.check("/v1/check", "post", 200, body)
    _, classified = await post(api, "/v1/classify", {"posts": [{"id": "x", "text": text}]})
    assert body["labels"] == classified["results"][0]["labels"]
    assert body["model"] == classified["model"]
    assert body["matches"] == check_draft(text, body["labels"], offsets="utf16")
    rules = {m["rule"] for m in body["matches"]}
    assert {"UNDISCLOSED_TIE", "WEAK_DISCLOSURE"} & rules
    utf16 = text.encode("utf-16-le")
    for match in body["matches"]:
        assert 0 <= match["offset"] and 2 * (match["offset"] + match["length"]) <= len(utf16)


async def test_check_of_a_plain_draft_has_no_tie_matches(api):
    status, body = await post(api, "/v1/check", {"text": "Has anyone tried a standing desk? Worth it?"})
    assert status == 200
    assert not {"UNDISCLOSED_TIE", "WEAK_DISCLOSURE", "BURIED_DISCLOSURE"} & {m["rule"] for m in body["matches"]}


async def test_check_of_a_draft_only_the_model_flags_says_what_to_do(api):
    text = "These running shoes from Stride changed my mornings. Get yours at stride.com"
    assert check_draft(text) == [], "the rules alone must see nothing here for this test to mean anything"
    status, body = await post(api, "/v1/check", {"text": text})
    assert status == 200
    assert body["labels"]["missing_disclosure"]["flag"], "the shipped model no longer flags the example"
    # what to act on: one warning; an info note may sit beside it (at self_promotion 0.32 this draft
    # reads as a pitch, 0.35, and gets SELF_PROMOTION_NOTE)
    (match,) = [m for m in body["matches"] if m["severity"] in ("error", "warning")]
    assert {m["rule"] for m in body["matches"]} <= {"MODEL_ENDORSEMENT", "SELF_PROMOTION_NOTE"}
    assert (match["rule"], match["severity"], match["offset"], match["length"]) == ("MODEL_ENDORSEMENT", "warning", 0, 5)
    assert match["replacements"] == [{"value": "#ad These"}]
    status, fixed = await post(api, "/v1/check", {"text": "#ad " + text})
    assert status == 200
    assert fixed["labels"]["missing_disclosure"]["flag"] is False
    assert fixed["labels"]["missing_disclosure"]["decided_by"] == "rules"
    assert fixed["matches"] == []


async def test_repeated_posts_come_from_the_cache(api):
    status, first = await post(api, "/v1/classify", {"posts": POSTS})
    runs, hits = api.stats.model_runs, api.stats.cache_hits
    status, again = await post(api, "/v1/classify", {"posts": list(reversed(POSTS))})
    assert status == 200
    assert api.stats.model_runs == runs  # no model run for posts already scored
    assert api.stats.cache_hits == hits + len(POSTS)
    assert again["results"] == list(reversed(first["results"]))


async def test_the_cache_forgets_the_least_recently_used(make_app, aiohttp_client):
    from companion.server import Batching, keys
    app = make_app(batching=Batching(cache_entries=2))
    client = await aiohttp_client(app)
    await app[keys.LOADER].done.wait()
    auth = {"Authorization": f"Bearer {app[keys.TOKENS].current()}"}
    stats = app[keys.STATS]
    for text in ("one", "two", "one", "three", "one", "two"):
        await client.post("/v1/classify", json={"posts": [{"id": "p", "text": text}]}, headers=auth)
    # "one" stays fresh by use; "two" is pushed out by "three" and must be scored again.
    assert (stats.cache_hits, stats.cache_misses) == (2, 4)


async def test_a_text_repeated_in_one_request_is_scored_once(api):
    posts = [{"id": str(i), "text": "the same words"} for i in range(5)]
    status, body = await post(api, "/v1/classify", {"posts": posts})
    assert status == 200 and len({json.dumps(r["labels"]) for r in body["results"]}) == 1
    assert api.stats.texts_scored == 1


async def test_a_repeated_id_is_answered_for_each_post_in_place(api, openapi, classifier):
    posts = [{"id": "a", "text": "Has anyone tried the new trail?"},
             {"id": "b", "text": "Use my code GLOW20 amzn.to/3xYz"},
             {"id": "a", "text": "My book is out today, link in bio"}]
    for path in ("/v1/classify", "/v1/rank"):
        status, body = await post(api, path, {"posts": posts})
        assert status == 200
        openapi.check(path, "post", 200, body)
        assert [r["id"] for r in body["results"]] == ["a", "b", "a"]
        assert [r["labels"] for r in body["results"]] == judge(classifier, [p["text"] for p in posts])
    assert sorted(body["ranked_ids"]) == ["a", "a", "b"]
