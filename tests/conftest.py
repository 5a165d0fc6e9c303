"""Fixtures shared by the whole suite. Expensive things are made once per session.

Model and in-process companion (pytest-aiohttp):
- `classifier` (session): the real `Classifier` loaded once from models/.
- `config_dir` (function): an empty config folder; CAMPFIRE_CONFIG_DIR points at it.
- `make_app(**config)` (function): `create_app(ServerConfig(config_dir=..., **config),
  classifier)`, sharing the session's model. Start it with pytest-aiohttp's `aiohttp_client`.
- `api` (function): a started in-process companion with its model ready, served by the
  runner `campfire serve` uses (companion_harness.CompanionTestServer): `api.client`
  (aiohttp TestClient), `api.app`, `api.token`, `api.auth` (headers with the token),
  `api.stats` (cache and batching counters).

A real `campfire serve` process (over HTTP, like the extension sees it):
- `companion_server` (session): one `campfire serve --port 0` for the whole session, with its
  own config folder. A `RunningCompanion`: `.port`, `.base_url`, `.token`, `.auth`,
  `.request(method, path, body=None, headers=None) -> (status, headers, json)`, `.output()`
  (everything it printed so far, stdout and stderr), `.process`.

For a process of a test's own (shutdown, bad arguments), and to check answers against the
OpenAPI document, import `running_companion`, `RunningCompanion` and `OpenApi` from
`companion_harness` (tests/companion_harness.py), not from this file.
"""
from __future__ import annotations

import shutil
from dataclasses import dataclass
from pathlib import Path

import pytest

from companion.pairing import CONFIG_DIR_ENV
from companion.store.store import DATA_DIR_ENV
from companion.model import Classifier
from companion.server import ServerConfig, create_app, keys
from companion_harness import READY, CompanionTestServer, RunningCompanion, running_companion


def pytest_collection_modifyitems(items):
    """Modules that drive a browser through Playwright's sync API run after all the others.

    Once started, sync Playwright keeps an event loop running in the main thread for the rest
    of the session, and pytest-aiohttp's tests cannot start their own loop after that."""
    browser_modules = {item.path for item in items if "playwright" in item.fixturenames}
    items.sort(key=lambda item: item.path in browser_modules)


@pytest.fixture(scope="session")
def classifier() -> Classifier:
    return Classifier.load()


@pytest.fixture
def config_dir(tmp_path, monkeypatch) -> Path:
    """Also points CAMPFIRE_DATA_DIR (the user's store) at the test's own folder."""
    path = tmp_path / "config"
    monkeypatch.setenv(CONFIG_DIR_ENV, str(path))
    monkeypatch.setenv(DATA_DIR_ENV, str(tmp_path / "data"))
    return path


@pytest.fixture
def make_app(config_dir, classifier):
    def make(**config):
        return create_app(ServerConfig(config_dir=config_dir, **config), classifier)
    return make


@dataclass
class InProcessCompanion:
    client: object
    app: object

    @property
    def token(self) -> str:
        return self.app[keys.TOKENS].current()

    @property
    def auth(self) -> dict:
        return {"Authorization": f"Bearer {self.token}"}

    @property
    def stats(self):
        return self.app[keys.STATS]


@pytest.fixture
async def api(make_app, aiohttp_client) -> InProcessCompanion:
    app = make_app()
    client = await aiohttp_client(CompanionTestServer(app))
    await app[keys.LOADER].done.wait()
    return InProcessCompanion(client, app)


@pytest.fixture(scope="session")
def companion_server(tmp_path_factory) -> RunningCompanion:
    config_dir = tmp_path_factory.mktemp("companion-config")
    with running_companion(config_dir) as running:
        if not running.port or READY not in running.output():
            pytest.fail(f"campfire serve did not start:\n{running.output()}")
        yield running
    shutil.rmtree(config_dir, ignore_errors=True)
