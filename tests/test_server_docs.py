"""docs/API.md keeps up with the server: every endpoint, error code and limit is documented."""
import re

from companion_harness import REPO
from companion.server import Limits
from companion.server.errors import ERROR_STATUS
from companion.server.routes import all_routes

API_DOC = (REPO / "docs" / "API.md").read_text(encoding="utf-8")


def test_every_endpoint_has_a_section():
    for route in all_routes():
        assert f"### {route.method} {route.path}\n" in API_DOC


def test_every_error_code_is_in_the_table_with_its_status():
    rows = dict((code, int(status)) for status, code in
                re.findall(r"^\| (\d{3}) \| `([a-z_]+)` \|", API_DOC, re.MULTILINE))
    assert rows == ERROR_STATUS


def test_every_limit_is_documented():
    limits = Limits()
    for value in (limits.max_posts, limits.max_text_chars, limits.max_field_chars,
                  limits.max_body_bytes):
        assert f"{value:,}" in API_DOC or str(value) in API_DOC
