"""A time budget per request: posts not done in time are answered `over_budget`, the rest
normally, and a worker process stuck on one chunk is replaced without stalling others."""
import asyncio
import time

import pytest

from companion_harness import CompanionTestServer, OpenApi
from companion.server import Batching, Connections, Limits, ServerConfig, create_app, keys
from companion.server.schemas import openapi_document
from companion.server.scoring import OverBudget, Stats
from companion.server.workers import ProcessWorker
from test_server_concurrency import model_thread_held, wait_until

BUDGET_S = 0.5
SCHEMAS = OpenApi(openapi_document(Limits()))


@pytest.fixture
async def tight(make_app, aiohttp_client):
    app = make_app(connections=Connections(request_budget_s=BUDGET_S))
    client = await aiohttp_client(CompanionTestServer(app))
    await app[keys.LOADER].done.wait()
    return client, app, {"Authorization": f"Bearer {app[keys.TOKENS].current()}"}


async def test_posts_over_budget_get_an_error_and_the_rest_their_labels(tight):
    client, app, auth = tight
    seen = {"id": "seen", "text": "Has anyone been to the new library downtown?"}
    assert (await client.post("/v1/classify", json={"posts": [seen]}, headers=auth)).status == 200
    posts = [{"id": "new", "text": "A post the model has not read yet"}, seen]
    with model_thread_held(app):
        start = time.monotonic()
        classify = await client.post("/v1/classify", json={"posts": posts}, headers=auth)
        rank = await client.post("/v1/rank", json={"posts": posts}, headers=auth)
        assert time.monotonic() - start < 4 * BUDGET_S + 2
    body = await classify.json()
    assert classify.status == 200
    SCHEMAS.check("/v1/classify", "post", 200, body)
    new, old = body["results"]
    assert new == {"id": "new", "error": {"code": "over_budget", "message": new["error"]["message"]}}
    assert old["id"] == "seen" and set(old["labels"]) and "error" not in old
    ranked = await rank.json()
    SCHEMAS.check("/v1/rank", "post", 200, ranked)
    assert ranked["ranked_ids"] == ["seen", "new"]  # over budget goes last
    # The work went on: sent again, the post is answered.
    await wait_until(lambda: app[keys.STATS].texts_scored >= 2)
    again = await client.post("/v1/classify", json={"posts": posts}, headers=auth)
    assert all("labels" in r for r in (await again.json())["results"])


async def test_a_draft_over_budget_is_503(tight):
    client, app, auth = tight
    with model_thread_held(app):
        response = await client.post("/v1/check", json={"text": "use my code X"}, headers=auth)
    assert response.status == 503
    assert (await response.json())["error"]["code"] == "over_budget"


async def test_a_stuck_worker_process_is_replaced():
    stats = Stats()
    worker = ProcessWorker(None, 1, stats)
    await worker.start()
    try:
        loop = asyncio.get_running_loop()
        start = time.monotonic()
        with pytest.raises(OverBudget):
            await worker.call(time.sleep, 60, deadline=loop.time() + 0.2)
        assert time.monotonic() - start < 5
        assert stats.worker_restarts == 1
        results = await worker.analyse(["hello, how was your weekend?"], loop.time() + 60)
        assert set(results[0].labels) == {"self_promotion", "missing_disclosure", "conversational"}
    finally:
        await worker.close()


async def test_health_answers_at_once_while_the_worker_process_is_busy(config_dir, aiohttp_client):
    app = create_app(ServerConfig(config_dir=config_dir, batching=Batching(worker="process")))
    client = await aiohttp_client(CompanionTestServer(app))
    await app[keys.LOADER].done.wait()
    engine = app[keys.LOADER].require()
    loop = asyncio.get_running_loop()
    busy = asyncio.create_task(engine.worker.call(time.sleep, 2, deadline=loop.time() + 10))
    await asyncio.sleep(0.2)
    worst = 0.0
    for _ in range(20):
        start = time.perf_counter()
        assert (await client.get("/v1/health")).status == 200
        worst = max(worst, time.perf_counter() - start)
    assert worst < 0.5 and not busy.done()
    await busy
