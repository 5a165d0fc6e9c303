"""Check a draft before it is posted, the way a grammar checker would.

Interfaces (the server's `POST /v1/check` and `campfire check` use these):

- `check_draft(text, labels=None, offsets="python") -> list[dict]`: LanguageTool-style
  matches ``{"rule", "message", "offset", "length", "severity", "replacements": [{"value"}]}``
  sorted by offset. `labels` is the model's output for the text (``{name: {"score", "flag"}}``)
  or None; only SELF_PROMOTION_NOTE reads it, every other rule works from the evidence in
  `companion.rules.reading`. ``offsets="utf16"`` counts offset and length in UTF-16 code units, as
  JavaScript strings do (an emoji is two); the default counts Python str indices.
- `check_payload(text, labels, model, offsets="utf16") -> dict`: the `/v1/check` answer body
  ``{"model", "labels", "matches"}``; UTF-16 by default because the consumers are JavaScript.

Applying a match: replace ``text[offset:offset + length]`` with ``replacements[0]["value"]``.
For any one rule, its matches never overlap, and applying all of them (from the last to the
first, so earlier offsets stay valid) gives a text on which that rule no longer fires.

Rules (severity):
- UNDISCLOSED_TIE (error): a tie (affiliate or referral link, code, gift, partnership) that no
  clear disclosure covers, and that sharpening a weak tag or moving a buried disclosure would
  not cover either. The match is the draft's first word, and the replacement puts "#ad "
  before it. When the draft already marks some links "(affiliate)" and only other links are
  unmarked, each unmarked link is a match instead, and the replacement adds " (affiliate)".
- WEAK_DISCLOSURE (warning): #sp, #spon, #collab, #partner, #ambassador used as the only
  disclosure; the replacement is "#ad".
- BURIED_DISCLOSURE (warning): a disclosure after a long run of hashtags, or below the first
  lines of a long post. Moving text is one replacement: the match runs from the draft's first
  word to the end of the (last) buried disclosure, and the replacement is that same stretch
  with the disclosure taken out of its place and put first. The extension applies it with
  one click like any other match.
- ENGAGEMENT_BAIT (warning): "tag 3 friends", "follow for follow", "like if you agree",
  "sub4sub"...; the match is the bait and the rest of its sentence, and the replacement
  removes it ("").
- MODEL_ENDORSEMENT (warning): the decided missing_disclosure label is flagged (`labels`, as
  `companion.decision` gives it) but none of the rules above found anything to fix: the model
  reads an endorsement the rules see no tie in. The match is the draft's first word and the
  replacement puts "#ad " before it; a clear disclosure at the start covering the whole post
  clears the flag (`companion.decision.disclosed`), so the draft box never shows a flagged label
  above "No problems found".
- SELF_PROMOTION_NOTE (info): the model says self_promotion and not conversational; the match
  is the first line, with no replacement: the message suggests adding context or a question.
"""
from __future__ import annotations

import re
from bisect import bisect_left
from itertools import accumulate

from companion.rules.offsets import converter
from companion.rules.patterns import LINK_TIES
from companion.rules.reading import Disclosure, Reading, analyze, hashtag_at

ERROR, WARNING, INFO = "error", "warning", "info"
RULES = {
    "UNDISCLOSED_TIE": "a commercial tie with no clear disclosure",
    "WEAK_DISCLOSURE": "a disclosure readers may not understand (#sp, #collab, ...)",
    "BURIED_DISCLOSURE": "a disclosure readers may not see (after many hashtags, or far down)",
    "ENGAGEMENT_BAIT": "asks for likes, tags or follows instead of a reply",
    "MODEL_ENDORSEMENT": "reads as an endorsement of a brand, with no disclosure",
    "SELF_PROMOTION_NOTE": "a broadcast about your own work with nothing to reply to",
}
# The rules that tell the writer how to disclose; MODEL_ENDORSEMENT speaks only when none does.
DISCLOSURE_RULES = frozenset({"UNDISCLOSED_TIE", "WEAK_DISCLOSURE", "BURIED_DISCLOSURE"})
CLEAR_TAG = "#ad"
MOVE_ROUNDS = 4
LOCAL_MARKER = " (affiliate)"
# What a moved marker becomes at the top of the post, where "(affiliate)" would mark nothing.
FRONT_TEXT = {"ad": "#ad", "affiliate": "Affiliate links: I earn a commission.", "gift": "#gifted"}

