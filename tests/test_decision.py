"""The one decision for missing_disclosure (companion/decision.py), and the issue's examples on
every surface that is not a browser: /v1/classify and /v1/check of a real `campfire serve`,
`campfire label --text` and `campfire check`. (The popup's draft box: tests/browser/test_popup_draft.py.)"""
from __future__ import annotations

import json
import subprocess

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from companion.decision import CLEARED_SHARE, RULES, decide, disclosed, own_sale
from companion.rules.reading import analyze
from companion_harness import campfire_command

THRESHOLDS = {"self_promotion": 0.42, "missing_disclosure": 0.23, "conversational": 0.59}
PITCH = "Loving this moisturiser from @dewdrop! Use code SAM10 for 10% off"
# Issue 10: the first two disclose clearly and must not be flagged; the bare pitch must be.
DISCLOSED = ("#ad " + PITCH, "Ad: I partnered with @dewdrop on this moisturiser. Use code SAM10 for 10% off")
# LABELS.md: own products need no disclosure, even with a code (the model alone flags this one).
OWN_SHOP = "My new soy candle shop is open! Use code WAX10 for 10% off your first order https://wickandwax.shop"
EXAMPLES = [(text, False) for text in DISCLOSED] + [(PITCH, True), (OWN_SHOP, False)]
LONG = "I tested this serum for six weeks on dry, sensitive skin. " * 8


def model(score: float, own: bool = False) -> dict:
    """What the classifier says for a post: a missing_disclosure score, the rest fixed."""
    return {"self_promotion": {"score": 0.9 if own else 0.1, "flag": own},
            "missing_disclosure": {"score": score, "flag": score >= THRESHOLDS["missing_disclosure"]},
            "conversational": {"score": 0.2, "flag": False}}


@pytest.mark.parametrize("text", [
    *DISCLOSED,
    PITCH + " #ad",
    "Sponsored: " + PITCH,
    "Loving this moisturiser from @dewdrop! Get it here: https://amzn.to/3xYz (affiliate)",
    "Affiliate link, I earn a commission: https://amzn.to/3xYz Loving this moisturiser from @dewdrop!",
    # Below the first lines of a long post is still a clear disclosure (LABELS.md names only the
    # pile of hashtags); the draft checker advises moving it up.
    LONG + "\nGet it here https://amzn.to/3xYz\nAffiliate links: I earn a small commission.",
    # A marker that names the links heads the list it speaks for (LABELS.md: "Note: affiliate link").
    "Affiliate links:\nCamera: https://amzn.to/3abc\nLens: https://amzn.to/3def",
    "Gear I use (affiliate links):\nCamera: https://amzn.to/3abc\nLens: https://amzn.to/3def",
    # Standard statements of public guidance (docs/DISCLOSURE_SOURCES.md).
    "Camera: https://amzn.to/3abc\nAs an Amazon Associate I earn from qualifying purchases.",
    "Camera: https://amzn.to/3abc\nI get commissions for purchases made through links in this post.",
])
def test_a_clear_disclosure_that_covers_every_tie_clears_the_flag(text):
    result = decide(model(0.89), analyze(text), THRESHOLDS)["missing_disclosure"]
    assert result == {"score": THRESHOLDS["missing_disclosure"] * CLEARED_SHARE, "flag": False,
                      "decided_by": RULES, "model_score": 0.89, "why": "disclosed"}


@pytest.mark.parametrize("text", [
    "#ad These running shoes from Stride changed my mornings. Get yours at stride.com",
    "Ad: the best blender I've ever owned, the Vortex 3000",
    "Sponsored by Stride. These running shoes changed my mornings",
])
def test_a_clear_disclosure_clears_the_flag_where_the_rules_find_no_tie(text):
    """LABELS.md: with a clear disclosure "the post then does NOT get this label", whatever ties the
    model may read into it; this is what makes the draft checker's MODEL_ENDORSEMENT fix work."""
    reading = analyze(text)
    assert reading.ties == []
    assert disclosed(reading)
    result = decide(model(0.89), reading, THRESHOLDS)["missing_disclosure"]
    assert (result["flag"], result["decided_by"]) == (False, RULES)


