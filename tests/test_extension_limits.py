"""The extension's copy of the companion's request limits (no browser needed).

`extension/shared/limits.js` mirrors `companion.server.Limits` by hand: a companion that
tightens a limit the extension still believes would refuse whole batches again.
"""
from __future__ import annotations

import dataclasses
import re
from pathlib import Path

from companion.server import Limits

LIMITS_JS = Path(__file__).resolve().parent.parent / "extension" / "shared" / "limits.js"
SOURCE = LIMITS_JS.read_text(encoding="utf-8")
NUMBERS = {name: int(value.replace("_", ""))
           for name, value in re.findall(r"^\s*([A-Z][A-Z_]*): ([\d_]+),", SOURCE, re.M)}
CUT_MARK = re.search(r'^\s*CUT_MARK: "([^"]*)",', SOURCE, re.M).group(1)


def utf16_units(text: str) -> int:
    return len(text.encode("utf-16-le")) // 2


def test_each_companion_limit_has_its_twin_in_the_extension():
    companion = {field.upper(): value for field, value in dataclasses.asdict(Limits()).items()}
    assert {name: NUMBERS.get(name) for name in companion} == companion, \
        "extension/shared/limits.js no longer matches companion.server.Limits"


def test_a_shortened_text_fits_the_text_limit():
    # UTF-16 units are never fewer than the code points the companion counts.
    shortened = NUMBERS["TEXT_HEAD_CHARS"] + utf16_units(CUT_MARK) + NUMBERS["TEXT_TAIL_CHARS"]
    assert shortened <= Limits().max_text_chars
    assert NUMBERS["TEXT_TAIL_CHARS"] > 0 and NUMBERS["TEXT_HEAD_CHARS"] > 0


def test_a_request_never_carries_more_posts_than_the_companion_takes():
    assert 0 < NUMBERS["POSTS_PER_REQUEST"] <= Limits().max_posts
