"""Every rule runs in time linear in the text: posts built to make a pattern backtrack (its own
separators and trigger words repeated, nested punctuation, runs of one character) are read
about as fast as a plain post of the same length.

Rules time is what the companion spends in the rules for one post: for /v1/classify the
reading, the model's input made from it and the evidence; for /v1/check the draft check.
Times are CPU time of this thread (`time.thread_time`), so a machine busy with other work
stretches them far less than wall time. They are relative: each adversarial text is timed
right after a plain post of the same length, in the same run. Bounds, per path:
- an adversarial text costs at most RELATIVE_BOUND times a plain post of its length;
- from 2,000 to 20,000 characters the time grows at most GROWTH_BOUND times (10 times the
  length: linear is 10, quadratic would be 100);
- at 20,000 characters, at most ABSOLUTE_MS * CI_MARGIN, where a slower machine (or one busy
  with other work) gets the bound scaled by how much slower it reads the plain post than
  PLAIN_MS, the plain post's time on the project's 2-core machine when idle. The issue's
  target is 50 ms there (scripts/bench/rules.py measures it: the worst family takes 2-4 times
  the plain post); CI_MARGIN (3) absorbs the noise of a shared machine. Before the rules were
  made linear, reading "b." * 10000 took 7.8 s, 50 times this bound.
A shared machine stalls now and then: a text over a bound is measured again (best of up to
RETRIES runs), which a real quadratic pattern fails every time. The pattern-by-pattern and
generated texts are 8,000 characters long, to keep the module under about 20 s.
"""
from __future__ import annotations

import importlib.util
import re
import time
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from companion.rules import draftcheck, links, patterns, reading, textprep
from companion.rules.draftcheck import check_draft
from companion.rules.evidence import evidence_for_labels
from companion.rules.reading import analyze
from companion.rules.textprep import model_input

REPO = Path(__file__).resolve().parent.parent
SIZE = 20_000
SMALL = 2_000
MEDIUM = 8_000
PLAIN_MS = {"classify": 25.0, "check": 25.0}  # 20,000 characters, idle 2-core machine
RETRIES = 3
RELATIVE_BOUND = 8.0
GROWTH_BOUND = 40.0  # 10x the length: linear work grows ~10x, quadratic 100x; 40 leaves room for a busy machine
ABSOLUTE_MS = 50.0
CI_MARGIN = 3.0


