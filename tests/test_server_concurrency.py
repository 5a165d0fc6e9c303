"""Start-up in the background, micro-batching, and a free event loop while the model works.

The model's single worker thread is held busy with a gate (a job that waits on an Event), so
the states under test last as long as the test needs, without timing guesses.
"""
import asyncio
import contextlib
import threading
import time

from companion.server import Batching, ServerConfig, create_app, keys
from companion.decision import judge


@contextlib.contextmanager
def model_thread_held(app):
    gate = threading.Event()
    app[keys.LOADER].executor.submit(gate.wait)
    try:
        yield gate
    finally:
        gate.set()


async def wait_until(condition, timeout_s=10.0):
    deadline = time.monotonic() + timeout_s
    while not condition():
        assert time.monotonic() < deadline, "condition not reached"
        await asyncio.sleep(0.002)


async def test_answers_loading_then_ok_while_the_model_loads(config_dir, aiohttp_client, classifier):
    # Loads the model itself, in a thread that the test can hold.
    app = create_app(ServerConfig(config_dir=config_dir, batching=Batching(worker="thread")))
    auth = {"Authorization": f"Bearer {app[keys.TOKENS].current()}"}
    with model_thread_held(app) as gate:
        client = await aiohttp_client(app)
        health = await (await client.get("/v1/health")).json()
        assert (health["status"], health["model"], health["labels"]) == ("loading", None, [])
        for method, path, body in (("POST", "/v1/classify", {"posts": []}), ("GET", "/v1/labels", None),
                                   ("POST", "/v1/check", {"text": "hi"})):
            response = await client.request(method, path, json=body, headers=auth)
            assert response.status == 503
            assert (await response.json())["error"]["code"] == "model_loading"
            assert response.headers["Retry-After"] == "1"
        gate.set()
        await app[keys.LOADER].done.wait()
    health = await (await client.get("/v1/health")).json()
    assert health["status"] == "ok" and health["model"]["name"] == classifier.name
    response = await client.post("/v1/classify", json={"posts": [{"id": "a", "text": "hi"}]}, headers=auth)
    assert response.status == 200


async def test_a_model_that_fails_to_load_is_reported(config_dir, tmp_path, aiohttp_client):
    app = create_app(ServerConfig(config_dir=config_dir, model_dir=tmp_path / "no-model"))
    client = await aiohttp_client(app)
    await app[keys.LOADER].done.wait()
    health = await (await client.get("/v1/health")).json()
    assert health["status"] == "error"
    auth = {"Authorization": f"Bearer {app[keys.TOKENS].current()}"}
    response = await client.post("/v1/classify", json={"posts": []}, headers=auth)
    assert response.status == 503
    assert (await response.json())["error"]["code"] == "model_unavailable"


async def test_concurrent_requests_share_model_runs(api, classifier):
    requests = 8
    texts = [f"Post number {i}: has anyone been to the new library?" for i in range(requests)]
    with model_thread_held(api.app) as gate:
        calls = [asyncio.create_task(api.client.post(
            "/v1/classify", json={"posts": [{"id": str(i), "text": t}]}, headers=api.auth))
            for i, t in enumerate(texts)]
        await wait_until(lambda: api.stats.cache_misses == requests)
        gate.set()
        responses = await asyncio.gather(*calls)
    bodies = [await r.json() for r in responses]
    assert [b["results"][0]["id"] for b in bodies] == [str(i) for i in range(requests)]
    assert [b["results"][0]["labels"] for b in bodies] == judge(classifier, texts)
    assert api.stats.texts_scored == requests
    assert api.stats.model_runs < requests, api.stats


async def test_health_answers_at_once_while_the_model_is_busy(api):
    with model_thread_held(api.app):
        pending = asyncio.create_task(api.client.post(
            "/v1/classify", json={"posts": [{"id": "a", "text": "queued behind a busy model"}]},
            headers=api.auth))
        await wait_until(lambda: api.stats.cache_misses == 1)
        start = time.perf_counter()
        response = await api.client.get("/v1/health")
        assert response.status == 200
        assert time.perf_counter() - start < 0.5
        assert not pending.done()
    assert (await pending).status == 200