_BAIT = re.compile(
    r"\btag\s{1,3}(?:(?:\d{1,2}|a|an|one|two|three|four|five|your|ur|some|all\s{1,3}your)\s{1,3})?"
    r"(?:(?:best|bestest|close)\s{1,3})?(?:friends?|besties?|buddies|mates|people|someone|somebody|bff|squad)\b"
    r"|\bfollow\s{0,2}(?:4|for)\s{0,2}follow\b|\bf4f\b"
    r"|\bfollow\s{1,3}(?:me\s{1,3})?(?:and|&)\s{1,3}i[’']?(?:ll|\s{1,3}will)\s{1,3}follow\s{1,3}(?:you\s{1,3})?back\b"
    r"|\blike\s{0,2}(?:4|for)\s{0,2}like\b|\bl4l\b|\bsub\s{0,2}(?:4|for)\s{0,2}sub\b|\bs4s\b"
    r"|\bsubscribe\s{1,3}for\s{1,3}subscribe\b|\bshare\s{0,2}(?:4|for)\s{0,2}share\b"
    r"|\b(?:like|share|retweet|rt|repost|reblog|heart)\s{1,3}(?:this\s{1,3})?if\s{1,3}(?:you\s{1,3})?"
    r"(?:agree|love|want|think|remember|like|support|care|believe|are|were|do|did|have|can)\b"
    r"|\bdouble[\s-]{1,2}tap\s{1,3}if\b|\bsmash\s{1,3}(?:that|the)\s{1,3}like\b"
    r"|\b(?:type|comment)\s{1,3}[\"'“‘]?\w{1,15}[\"'”’]?\s{1,3}(?:below\s{1,3})?(?:if|for|to\s{1,3}get)\b"
    r"|(?<![&#/])#(?:follow4follow|followforfollow|f4f|like4like|likeforlike|likeforlikes|likes4likes|l4l|"
    r"sub4sub|subforsub|s4s|tagafriend|tagyourfriends|tag3friends|followback|follow4followback)(?![\w-])",
    re.IGNORECASE)
# "I'd like this if you can" is a request, not bait.
_NOT_BAIT_BEFORE = frozenset({"i", "i'd", "i’d", "id", "i'll", "i’ll", "we", "we'll", "we’ll", "you", "they",
                              "would", "could", "should", "can", "may", "don't", "dont", "didn't", "doesn't",
                              "might", "to", "will", "also", "not", "never"})
_CLAUSE_REST = re.compile(r"[^.!?…\n#@]{0,120}")
_TERMINATORS = re.compile(r"[.!?…]+")
_ATTACHED_TAGS = re.compile(r"(?:#\w{1,60}){0,10}")


def _match(rule: str, message: str, start: int, end: int, severity: str, values: list[str]) -> dict:
    return {"rule": rule, "message": message, "offset": start, "length": end - start,
            "severity": severity, "replacements": [{"value": v} for v in values]}


def _first_word(text: str) -> tuple[int, int]:
    m = re.search(r"\S+", text)
    return (m.start(), m.end()) if m else (0, 0)


def _listing(items: list[str], most: int = 3) -> str:
    shown = "; ".join(items[:most])
    return shown + (f"; and {len(items) - most} more" if len(items) > most else "")


def undisclosed_tie(a: Reading) -> list[dict]:
    ties = a.unfixable_ties()
    if not ties:
        return []
    if a.owners and all(t.kind in LINK_TIES for t in ties):
        message = ("This link is not marked like your other ones: readers can't tell you earn from it. "
                   "Mark it “(affiliate)”.")
        return [_match("UNDISCLOSED_TIE", message, t.start, t.end, ERROR, [t.text + LOCAL_MARKER]) for t in ties]
    start, end = _first_word(a.text)
    thanks = a.weak_thanks()
    aside = f" Thanking {thanks[0].text.split()[-1]} does not say it was paid or gifted." if thanks else ""
    message = (f"Readers can't tell you gain from this post ({_listing([t.detail for t in ties])}).{aside} "
               f"Start with a clear disclosure such as {CLEAR_TAG}.")
    return [_match("UNDISCLOSED_TIE", message, start, end, ERROR, [f"{CLEAR_TAG} {a.text[start:end]}"])]


