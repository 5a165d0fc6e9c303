"""Find links in post text and say what kind of link each one is.

Both the model's input (textprep) and the disclosure evidence finder read links through
this module, so a link means the same thing to both. The kinds:

- ``affiliate``: the URL itself carries an affiliate or referral marker (an affiliate
  network's domain, or a parameter such as ``tag=`` on a shop, ``ref=``, ``aff_id=``);
- ``shortener``: a link shortener that hides where it goes (bit.ly, amzn.to, ...), the form
  most undisclosed affiliate links take;
- ``shop``: a marketplace or shop link with no affiliate marker;
- ``link``: anything else.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from urllib.parse import parse_qsl, urlsplit

# Affiliate networks and affiliate-only redirectors (from Mathur et al.'s list of affiliate
# programmes and the domains that LABELS.md names).
AFFILIATE_DOMAINS = frozenset({
    "rstyle.me", "shopstyle.com", "shopstyle.it", "go.magik.ly", "liketk.it", "shopltk.com",
    "shareasale.com", "awin1.com", "zenaps.com", "anrdoezrs.net", "dpbolvw.net", "jdoqocy.com",
    "kqzyfj.com", "tkqlhce.com", "qksrv.net", "emjcd.com", "click.linksynergy.com",
    "linksynergy.com", "avantlink.com", "hop.clickbank.net", "clickbank.net", "admitad.com",
    "s.click.aliexpress.com", "ali.pub", "alii.pub", "fave.co", "skimresources.com",
    "go.skimresources.com", "redirect.viglink.com", "viglink.com", "prf.hn", "pntra.com",
    "pjtra.com", "pjatr.com", "gopjn.com", "bnc.lt", "impactradius.com", "ojrq.net", "sjv.io",
    "evyy.net", "7eer.net", "affiliaxe.com", "refersion.com", "howl.me", "amzlink.to",
})
SHORTENER_DOMAINS = frozenset({
    "bit.ly", "amzn.to", "amzn.com", "a.co", "goo.gl", "tinyurl.com", "ow.ly", "t.co", "buff.ly",
    "is.gd", "tiny.cc", "shorturl.at", "rebrand.ly", "cutt.ly", "adf.ly", "sh.st", "bc.vc",
    "ouo.io", "linktr.ee", "lnk.to", "smarturl.it", "geni.us", "po.st", "j.mp", "fb.me",
    "youtu.be", "wp.me", "trib.al", "dlvr.it", "ift.tt", "mavely.app", "shrsl.com",
})
SHOP_DOMAINS = frozenset({
    "amazon.com", "amazon.co.uk", "amazon.de", "amazon.fr", "amazon.it", "amazon.es", "amazon.ca",
    "amazon.in", "amazon.com.au", "ebay.com", "etsy.com", "aliexpress.com", "walmart.com",
    "target.com", "bestbuy.com", "sephora.com", "ulta.com", "nordstrom.com", "asos.com",
    "banggood.com", "gearbest.com", "wish.com", "shopify.com", "myshopify.com", "depop.com",
    "poshmark.com", "bhphotovideo.com", "newegg.com", "booking.com", "itunes.apple.com",
})
# Query parameters that pay someone for the click: "tag=" on Amazon, ref/aff/affiliate ids.
AFFILIATE_PARAMS = frozenset({
    "tag", "ref", "ref_id", "refid", "referral", "referrer", "aff", "aff_id", "affid", "affiliate",
    "affiliate_id", "affiliateid", "aff_sub", "afftrack", "a_aid", "awinaffid", "irclickid",
    "clickid", "partner", "partner_id", "pid", "af", "at", "afid", "aid", "associate", "rfsn",
    "sscid", "ranmid", "raneaid", "ranSiteID".lower(), "wt.mc_id", "coupon", "code", "discount",
    "invite", "invite_code", "promo",
})

# A link: a scheme or "www." and everything up to the next space or quote, or a bare domain
# with one of these endings followed by "/" ("amzn.to/x"). Read in one pass over the text
# (`find_links`); a single regex for the bare form retried the whole run of "b.b.b..." from
# every position, which took seconds on a 20,000-character post.
_SCHEMED = re.compile(r"(?:https?://|www\.)[^\s<>\"'”“]+", re.IGNORECASE)
_TLDS = "com|net|org|io|co|me|ly|to|gl|it|tv|shop|store|app|pub|link|page|us|uk|de"
_HOST_RUN = re.compile(r"[a-z0-9.-]+", re.IGNORECASE)  # what a bare domain is made of
_BARE_TLD = re.compile(rf"\.(?:{_TLDS})", re.IGNORECASE)  # the run must end in one of these
# The host from its start (searched from past the last "..", so every try is short), then the path.
_BARE_HOST = re.compile(rf"\b(?:[a-z0-9-]++\.)++(?:{_TLDS})/", re.IGNORECASE)
_PATH = re.compile(r"[^\s<>\"'”“]*")
_TRAILING = ".,;:!?)]}'\"…"
# The longest domain in the lists below has four labels ("s.click.aliexpress.com").
_MOST_LABELS = 4


@dataclass(frozen=True)
class Link:
    url: str
    start: int
    end: int
    domain: str
    kind: str


def _domain(url: str) -> str:
    if not re.match(r"^[a-z][a-z0-9+.-]*://", url, re.IGNORECASE):
        url = "http://" + url
    host = (urlsplit(url).hostname or "").lower()
    return host[4:] if host.startswith("www.") else host


def _matches(domain: str, domains: frozenset[str]) -> bool:
    """Is the domain, or a parent of it, in the list? (shop.rstyle.me is under rstyle.me)"""
    parts = domain.rsplit(".", _MOST_LABELS)[-_MOST_LABELS:]
    return any(".".join(parts[i:]) in domains for i in range(len(parts) - 1))


def link_kind(url: str) -> str:
    domain = _domain(url)
    if _matches(domain, AFFILIATE_DOMAINS):
        return "affiliate"
    query = urlsplit(url if "://" in url else "http://" + url).query
    params = {key.lower() for key, _ in parse_qsl(query, keep_blank_values=True)}
    if params & AFFILIATE_PARAMS or re.search(r"/ref=|[?&/](?:aff|affiliate)[=_/]", url, re.IGNORECASE):
        return "affiliate"
    if _matches(domain, SHORTENER_DOMAINS):
        return "shortener"
    if _matches(domain, SHOP_DOMAINS):
        return "shop"
    return "link"


def _bare_links(text: str):
    """(start, end) of each bare-domain link, in order: the runs of host characters that end in
    ".com/" (or another ending), each from its first position where a host can start."""
    last = 0
    for run in _HOST_RUN.finditer(text):
        end = run.end()
        if run.start() < last or text[end:end + 1] != "/":  # inside the last link: never a link's start
            continue
        dot = text.rfind(".", run.start(), end)
        if dot <= run.start() or not _BARE_TLD.fullmatch(text, dot, end):
            continue
        # A host is labels "x." without an empty one: it starts past the last "..".
        double = text.rfind("..", run.start(), dot + 1)
        host = _BARE_HOST.search(text, run.start() if double < 0 else double + 2, end + 1)
        if host:
            last = _PATH.match(text, end + 1).end()
            yield host.start(), last


def _spans(text: str):
    """Every link's (start, end) before trailing punctuation is cut, leftmost first, a link with
    a scheme or "www." first where both start at one place: the spans of one regex made of both
    forms, in its order."""
    schemed, bare = _SCHEMED.finditer(text), _bare_links(text)
    s, b = next(schemed, None), next(bare, None)
    while s is not None or b is not None:
        if b is None or (s is not None and s.start() <= b[0]):
            span = s.span()
        else:
            span = b
        yield span
        while s is not None and s.start() < span[1]:
            s = next(schemed, None)
        while b is not None and b[0] < span[1]:
            b = next(bare, None)


def find_links(text: str) -> list[Link]:
    links = []
    for start, end in _spans(text):
        url = text[start:end].rstrip(_TRAILING)
        if not url:
            continue
        links.append(Link(url, start, start + len(url), _domain(url), link_kind(url)))
    return links
