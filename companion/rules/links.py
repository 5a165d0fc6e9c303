"""Links in a post: where they are, and one reading of what each is, for both consumers.

`find_links(text)` finds them (in one pass: linear in the text). `classify(text, link)` says
whether a link is a commercial tie and why ("affiliate link amazon.com/… (tag=)"), from the
URL (an affiliate network, a parameter or path that pays for the click) and, for a plain
shortener, the words around it (a sale nearby, not the author's own product). The evidence
and the draft checker use it.

The model reads each link as its domain and one coarse word, `Link.kind` (``affiliate``,
``shortener``, ``shop``, ``link``), computed here from the same lists. The word is kept
exactly as the shipped model was trained on it, so it differs from the tie in a few places,
listed once below (MODEL_ONLY_PARAMS, TIE_ONLY_PARAMS, the navigation ``?ref=``):
``github.com/x?ref=readme`` reads "affiliate link" to the model while the evidence sees no tie.
Retraining with words from `classify` would remove the difference; until then, changing
either side changes the model's input (scripts/model/check_model_input.py checks it).
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from urllib.parse import parse_qsl, urlsplit

from companion.rules.patterns import COMMERCE, OWN_PRODUCT, WINDOW

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
# Query parameters that pay someone for the click.
REFERRAL_PARAMS = frozenset({"ref", "ref_id", "refid", "referral", "referral_code", "referralcode",
                             "invite", "invite_code"})
AFFILIATE_PARAMS = frozenset({"aff", "aff_id", "affid", "affiliate", "affiliate_id", "affiliateid", "aff_sub",
                              "afftrack", "a_aid", "awinaffid", "irclickid", "associate", "rfsn", "sscid",
                              "ranmid", "raneaid", "ransiteid", "afid"})
PROMO_PARAMS = frozenset({"coupon", "code", "discount", "promo", "promo_code", "coupon_code", "discount_code"})
# tag= pays the poster only on a shop (Amazon's Associates tag), at= on Apple's stores.
SHOP_ONLY_PARAMS = frozenset({"tag", "at"})
# The model's word "affiliate" was trained on a slightly different set: these click-tracking
# parameters too, and not the spelled-out code parameters.
MODEL_ONLY_PARAMS = frozenset({"referrer", "clickid", "partner", "partner_id", "pid", "af", "aid", "wt.mc_id"})
TIE_ONLY_PARAMS = frozenset({"referral_code", "referralcode", "promo_code", "coupon_code", "discount_code"})
MODEL_AFFILIATE_PARAMS = ((REFERRAL_PARAMS | AFFILIATE_PARAMS | PROMO_PARAMS | SHOP_ONLY_PARAMS) - TIE_ONLY_PARAMS
                          | MODEL_ONLY_PARAMS)
_MODEL_AFFILIATE_PATH = re.compile(r"/ref=|[?&/](?:aff|affiliate)[=_/]", re.IGNORECASE)  # on the whole URL
_AFFILIATE_PATH = re.compile(r"[?&/](?:aff|affiliate)[=_/]", re.IGNORECASE)  # on path and query
_REFERRAL_PATH = re.compile(r"/ref=|/(?:ref|refer|referrals?)/", re.IGNORECASE)

AMAZON_SHORT = frozenset({"amzn.to", "a.co", "amzn.com", "amzn.eu", "amzn.asia"})
AFFILIATE_SHORTENERS = frozenset({"geni.us", "mavely.app", "shrsl.com"})
# Wrappers the platform puts on every link (t.co) and video links: not the author's choice of link.
NEVER_A_TIE = frozenset({"youtu.be", "t.co"})
# Platforms whose ?ref= records where a click came from inside the platform, not a referrer.
REF_IS_NAVIGATION = frozenset({"facebook.com", "instagram.com", "twitter.com", "x.com", "youtube.com",
                               "linkedin.com", "reddit.com", "github.com", "medium.com", "producthunt.com",
                               "tiktok.com", "pinterest.com", "news.ycombinator.com"})
_ALL_DOMAINS = (AFFILIATE_DOMAINS | SHORTENER_DOMAINS | SHOP_DOMAINS | AMAZON_SHORT | AFFILIATE_SHORTENERS
                | NEVER_A_TIE | REF_IS_NAVIGATION)
# A domain is looked up by its parents down to this many labels ("s.click.aliexpress.com": 4).
_MOST_LABELS = max(d.count(".") + 1 for d in _ALL_DOMAINS)


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


@dataclass(frozen=True)
class Link:
    url: str
    start: int
    end: int
    domain: str
    kind: str  # the model's word: affiliate, shortener, shop, link


def _split(url: str):
    """urlsplit, with a URL it cannot read ("http://[x", an unclosed IPv6 host) read as empty."""
    try:
        return urlsplit(url)
    except ValueError:
        return urlsplit("")


def _domain(url: str) -> str:
    if not re.match(r"^[a-z][a-z0-9+.-]*://", url, re.IGNORECASE):
        url = "http://" + url
    host = (_split(url).hostname or "").lower()
    return host[4:] if host.startswith("www.") else host


@lru_cache(maxsize=4096)
def _suffixes(domain: str) -> frozenset[str]:
    parts = domain.rsplit(".", _MOST_LABELS)[-_MOST_LABELS:]  # no listed domain has more labels
    return frozenset(".".join(parts[i:]) for i in range(len(parts) - 1))


def under(domain: str, domains: frozenset[str]) -> bool:
    """Is the domain, or a parent of it, in the list? (shop.rstyle.me is under rstyle.me)"""
    return not _suffixes(domain).isdisjoint(domains)


def _params(url: str):
    parts = _split(url if "://" in url else "http://" + url)
    return parts, {key.lower() for key, _ in parse_qsl(parts.query, keep_blank_values=True)}


def _model_word(url: str, domain: str) -> str:
    """The coarse kind the model reads (see the module's notes on how it differs from a tie)."""
    if under(domain, AFFILIATE_DOMAINS):
        return "affiliate"
    if _params(url)[1] & MODEL_AFFILIATE_PARAMS or _MODEL_AFFILIATE_PATH.search(url):
        return "affiliate"
    if under(domain, SHORTENER_DOMAINS):
        return "shortener"
    if under(domain, SHOP_DOMAINS):
        return "shop"
    return "link"


def _is_amazon(domain: str) -> bool:
    return "amazon." in domain or domain in AMAZON_SHORT


def _short_url(link: Link) -> str:
    rest = link.url.split(link.domain, 1)[-1] if link.domain in link.url.lower() else ""
    return f"{link.domain}/…" if rest.strip("/") else link.domain


def _marker(link: Link) -> tuple[str, str] | None:
    """(tie kind, what marks it) for a link whose URL itself pays someone for the click."""
    domain = link.domain
    if under(domain, AFFILIATE_DOMAINS):
        return "affiliate_link", "affiliate network"
    parts, params = _params(link.url)
    if params & REFERRAL_PARAMS and not under(domain, REF_IS_NAVIGATION):
        return "referral_link", f"{min(params & REFERRAL_PARAMS)}="
    if params & AFFILIATE_PARAMS:
        return "affiliate_link", f"{min(params & AFFILIATE_PARAMS)}="
    if "tag" in params and (_is_amazon(domain) or under(domain, SHOP_DOMAINS)):
        return "affiliate_link", "tag="
    if "at" in params and domain.endswith("apple.com"):
        return "affiliate_link", "at="
    if params & PROMO_PARAMS:
        return "affiliate_link", "promo code in the link"
    path = parts.path + ("?" + parts.query if parts.query else "")
    if _AFFILIATE_PATH.search(path):
        return "affiliate_link", "affiliate path"
    # Amazon's own /ref=sr_1_1 paths track its search, not a referrer.
    if _REFERRAL_PATH.search(path) and not _is_amazon(domain):
        return "referral_link", "referral path"
    return None


def classify(text: str, link: Link) -> tuple[str, str] | None:
    """(tie kind, detail) when the link is a commercial tie, else None. A plain shortener is
    one only beside a sale that is not for the author's own product. A link with no host
    ("https://#ad") is none."""
    if not link.domain:
        return None
    short = _short_url(link)
    marked = _marker(link)
    if marked:
        kind, why = marked
        return kind, f"{kind.replace('_', ' ')} {short} ({why})"
    domain = link.domain
    if under(domain, AMAZON_SHORT):
        return "shortener_link", f"Amazon short link {short}"
    if under(domain, AFFILIATE_SHORTENERS):
        return "shortener_link", f"affiliate short link {short}"
    if under(domain, SHORTENER_DOMAINS) and not under(domain, NEVER_A_TIE):
        around = text[max(0, link.start - WINDOW): link.end + WINDOW]
        if COMMERCE.search(around) and not OWN_PRODUCT.search(around):
            return "shortener_link", f"short link {short} beside a sale"
    return None


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
        domain = _domain(url)
        links.append(Link(url, start, start + len(url), domain, _model_word(url, domain)))
    return links
