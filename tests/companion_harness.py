"""Helpers for testing the companion, importable from any test folder.

(Import them from here, not from a conftest: with more than one conftest.py in the suite,
`from conftest import ...` picks whichever was loaded last.)

- `running_companion(config_dir=None, *args, wait_ready=True, argv=None)`, from
  companion.testing (shared with the benchmarks): a context manager that runs
  `campfire serve --port 0 ARGS` (or the command line `argv`) and yields a
  `RunningCompanion`; SIGTERM when the block ends.
- `RunningCompanion`: `.port`, `.base_url`, `.token`, `.auth`, `.process`,
  `.request(method, path, body=None, headers=None) -> (status, headers, json)` (never raises
  for an HTTP error status), `.output()` (all it printed so far, stdout and stderr),
  `.memory_mib()`.
- `campfire_command()`: the installed `campfire` script, else `python -m companion`.
- `OpenApi(document)`: `.check(path, method, status, body)` validates a real response body
  against the schema that /v1/openapi.json names for it.
- `CompanionTestServer(app)`: pytest-aiohttp's TestServer with the runner `campfire serve`
  uses (JSON parser errors, time limits, connection cap, access log); pass it to
  `aiohttp_client`.
- `raw_exchange(port, data, wait_s)`: bytes sent on a plain socket, then everything the
  server answers until it closes the connection -> `RawAnswer(status, body, closed, seconds)`.
"""
from __future__ import annotations

import asyncio
import json
import time
from dataclasses import dataclass

from aiohttp.test_utils import TestServer
from jsonschema import Draft202012Validator
from referencing import Registry, Resource
from referencing.jsonschema import DRAFT202012

from companion.server.protocol import CompanionRunner
from companion.testing import (READY, REPO, RunningCompanion, campfire_command,  # noqa: F401
                               running_companion)

class OpenApi:
    """Validates response bodies against the schemas the OpenAPI document names for them."""
    BASE = "urn:campfire-openapi"

    def __init__(self, document: dict):
        self.document = document
        resource = Resource.from_contents(document, default_specification=DRAFT202012)
        self.registry = Registry().with_resource(self.BASE, resource)

    def schema_ref(self, path: str, method: str, status: int) -> str:
        responses = self.document["paths"][path][method.lower()]["responses"]
        if str(status) not in responses:
            # 404/405 are the router's, not an endpoint's; they use the shared Error schema
            assert status >= 400, f"{method} {path} -> {status} is not documented"
            return "#/components/schemas/Error"
        return responses[str(status)]["content"]["application/json"]["schema"]["$ref"]

    def check(self, path: str, method: str, status: int, body) -> None:
        ref = self.schema_ref(path, method, status)
        validator = Draft202012Validator({"$ref": self.BASE + ref}, registry=self.registry)
        validator.validate(body)


class CompanionTestServer(TestServer):
    async def _make_runner(self, **kwargs):
        return CompanionRunner(self.app, **kwargs)


@dataclass
class RawAnswer:
    status: int | None       # None: no answer at all
    body: object             # parsed JSON, or the raw bytes when not JSON
    content_type: str
    closed: bool             # the server closed the connection within wait_s
    seconds: float           # until it closed (or wait_s)


async def raw_exchange(port: int, data: bytes, wait_s: float = 5.0, drip=None) -> RawAnswer:
    """Sends `data` (then, while the connection is open, each of `drip`'s (bytes, pause_s)
    pairs) and reads until the server closes the connection or `wait_s` passes."""
    start = time.monotonic()
    reader, writer = await asyncio.open_connection("127.0.0.1", port)
    received = bytearray()

    async def read_all() -> bool:
        try:
            while chunk := await reader.read(65536):
                received.extend(chunk)
            return True
        except ConnectionError:
            return True

    reading = asyncio.create_task(read_all())
    try:
        writer.write(data)
        for chunk, pause_s in drip or ():
            await asyncio.sleep(pause_s)
            if reading.done():
                break
            writer.write(chunk)
        done, _ = await asyncio.wait([reading], timeout=max(0.0, wait_s - (time.monotonic() - start)))
        closed = bool(done)
    except ConnectionError:
        closed = True
    finally:
        reading.cancel()
        writer.close()
    received = bytes(received)
    seconds = time.monotonic() - start
    head, _, body = received.partition(b"\r\n\r\n")
    status = int(head.split()[1]) if head.startswith(b"HTTP/") else None
    content_type = next((line.split(b":", 1)[1].strip().decode() for line in head.split(b"\r\n")
                         if line.lower().startswith(b"content-type:")), "")
    try:
        parsed = json.loads(body)
    except ValueError:
        parsed = body
    return RawAnswer(status, parsed, content_type, closed, seconds)
