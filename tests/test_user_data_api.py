"""The user-data endpoints in process, with the real model: corrections applied at once and
undone, author rules, settings, daily counts written as posts are classified, export/import,
forget everything; every answer checked against the OpenAPI document."""
import pytest

from companion_harness import OpenApi

AD = "Obsessed with my new @glowco serum!! Use my code GLOW20 amzn.to/3xYz"
QUESTION = "Has anyone tried switching to a standing desk? Worth it?"


@pytest.fixture
async def openapi(api) -> OpenApi:
    response = await api.client.get("/v1/openapi.json", headers=api.auth)
    return OpenApi(await response.json())


async def call(api, openapi, method, path, body=None, doc_path=None, **params):
    response = await api.client.request(method, path, json=body, params=params or None, headers=api.auth)
    answer = await response.json()
    openapi.check(doc_path or path, method.lower(), response.status, answer)
    return response.status, answer


async def classify(api, posts):
    response = await api.client.post("/v1/classify", json={"posts": posts}, headers=api.auth)
    assert response.status == 200
    return {r["id"]: r for r in (await response.json())["results"]}


async def test_every_user_data_route_is_documented_and_needs_the_token(api, openapi):
    from companion.server.user_data import ROUTES
    for route in ROUTES:
        path = route.path
        assert route.method.lower() in openapi.document["paths"][path]
        response = await api.client.request(route.method, path.replace("{id}", "1"))
        assert response.status == 401, path


async def test_correction_applies_at_once_and_undo_restores_the_model(api, openapi):
    before = (await classify(api, [{"id": "a", "text": AD}]))["a"]
    assert before["labels"]["missing_disclosure"]["flag"] and "personal" not in before
    status, correction = await call(api, openapi, "POST", "/v1/corrections",
                                    {"text": AD, "labels": {"missing_disclosure": False}, "site": "x"})
    assert status == 200 and correction["labels"] == {"missing_disclosure": False}
    assert not correction["text_kept"] and "text" not in correction  # text kept only if agreed
    # The same text, spaced differently, is the same post.
    after = (await classify(api, [{"id": "a", "text": "  " + AD.replace(" ", "  ")}]))["a"]
    assert after["labels"]["missing_disclosure"]["score"] == 0.0
    assert after["labels"]["missing_disclosure"]["flag"] is False
    assert after["labels"]["self_promotion"] == before["labels"]["self_promotion"]
    assert after["personal"] == {"source": "corrected", "corrections": [correction["id"]]}
    status, listed = await call(api, openapi, "GET", "/v1/corrections")
    assert [c["id"] for c in listed["corrections"]] == [correction["id"]]
    status, _ = await call(api, openapi, "DELETE", f"/v1/corrections/{correction['id']}",
                           doc_path="/v1/corrections/{id}")
    assert status == 200
    undone = (await classify(api, [{"id": "a", "text": AD}]))["a"]
    assert undone["labels"] == before["labels"] and "personal" not in undone
    status, error = await call(api, openapi, "DELETE", f"/v1/corrections/{correction['id']}",
                               doc_path="/v1/corrections/{id}")
    assert status == 404 and error["error"]["code"] == "not_found"


async def test_text_is_kept_only_when_the_user_agrees(api, openapi):
    status, settings = await call(api, openapi, "GET", "/v1/settings")
    assert settings == {"keep_text": False, "learning": True}
    status, settings = await call(api, openapi, "POST", "/v1/settings", {"keep_text": True})
    assert settings["keep_text"] is True
    _, kept = await call(api, openapi, "POST", "/v1/corrections",
                         {"text": QUESTION, "labels": {"conversational": True}})
    assert kept["text"] == QUESTION


async def test_author_rules_per_site(api, openapi):
    posts = [{"id": "1", "text": AD, "site": "x", "author": "@glow"},
             {"id": "2", "text": AD, "site": "reddit", "author": "@glow"}]
    status, rule = await call(api, openapi, "POST", "/v1/authors",
                              {"site": "x", "author": "@glow", "rule": "never_label"})
    assert status == 200 and rule["rule"] == "never_label"
    results = await classify(api, posts)
    assert not any(v["flag"] for v in results["1"]["labels"].values())
    assert results["1"]["personal"] == {"author_rule": "never_label"}
    assert results["2"]["labels"]["missing_disclosure"]["flag"]   # another site: untouched
    await call(api, openapi, "POST", "/v1/authors", {"site": "x", "author": "@glow", "rule": "always_hide"})
    results = await classify(api, posts)
    assert results["1"]["personal"] == {"author_rule": "always_hide"}
    assert results["1"]["labels"]["missing_disclosure"]["flag"]
    _, listed = await call(api, openapi, "GET", "/v1/authors")
    assert [(r["site"], r["author"], r["rule"]) for r in listed["authors"]] == [("x", "@glow", "always_hide")]
    status, _ = await call(api, openapi, "DELETE", "/v1/authors", site="x", author="@glow")
    assert status == 200
    assert "personal" not in (await classify(api, posts))["1"]
    status, error = await call(api, openapi, "DELETE", "/v1/authors", site="x", author="@glow")
    assert status == 404