def weak_disclosure(a: Reading) -> list[dict]:
    return [_match("WEAK_DISCLOSURE", f"“{d.text}” does not tell readers this is paid. "
                   f"Use a clear word such as {CLEAR_TAG}.", d.start, d.end, WARNING, [CLEAR_TAG])
            for d in a.weak_tags()]


def _front_text(d: Disclosure) -> str:
    if d.marker:
        return FRONT_TEXT[d.category]
    # A lone "Ad" counts only where nothing follows it on its line.
    return "Ad:" if d.text.strip().lower() in ("ad", "advert") else d.text


def _moved(text: str, start: int, movers: list[Disclosure]) -> tuple[int, str]:
    """(end, replacement): text[start:end] with the movers taken out and put first."""
    end = max(d.end for d in movers)
    pieces, last = [], start
    for d in sorted(movers, key=lambda d: d.start):
        cut = len(text[last:d.start].rstrip())
        pieces.append(text[last:last + cut])
        last = d.end
    pieces.append(text[last:end])
    # One disclosure of each kind first: a long stack must not push a kind below the fold.
    seen, firsts, rest = set(), [], []
    for d in movers:
        (rest if d.category in seen else firsts).append(_front_text(d))
        seen.add(d.category)
    front = list(dict.fromkeys(firsts + rest))
    return end, " ".join(front) + " " + "".join(pieces).lstrip()


def buried_disclosure(a: Reading) -> list[dict]:
    buried = a.buried()
    if not buried:
        return []
    start, _ = _first_word(a.text)
    end, value = _moved(a.text, start, buried)
    # Moving text can bury or expose another disclosure (one pushed below the fold, a word that
    # now opens its line): move those up too, and say it all as one replacement of the original.
    for _ in range(MOVE_ROUNDS):
        fixed = a.text[:start] + value + a.text[end:]
        again = analyze(fixed).buried()
        if not again:
            break
        fixed_end, fixed_value = _moved(fixed, start, again)
        value_end = start + len(value)
        if fixed_end <= value_end:
            value = fixed_value + fixed[fixed_end:value_end]
        else:
            end += fixed_end - value_end
            value = fixed_value
    first = buried[0]
    why = a.buried_why[a.disclosures.index(first)]
    message = (f"“{first.text}” comes {why}, where readers miss it. "
               f"Put the disclosure at the start of the post.")
    return [_match("BURIED_DISCLOSURE", message, start, end, WARNING, [value])]


def _is_request(text: str, start: int) -> bool:
    lo = max(0, start - 16)
    words = text[max(text.rfind("\n", lo, start) + 1, lo):start].split()
    return bool(words) and words[-1].lower().strip(",") in _NOT_BAIT_BEFORE


def _skip_back(text: str, start: int, chars: str) -> int:
    """`start` moved back over any of `chars` (len(text[:start].rstrip(chars)) without the copy)."""
    while start > 0 and text[start - 1] in chars:
        start -= 1
    return start


def _skip_ahead(text: str, end: int, chars: str) -> int:
    while end < len(text) and text[end] in chars:
        end += 1
    return end


def _sentence_start(text: str, start: int) -> bool:
    before = _skip_back(text, start, " \t")
    return before == 0 or text[before - 1] in ".!?…\n"


def _bait_span(text: str, m: re.Match, protected: _Spans) -> tuple[int, int]:
    """The bait and the rest of its clause, with the spacing around it, unless that would take
    a link, tie or disclosure with it. A sentence that is all bait goes with its full stop; bait
    tacked onto a sentence leaves the sentence's own ending."""
    start, end = m.start(), m.end()
    if m.group(0).startswith("#"):
        if text[end:end + 1] == "#":
            return start, end  # "#f4f#ad": the next tag of the chain takes this one's place
    else:
        end = _clause_end(text, end, _sentence_start(text, start), protected)
        # "...follow you back#like4like" is one word; cut it whole, or its tail becomes a hashtag.
        if text[end:end + 1] == "#" and text[end - 1].isalnum():
            end = _ATTACHED_TAGS.match(text, end).end()
    after = _skip_ahead(text, end, " \t")
    if _sentence_start(text, start) and text[after:after + 1] not in ("", "\n"):
        end = after
    else:
        start = _skip_back(text, start, " \t,;:–—-")
    return start, end


