"""Turn a post into the text the model reads.

The MiniLM vocabulary maps every emoji to [UNK] and splits a short link into a dozen word
pieces, yet both carry much of the signal for our labels. So, before tokenizing (in training
and at serving time alike):

- each link becomes its domain and the kind of link it is ("amzn.to shortener link");
- each emoji becomes its English name in parentheses ("(red heart)");
- the evidence the disclosure rules find reliably (companion.rules.reading) goes in front, as
  words: "[tie: affiliate link, discount code] [disclosure: none]". The rules see links,
  codes and disclosure words exactly; the model weighs them against the rest of the post.
"""
from __future__ import annotations

import re

import emoji

from companion.rules.links import find_links
from companion.rules.reading import Reading, analyze

_SPACE = re.compile(r"\s+")
_KIND_WORDS = {"affiliate": "affiliate link", "shortener": "shortener link", "shop": "shop link", "link": "link"}
# Every emoji holds at least one of these non-ASCII characters (keycaps start with an ASCII
# digit but go on with U+20E3): a post with none of them skips the emoji library's scan.
_EMOJI_CHARS = frozenset(c for e in emoji.EMOJI_DATA for c in e if not c.isascii())


def _emoji_name(chars: str, data: dict) -> str:
    name = data["en"].strip(":").replace("_", " ")
    return f" ({name}) "


def normalize(text: str) -> str:
    pieces = []
    last = 0
    for link in find_links(text):
        pieces.append(text[last:link.start])
        pieces.append(f" {link.domain} {_KIND_WORDS[link.kind]} ")
        last = link.end
    pieces.append(text[last:])
    text = "".join(pieces)
    if not _EMOJI_CHARS.isdisjoint(text):
        text = emoji.replace_emoji(text, replace=_emoji_name)
    return _SPACE.sub(" ", text).strip()


def evidence_hint(text: str, reading: Reading | None = None) -> str:
    """The rules' reading of ties and disclosures, in words; empty when they found neither."""
    reading = reading if reading is not None else analyze(text)
    ties = sorted({tie.kind.replace("_", " ") for tie in reading.ties})
    grades = sorted(set(reading.grades))
    if not ties and not grades:
        return ""
    return f"[tie: {', '.join(ties) or 'none'}] [disclosure: {', '.join(grades) or 'none'}]"


# The model keeps ~94 head and 32 tail tokens (a few hundred characters each); tokenizing a
# 20,000-character post whole would cost ~80 ms for tokens that are thrown away. These cuts are
# far wider than any window, so the tokens kept are the same.
HEAD_CHARS = 4000
TAIL_CHARS = 1500


def model_input(text: str, reading: Reading | None = None) -> str:
    """What the model reads for a post: the evidence hint (from the whole post), then the
    normalised text, long posts cut to their head and tail first. `reading` is the post's
    analysis (companion.rules.reading.analyze) when the caller has it already."""
    hint = evidence_hint(text, reading)
    if len(text) > HEAD_CHARS + TAIL_CHARS:
        text = f"{text[:HEAD_CHARS]} {text[-TAIL_CHARS:]}"
    body = normalize(text)
    return f"{hint} {body}" if hint else body