async def test_daily_counts_are_written_when_posts_are_classified(api, openapi):
    posts = [{"id": "ad", "text": AD, "site": "x"}, {"id": "q", "text": QUESTION, "site": "x"},
             {"id": "r", "text": QUESTION, "site": "reddit"}, {"id": "n", "text": "no site here"}]
    results = await classify(api, posts)
    await classify(api, posts)  # scrolling back: the same posts count once a day
    status, _ = await call(api, openapi, "POST", "/v1/stats",
                           {"site": "x", "actions": {"dimmed": 2, "brought_forward": 1}})
    assert status == 200
    status, stats = await call(api, openapi, "GET", "/v1/stats", days="7")
    counts = {(r["site"], r["kind"], r["name"]): r["count"] for r in stats["rows"]}
    assert counts[("x", "posts", "all")] == 2 and counts[("reddit", "posts", "all")] == 1
    flagged = sum(r["labels"]["missing_disclosure"]["flag"] for r in (results["ad"], results["q"]))
    assert counts.get(("x", "label", "missing_disclosure"), 0) == flagged == 1
    ties = {r["kind"] for r in results["ad"]["evidence"] if r["label"] == "missing_disclosure"}
    assert {name for (site, kind, name) in counts if kind == "tie"} == ties
    assert counts[("x", "action", "dimmed")] == 2 and counts[("x", "action", "brought_forward")] == 1
    assert not any("no site" in str(r) for r in stats["rows"])
    _, only_reddit = await call(api, openapi, "GET", "/v1/stats", site="reddit")
    assert {r["site"] for r in only_reddit["rows"]} == {"reddit"}
    status, error = await call(api, openapi, "GET", "/v1/stats", days="0")
    assert status == 422


async def test_export_import_and_forget(api, openapi):
    await call(api, openapi, "POST", "/v1/corrections", {"text": AD, "labels": {"missing_disclosure": False}})
    await call(api, openapi, "POST", "/v1/authors", {"site": "x", "author": "@a", "rule": "always_hide"})
    await classify(api, [{"id": "1", "text": QUESTION, "site": "x"}])
    status, document = await call(api, openapi, "GET", "/v1/export")
    assert status == 200 and len(document["corrections"]) == 1 and document["daily"]
    status, _ = await call(api, openapi, "DELETE", "/v1/store")
    assert status == 200
    _, state = await call(api, openapi, "GET", "/v1/store")
    assert state["counts"] == {"corrections": 0, "author_rules": 0, "daily": 0}
    assert "personal" not in (await classify(api, [{"id": "a", "text": AD}]))["a"]
    status, imported = await call(api, openapi, "POST", "/v1/import", document)
    assert imported["added"]["corrections"] == 1
    assert (await classify(api, [{"id": "a", "text": AD}]))["a"]["personal"]["source"] == "corrected"
    _, again = await call(api, openapi, "POST", "/v1/import", document)
    assert again["added"]["corrections"] == 0   # the same file twice adds nothing twice
    status, error = await call(api, openapi, "POST", "/v1/import", {**document, "format": "other"})
    assert status == 422 and error["error"]["code"] == "invalid_field"


@pytest.mark.parametrize("body", [
    {"text": AD, "labels": {}},
    {"text": AD, "labels": {"spam": True}},
    {"text": "", "labels": {"conversational": True}},
    {"text": AD, "labels": {"conversational": "yes"}},
])
async def test_bad_corrections_are_422(api, openapi, body):
    status, error = await call(api, openapi, "POST", "/v1/corrections", body)
    assert status == 422 and error["error"]["code"] == "invalid_field"


async def test_a_correction_applies_to_the_draft_check_too(api, openapi):
    response = await api.client.post("/v1/check", json={"text": AD}, headers=api.auth)
    assert (await response.json())["labels"]["missing_disclosure"]["flag"]
    await call(api, openapi, "POST", "/v1/corrections", {"text": AD, "labels": {"missing_disclosure": False}})
    response = await api.client.post("/v1/check", json={"text": AD}, headers=api.auth)
    body = await response.json()
    openapi.check("/v1/check", "post", 200, body)
    assert (body["labels"]["missing_disclosure"]["score"], body["labels"]["missing_disclosure"]["flag"]) == (0.0, False)


async def test_a_failing_store_leaves_the_models_labels_and_logs_the_error_type(api, monkeypatch, caplog):
    import sqlite3

    from companion.server.user_data import PERSONAL

    async def broken():
        raise sqlite3.OperationalError("disk I/O error")
    before = (await classify(api, [{"id": "a", "text": AD}]))["a"]
    monkeypatch.setattr(api.app[PERSONAL], "rules_and_settings", broken)
    with caplog.at_level("ERROR", logger="companion.server"):
        after = (await classify(api, [{"id": "b", "text": QUESTION}, {"id": "a", "text": AD}]))
    assert after["a"]["labels"] == before["labels"]
    assert "user store unavailable, model labels only: OperationalError" in caplog.text
    assert "disk I/O" not in caplog.text