def _clause_end(text: str, end: int, whole: bool, protected: _Spans) -> int:
    at = _CLAUSE_REST.match(text, end).end()
    stop = text[at:at + 1]
    if stop and stop not in ".!?…\n#@":
        return end  # the clause runs on past what we read: take the bait alone
    rest = end + len(text[end:at].rstrip())
    if whole and stop in (".", "!", "?", "…"):
        rest = _TERMINATORS.match(text, at).end()  # "tag your friends !": the space goes too
    return end if protected.overlaps(end, rest) else rest


class _Spans:
    """Spans (start, end), possibly overlapping, that bait must not take with it."""

    def __init__(self, spans: list[tuple[int, int]]):
        spans = sorted(spans)
        self.starts = [s for s, _ in spans]
        self.reach = list(accumulate((e for _, e in spans), max))  # the furthest end so far

    def overlaps(self, start: int, end: int) -> bool:
        """Does any span have s < end and start < e?"""
        i = bisect_left(self.starts, end)
        return i > 0 and self.reach[i - 1] > start


def engagement_bait(a: Reading) -> list[dict]:
    text = a.text
    protected = _Spans([(t.start, t.end) for t in a.ties] + [(d.start, d.end) for d in a.disclosures])
    spans = []
    for m in _BAIT.finditer(text):
        # A tag is bait whatever precedes it ("if you #like4like"); only words can be a request.
        tag = m.group(0).startswith("#")
        if (not tag and _is_request(text, m.start())) or (tag and not hashtag_at(text, m.start())):
            continue
        start, end = _bait_span(text, m, protected)
        if spans and start < spans[-1][1]:
            spans[-1] = (spans[-1][0], max(end, spans[-1][1]), spans[-1][2])
        else:
            spans.append((start, end, m.group(0)))
    return [_match("ENGAGEMENT_BAIT", f"“{bait}” is engagement bait: platforms demote it and readers "
                   "scroll past. Ask a real question instead.", start, end, WARNING, [""])
            for start, end, bait in spans]


def _flag(labels: dict, name: str) -> bool:
    entry = labels.get(name)
    return bool(entry.get("flag")) if isinstance(entry, dict) else False


def self_promotion_note(text: str, labels: dict | None) -> list[dict]:
    if labels is None or not _flag(labels, "self_promotion") or _flag(labels, "conversational"):
        return []
    line = re.search(r"\S[^\n]*", text)
    if not line:
        return []
    end = line.start() + len(line.group(0).rstrip())
    message = ("This reads as an announcement about your own work. Say why it matters to you, or ask "
               "readers something you want to know (“What would you use it for?”): posts people can "
               "answer get replies, not just scrolls.")
    return [_match("SELF_PROMOTION_NOTE", message, line.start(), end, INFO, [])]


def model_endorsement(text: str, labels: dict | None, found: list[dict]) -> list[dict]:
    if labels is None or not _flag(labels, "missing_disclosure") or any(m["rule"] in DISCLOSURE_RULES for m in found):
        return []
    start, end = _first_word(text)
    if start == end:
        return []
    message = ("Reads as an endorsement, but names no disclosure: if you have a tie to a brand (paid, gifted, "
               f"affiliate, employer), say so at the start, for example with {CLEAR_TAG}.")
    return [_match("MODEL_ENDORSEMENT", message, start, end, WARNING, [f"{CLEAR_TAG} {text[start:end]}"])]


def check_draft(text: str, labels: dict | None = None, offsets: str = "python") -> list[dict]:
    if labels is not None and not isinstance(labels, dict):
        raise TypeError(f"labels must be a dict or None, not {type(labels).__name__}")
    to = converter(text, offsets)
    a = analyze(text)
    matches = undisclosed_tie(a) + weak_disclosure(a) + buried_disclosure(a)
    matches += model_endorsement(text, labels, matches) + engagement_bait(a) + self_promotion_note(text, labels)
    for m in matches:
        start, end = to(m["offset"]), to(m["offset"] + m["length"])
        m["offset"], m["length"] = start, end - start
    return sorted(matches, key=lambda m: (m["offset"], m["length"], m["rule"]))


def check_payload(text: str, labels: dict | None, model: dict | None, offsets: str = "utf16") -> dict:
    return {"model": model, "labels": labels, "matches": check_draft(text, labels, offsets)}