@pytest.mark.parametrize("text", [
    PITCH,
    "#sp " + PITCH,
    "#collab " + PITCH,
    "Thanks @dewdrop! Loving this moisturiser. Use code SAM10 for 10% off https://amzn.to/3xYz",
    # A marker on one link while a code goes unmarked covers only part of the post.
    PITCH + " https://amzn.to/3xYz (affiliate)",
    # A disclosure at the end of a pile of hashtags is not clear (LABELS.md).
    PITCH + " #skincare #glow #selfcare #beauty #morning #ad",
    # A lone marker that names no links, away from any tie, marks nothing.
    "Camera: https://amzn.to/3abc\nLens: https://amzn.to/3def\n(affiliate)",
    # An affiliate statement does not cover a gift.
    "@dewdrop sent me this serum! Get it https://amzn.to/3abc\nAs an Amazon Associate I earn from qualifying purchases.",
])
@pytest.mark.parametrize("score", [0.05, 0.89])
def test_weak_partial_buried_or_missing_disclosures_leave_the_model_in_charge(text, score):
    reading = analyze(text)
    assert not disclosed(reading)
    result = decide(model(score), reading, THRESHOLDS)["missing_disclosure"]
    assert result == {"score": score, "flag": score >= 0.23, "decided_by": "model", "model_score": score}


@pytest.mark.parametrize("text", [
    "My new soy candle shop is open! Use code WAX10 for 10% off your first order https://wickandwax.shop",
    "Our handmade mugs are back in stock, 20% off this weekend with code CLAY20",
])
def test_a_code_for_the_authors_own_product_needs_no_disclosure(text):
    """LABELS.md: "Own products need no disclosure". The model reads any "use code" as a third
    party's tie; the rules see whose product it is."""
    reading = analyze(text)
    assert own_sale(reading) and not disclosed(reading)
    result = decide(model(0.89, own=True), reading, THRESHOLDS)
    assert result["missing_disclosure"] == {"score": THRESHOLDS["missing_disclosure"] * CLEARED_SHARE,
                                            "flag": False, "decided_by": RULES, "model_score": 0.89,
                                            "why": "own_product"}
    assert result["self_promotion"]["flag"], "it is still the author's own promotion"


@pytest.mark.parametrize("text", [
    # Someone else's brand beside the code, or a weak tag: not only the author's own.
    "Obsessed with @glowco! My own routine: use code GLOW20 for 20% off",
    "#collab Our handmade mugs are back in stock, 20% off with code CLAY20",
    "Use code GLOW20 for 20% off at my favourite brand's shop",
    # A sponsor's code in a channel's link list: "my channel" is the author's, the grips are not.
    "►My Twitter: https://twitter.com/gamer ►My Channel: https://youtube.com/user/gamer "
    "►►►Use code \"GAMER\" for 10% off any ControllerGrips!",
    "SUPPORT MY CHANNEL ❥ Snacks ► https://snackbox.com/gamer Use code: GAMER to save 10% off your SnackBox order!",
])
def test_an_own_code_beside_anyone_elses_sign_leaves_the_model_in_charge(text):
    reading = analyze(text)
    assert not own_sale(reading)
    assert decide(model(0.89), reading, THRESHOLDS)["missing_disclosure"]["decided_by"] == "model"


def test_the_other_labels_are_the_models():
    labels = model(0.89, own=True)
    decided = decide(labels, analyze(DISCLOSED[0]), THRESHOLDS)
    assert decided["self_promotion"] == labels["self_promotion"]
    assert decided["conversational"] == labels["conversational"]
    assert labels["missing_disclosure"] == {"score": 0.89, "flag": True}, "the model's answer is not changed in place"


