"""Turn a post into the text the model reads.

The MiniLM vocabulary maps every emoji to [UNK] and splits a short link into a dozen word
pieces, yet both carry much of the signal for our labels. So, before tokenizing (in training
and at serving time alike):

- each link becomes its domain and the kind of link it is ("amzn.to shortener link");
- each emoji becomes its English name in parentheses ("(red heart)").
"""
from __future__ import annotations

import re

import emoji

from companion.links import find_links

_SPACE = re.compile(r"\s+")
_KIND_WORDS = {"affiliate": "affiliate link", "shortener": "shortener link", "shop": "shop link", "link": "link"}


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
    text = emoji.replace_emoji("".join(pieces), replace=_emoji_name)
    return _SPACE.sub(" ", text).strip()