def _bench_module():
    spec = importlib.util.spec_from_file_location("bench_rules", REPO / "scripts" / "bench" / "rules.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


BENCH = _bench_module()


def classify_rules(text: str) -> None:
    r = analyze(text)
    model_input(text, r)
    evidence_for_labels(text, offsets="utf16", reading=r)


PATHS = {"classify": classify_rules, "check": lambda text: check_draft(text, offsets="utf16")}


def rules_ms(text: str, repeats: int = 1) -> dict[str, float]:
    """ms per path, best of `repeats`."""
    best = {name: float("inf") for name in PATHS}
    for _ in range(repeats):
        for name, run in PATHS.items():
            begin = time.thread_time()
            run(text)
            best[name] = min(best[name], (time.thread_time() - begin) * 1000)
    return best


def over_bounds(unit, size: int = SIZE, growth: bool = False) -> list[str]:
    """What an adversarial text breaks, measured again while it breaks something."""
    for attempt in range(RETRIES):
        repeats = attempt + 1
        plain = rules_ms(BENCH.build(BENCH.PLAIN, size), repeats)
        big = rules_ms(BENCH.build(unit, size), repeats)
        little = rules_ms(BENCH.build(unit, SMALL), repeats) if growth else None
        broken = []
        for name, ms in big.items():
            if ms > RELATIVE_BOUND * plain[name]:
                broken.append(f"{name}: {ms:.1f} ms at {size} chars, plain post {plain[name]:.1f} ms")
            slower = max(1.0, plain[name] / (PLAIN_MS[name] * size / SIZE))
            if ms > ABSOLUTE_MS * size / SIZE * CI_MARGIN * slower:
                broken.append(f"{name}: {ms:.1f} ms at {size} chars (this machine {slower:.1f} times slower)")
            if little and ms > GROWTH_BOUND * max(little[name], 0.5):
                broken.append(f"{name}: {little[name]:.1f} ms at {SMALL}, {ms:.1f} ms at {size}")
        if not broken:
            return []
    return broken


@pytest.mark.parametrize("name", list(BENCH.FAMILIES))
def test_adversarial_family_is_linear(name):
    assert over_bounds(BENCH.FAMILIES[name], growth=True) == [], name


def _pattern_sources() -> list[str]:
    """The source of every compiled pattern in the rules' modules."""
    found = []
    for module in (patterns, links, reading, draftcheck, textprep):
        for value in vars(module).values():
            items = value if isinstance(value, (tuple, list)) else (value,)
            for item in items:
                regex = getattr(item, "regex", item)
                if isinstance(regex, re.Pattern):
                    found.append(regex.pattern)
    return found


SEPARATORS = ".-/@#:|()[]*&'’“”\"!?…,;_ \n\t%"


def test_every_pattern_on_its_own_separators():
    """For each pattern, each of its punctuation marks glued to a letter and repeated
    ("a.a.a.", "a@a@", ...), and the marks it uses all together, nested ("([{" ...)."""
    sources = _pattern_sources()
    assert len(sources) > 40  # the rules' patterns were all found
    units = set()
    for source in sources:
        marks = sorted({c for c in source if c in SEPARATORS})
        units.update(f"a{m}" for m in marks)
        units.add("".join(marks) or "a")
    broken = {unit: over_bounds(unit, MEDIUM) for unit in sorted(units)}
    assert {unit: why for unit, why in broken.items() if why} == {}


# Pieces of the rules' own vocabulary: separators, link parts, trigger and disclosure words.
PIECES = ["b.", "@", "#", "http://", "www.", ". ", "a-", "([{", "a", " ", "\n", "code ", "#ad ", "ad: ",
          ".com/", "..", "amzn.to/", "?ref=", "tag ", "friends", "I work at ", "gifted by ", "@x.y",
          "Werbung ", "x#", "(affiliate)", "\U0001F525", "Ä", "1", "!!", "…", "’", "sponsored ", "like4like"]


@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.sampled_from(PIECES), min_size=1, max_size=4))
def test_any_repeated_mix_of_rule_pieces_is_linear(pieces):
    unit = "".join(pieces)
    assert over_bounds(unit, MEDIUM) == [], repr(unit)


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from(PIECES + ["https://", "?tag=", "#", "/"]), max_size=12))
def test_any_mix_of_rule_pieces_is_read_without_error(pieces):
    """Short texts of the same pieces: every path answers (an error here is a 500 for a post)."""
    text = "".join(pieces)
    for run in PATHS.values():
        run(text)
    check_draft(text, labels={"self_promotion": {"score": 0.9, "flag": True}})


# The single regex the link finder replaced: right on short texts, quadratic on long runs.
OLD_LINK = re.compile(
    r"(?:https?://|www\.)[^\s<>\"'”“]+"
    r"|\b(?:[a-z0-9-]+\.)+(?:com|net|org|io|co|me|ly|to|gl|it|tv|shop|store|app|pub|link|page|us|uk|de)"
    r"/[^\s<>\"'”“]*", re.IGNORECASE)
LINK_PIECES = list("ab.-/ :_\"'éKſ1") + ["www.", "http://", "https://", ".com/", ".co", ".uk/", "..", "amzn.to/",
                                          "\n", "Ω", "#"]


@settings(max_examples=1000, deadline=None)
@given(st.lists(st.sampled_from(LINK_PIECES), max_size=16))
def test_links_are_found_where_the_single_regex_found_them(pieces):
    text = "".join(pieces)
    assert list(links._spans(text)) == [m.span() for m in OLD_LINK.finditer(text)]


def _hashtag_at_by_scan(text: str, start: int) -> bool:
    """hashtag_at as it was before the runs were found once per text: a scan back from `start`."""
    if start == 0 or not (text[start - 1].isalnum() or text[start - 1] == "_"):
        return True
    lo = max(0, start - 80)
    before = re.compile(r".*[^\w#]", re.DOTALL).match(text, lo, start)
    return text[before.end() if before else lo] == "#"


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.sampled_from(["#", "a", "é", "_", "1", " ", "\n", ".", "x" * 90, "#ad", "😀"]),
                max_size=60).map("".join))
def test_hashtag_runs_found_once_answer_as_the_scan_did(text):
    for start in (i for i, c in enumerate(text) if c == "#"):
        assert reading.hashtag_at(text, start) == _hashtag_at_by_scan(text, start), (text, start)