TEXTS = [*DISCLOSED, PITCH, "#sp " + PITCH, "I love my Kindle", PITCH + " https://amzn.to/3xYz (affiliate)",
         "Has anyone tried a standing desk?", "#gifted @dewdrop sent me this and I love it"]


@settings(max_examples=200, deadline=None)
@given(st.sampled_from(TEXTS), st.floats(0, 1), st.booleans())
def test_the_score_shown_never_contradicts_the_flag(text, score, own):
    score = round(score, 4)
    result = decide(model(score, own), analyze(text), THRESHOLDS)["missing_disclosure"]
    assert result["flag"] == (result["score"] >= THRESHOLDS["missing_disclosure"])
    assert result["model_score"] == score
    assert result["score"] <= score


def test_the_api_gives_the_issue_examples_their_verdicts(companion_server):
    posts = [{"id": str(i), "text": text} for i, (text, _) in enumerate(EXAMPLES)]
    status, _, body = companion_server.request("POST", "/v1/classify", {"posts": posts}, companion_server.auth)
    assert status == 200, body
    for result, (text, flagged) in zip(body["results"], EXAMPLES):
        label = result["labels"]["missing_disclosure"]
        assert label["flag"] is flagged, (text, label)
        assert label["decided_by"] == ("model" if flagged else "rules")
        # The badge's evidence agrees: nothing stands behind the label of a disclosed post.
        assert bool([e for e in result["evidence"] if e["label"] == "missing_disclosure"]) is flagged
        status, _, check = companion_server.request("POST", "/v1/check", {"text": text}, companion_server.auth)
        assert status == 200, check
        assert check["labels"] == result["labels"], "/v1/check and /v1/classify disagree"
        assert any(m["rule"] == "UNDISCLOSED_TIE" for m in check["matches"]) is flagged


def verdicts(labels: dict) -> dict:
    """Flags and who decided: scores move in the last digits with the batch a post is run in."""
    return {name: (value["flag"], value.get("decided_by")) for name, value in labels.items()}


def run_cli(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([*campfire_command(), *args], capture_output=True, text=True, timeout=120)


def test_the_command_line_gives_the_issue_examples_their_verdicts(tmp_path, companion_server):
    posts = tmp_path / "posts.jsonl"
    posts.write_text("".join(json.dumps({"id": i, "text": text}) + "\n" for i, (text, _) in enumerate(EXAMPLES)))
    labelled = run_cli("label", str(posts))
    assert labelled.returncode == 0, labelled.stderr
    lines = [json.loads(line) for line in labelled.stdout.splitlines()]
    status, _, served = companion_server.request(
        "POST", "/v1/classify", {"posts": [{"id": str(i), "text": t} for i, (t, _) in enumerate(EXAMPLES)]},
        companion_server.auth)
    assert [verdicts(line["labels"]) for line in lines] == [verdicts(r["labels"]) for r in served["results"]], \
        "campfire label and /v1/classify disagree"
    for line, (text, flagged) in zip(lines, EXAMPLES):
        assert line["labels"]["missing_disclosure"]["flag"] is flagged, text
    readable = run_cli("label", "--text", DISCLOSED[0]).stdout
    assert readable.startswith("No label") and "decided by the disclosure rules" in readable, readable
    readable = run_cli("label", "--text", OWN_SHOP).stdout
    assert "decided by the disclosure rules, a code for the author's own product" in readable, readable
    one = run_cli("label", "--json", "--text", DISCLOSED[0])
    assert verdicts(json.loads(one.stdout)["labels"]) == verdicts(lines[0]["labels"])
    for text, flagged in EXAMPLES:
        checked = run_cli("check", "--json", text)
        payload = json.loads(checked.stdout)
        assert payload["labels"]["missing_disclosure"]["flag"] is flagged, text
        assert any(m["rule"] == "UNDISCLOSED_TIE" for m in payload["matches"]) is flagged, checked.stdout
        if flagged:
            assert checked.returncode == 1
