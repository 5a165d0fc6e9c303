"""Signs of a commercial tie in a post, and the disclosures that cover them.

Interfaces (the server's `/v1/classify` evidence and `/v1/check` use these):

- `find_evidence(text, offsets="python") -> list[Finding]`: every sign, sorted by position.
  Ties: ``affiliate_link``, ``shortener_link``, ``referral_link`` (links, read through
  `companion.links.find_links`), ``discount_code``, ``referral_code``, ``gifted``,
  ``paid_partnership``, ``employer_tie``, and ``brand_praise`` (product praise beside a brand's
  @handle: a weak sign, shown as evidence but never enough on its own for a draft warning).
  Disclosures (kind ``disclosure``) carry a `grade`, as LABELS.md and the FTC grade them:
  ``clear`` (#ad, Ad:, #sponsored, paid partnership, Werbung, Anzeige, publicidad, a plain
  affiliate statement, "I work at X", #gifted), ``weak`` (#sp, #spon, #collab, #partner,
  #ambassador alone; "thanks @brand" beside a tie), ``buried`` (after four or more hashtags
  in one run, or below the first lines of a long post) or ``partial`` (a marker such as
  "(affiliate)" beside one link while another tie goes unmarked). A statement that names its
  own tie ("gifted by @brand", "I work at Acme") is both a tie and its clear disclosure: both
  findings come back, on the same span.
- `evidence_for_labels(text, offsets="python") -> list[dict]`: the evidence behind a
  ``missing_disclosure`` label, JSON-ready: ties that no clear disclosure covers, and the
  weak, buried or partial disclosures, as ``{"kind", "label": "missing_disclosure", "start",
  "end", "text", "detail"}``. Empty when the post shows no problem.
- `reason(text) -> str | None`: that evidence in one line for a badge, e.g.
  "affiliate link amzn.to/…, no disclosure".
- `analyze(text) -> Analysis`: the whole reading, which `companion.draftcheck` builds on.

Offsets: Python str indices (code points) by default. JavaScript counts UTF-16 code units,
so every emoji or other astral character before a span shifts it by one there; pass
``offsets="utf16"`` for spans a browser extension can slice with directly (the companion's
API answers in UTF-16, since its consumers are JavaScript).

Every pattern is linear: bounded repeats only, no nested quantifiers, so a 20 000-character
post is read in milliseconds.
"""
from __future__ import annotations

import re
from bisect import bisect_right
from dataclasses import dataclass, field
from functools import lru_cache
from itertools import accumulate
from urllib.parse import parse_qsl, urlsplit

from companion.links import _MOST_LABELS, AFFILIATE_DOMAINS, SHOP_DOMAINS, SHORTENER_DOMAINS, Link, find_links

LINK_TIES = frozenset({"affiliate_link", "shortener_link", "referral_link"})
TIE_KINDS = ("affiliate_link", "shortener_link", "referral_link", "discount_code", "referral_code",
             "gifted", "paid_partnership", "employer_tie", "brand_praise")
GRADES = ("clear", "weak", "buried", "partial")
OFFSET_UNITS = ("python", "utf16")
# Which disclosures cover which ties: an ad disclosure covers every tie; an affiliate
# statement covers links and codes but not a gift; "#gifted" covers the gift alone.
COVERED_BY = {
    "affiliate_link": {"ad", "affiliate"}, "shortener_link": {"ad", "affiliate"},
    "referral_link": {"ad", "affiliate"}, "discount_code": {"ad", "affiliate"},
    "referral_code": {"ad", "affiliate"}, "gifted": {"ad", "gift"}, "paid_partnership": {"ad"},
    "employer_tie": {"ad"}, "brand_praise": {"ad", "affiliate", "gift"},
}
# The FTC: a disclosure mixed into a group of hashtags, or below the "more" cut of a long
# caption, is easy to miss.
BURIED_AFTER_HASHTAGS = 4
LONG_POST_CHARS = 400
FOLD_CHARS = 200
FOLD_LINES = 3
# ...unless it leads straight into the links it covers: "beside the links" counts (LABELS.md).
NEAR_CHARS = 150

_I = re.IGNORECASE
_TAG_START = r"(?<![&#/])"  # not "&#ad" or "url/#ad"; "x#ad" is ruled out by hashtag_at()
_HANDLE = r"@\w{1,30}(?:\.\w{1,30}){0,3}"
_NAME = r"(?-i:[A-Z])[\w&'’-]{1,30}"
_BRAND = rf"(?:{_HANDLE}|{_NAME})"
_NEGATION = re.compile(
    r"(?:\b(?:not|no|never|non|nobody|nothing|without|nicht|kein\w{0,2}|ohne|sin|pas|niet|geen|nunca)"
    r"|n[’']t)[\s-]{0,3}(?:(?:an?|the|my|this|really|actually|paid|ein|eine|un|una|de)\s{1,3}){0,2}$", _I)


@dataclass(frozen=True)
class Finding:
    kind: str
    start: int
    end: int
    text: str
    detail: str
    grade: str | None = None  # disclosures only

    def to_json(self) -> dict:
        out = {"kind": self.kind, "start": self.start, "end": self.end, "text": self.text,
               "detail": self.detail}
        if self.grade is not None:
            out["grade"] = self.grade
        return out


@dataclass(frozen=True)
class Disclosure:
    start: int
    end: int
    text: str
    category: str  # ad | affiliate | gift
    weak: bool = False
    marker: bool = False  # "(affiliate)": belongs to the tie right beside it, if there is one
    tie: str | None = None  # the tie a statement names about itself ("gifted by @x")


@dataclass(frozen=True)
class _Pattern:
    regex: re.Pattern
    category: str
    weak: bool = False
    marker: bool = False
    tie: str | None = None
    line_start: bool = False  # counts only at the start of a line ("Werbung", not "ich hasse Werbung")


def _p(pattern: str, category: str, **kw) -> _Pattern:
    return _Pattern(re.compile(pattern, _I), category, **kw)


_AD_TAGS = ("ad|ads|advert|advertisement|sponsored|sponsoredpost|sponsor|paidpartnership|"
            "paidpartner|paidad|paidpost|werbung|anzeige|publicidad|publicidade|publi|publipost|"
            "publicité|publicite|pubblicità|pubblicita|patrocinado|patrocinada|sponsorisé|sponsorise|"
            "sponsorizzato|gesponsert|reklame|reklama|reklam|annons|reclame|advertentie|реклама|広告|광고")
_LABEL_WORDS = ("werbung|anzeige|publicidad|publicité|publicite|pubblicità|publicidade|advertisement|"
                "advertorial|advertentie|reklame|annons|reclame|sponsored|gesponsert|patrocinado|"
                "sponsorisé|sponsorizzato|ad|advert")
_MARKER_WORDS = {
    "ad": _LABEL_WORDS + "|paid|paid link|paid partnership|sponsored link|werbelink|unbezahlte werbung|"
          "unbeauftragte werbung",
    "affiliate": "affiliate|affiliate links?|aff|aff links?|affiliate-links?|enlaces? de afiliados?|"
                 "liens? affiliés?|link di affiliazione|links? de afiliados?",
    "gift": "gifted|gift|pr|pr sample",
}
_WEAK_TAGS = "sp|spon|collab|collaboration|partner|partnership|ambassador|brandambassador|brandpartner"

DISCLOSURE_PATTERNS = (
    # Bracketed or starred markers: local to the tie beside them, else for the whole post.
    *(_p(rf"[\[(]\s{{0,2}}(?:{words})\s{{0,2}}[\])]", cat, marker=True) for cat, words in _MARKER_WORDS.items()),
    _p(r"\*\s{0,2}(?:affiliate|aff)(?:[\s-]{1,2}links?)?\b", "affiliate", marker=True),
    _p(r"\baffiliate[\s-]{1,2}links?\s{0,2}[:–—-]", "affiliate", marker=True),
    # Hashtags.
    _p(rf"{_TAG_START}#(?:{_AD_TAGS})(?![\w-])", "ad"),
    _p(rf"{_TAG_START}#(?:affiliate|affiliatelinks?|commissionearned|affiliatelink)(?![\w-])", "affiliate"),
    _p(rf"{_TAG_START}#gifted(?![\w-])", "gift", tie="gifted"),
    _p(rf"{_TAG_START}#(?:employee|proudemployee|\w{{1,30}}employee)(?![\w-])", "ad", tie="employer_tie"),
    _p(rf"{_TAG_START}#(?:{_WEAK_TAGS})(?![\w-])", "ad", weak=True),
    # Labels: "Ad:", "Sponsored |", and a label word opening a line.
    _p(rf"(?<![\w#@./])(?:{_LABEL_WORDS})\s{{0,2}}(?:[:|]|[–—-]\s)", "ad"),
    _p(r"(?<![\w#@./])(?:werbung|anzeige|publicidad|publicité|publicite|pubblicità|publicidade|"
       r"advertisement|advertorial|advertentie|reklame|annons|reclame|(?-i:AD))(?![\w-])", "ad", line_start=True),
    _p(r"(?<![\w#@./])ad(?![\w-])(?!\s{0,3}\w)", "ad", line_start=True),
    _p(r"\b(?:unbezahlte|bezahlte|unbeauftragte|beauftragte|enthält|enthaelt|contiene|contient|contém|"
       r"contains)\s{1,3}(?:werbung|publicidad|publicité|publicidade|advertising|ads|an\s{1,3}ad|"
       r"paid\s{1,3}promotion)\b", "ad"),
    _p(r"\b(?:this|it)(?:[’']s|\s{1,3}is)\s{1,3}(?:an?\s{1,3})?(?:ad|advert|advertisement|paid\s{1,3}post)\b", "ad"),
    _p(r"\b(?:sponsored|sponsoring|sponsorship|sponsor|sponsors|gesponsert|patrocinad[oa]|patrocinio|"
       r"sponsoris[ée]e?|sponsorizzat[oa])\b", "ad"),
    _p(r"\bpaid\s{1,3}(?:partnership|partner|promotion|promo|post|collab|collaboration|sponsorship|ad|"
       r"advertisement|review|content)\b", "ad"),
    _p(r"\b(?:bezahlte[rn]?\s{1,3}(?:partnerschaft|kooperation)|colaboraci[oó]n\s{1,3}(?:pagada|remunerada)|"
       r"partenariat\s{1,3}rémunéré|collaboration\s{1,3}commerciale|parceria\s{1,3}paga|"
       r"betaald\s{1,3}partnerschap)\b", "ad"),
    _p(rf"\bin\s{{1,3}}(?:a\s{{1,3}})?partnership\s{{1,3}}with\s{{1,3}}{_BRAND}\s{{0,2}}\(paid\)", "ad",
       tie="paid_partnership"),
    _p(r"\b(?:full\s{1,3}|fair\s{1,3})?disclosure\s{0,2}:", "ad"),
    # Employment, investment: the statement is the tie and its disclosure at once.
    _p(rf"\bI(?:[’']m|\s{{1,3}}am)?\s{{1,3}}(?:work|working)\s{{1,3}}(?:at|for)\s{{1,3}}{_BRAND}", "ad",
       tie="employer_tie"),
    _p(rf"\bI(?:[’']m|\s{{1,3}}am)\s{{1,3}}(?:an?\s{{1,3}})?(?:employee|advisor|adviser|investor|board\s{{1,3}}member|"
       rf"consultant|contractor|shareholder)\s{{1,3}}(?:at|of|to|for|in|with)\s{{1,3}}{_BRAND}", "ad",
       tie="employer_tie"),
    _p(rf"\bI\s{{1,3}}(?:own|hold|have)\s{{1,3}}shares\s{{1,3}}(?:in|of)\s{{1,3}}{_BRAND}", "ad", tie="employer_tie"),
    _p(r"\bmy\s{1,3}employer\b", "ad", tie="employer_tie"),
    _p(rf"\b(?:ich\s{{1,3}}arbeite\s{{1,3}}(?:bei|für)|trabajo\s{{1,3}}(?:en|para))\s{{1,3}}{_BRAND}", "ad",
       tie="employer_tie"),
    # Affiliate statements.
    _p(r"\b(?:affiliate|provisions|werbe)[\s-]{1,2}links?\b", "affiliate"),
    _p(r"\bI(?:[’']m|\s{1,3}am)\s{1,3}an?\s{1,3}(?:\w{1,20}\s{1,3})?affiliate\b", "affiliate"),
    _p(r"\b(?:I|we)\s{1,3}(?:may\s{1,3}|might\s{1,3}|will\s{1,3}|do\s{1,3})?(?:earn|get|receive|make)\s{1,3}"
       r"(?:an?\s{1,3})?(?:small\s{1,3})?(?:commission|cut|kickback|percentage|referral\s{1,3}(?:fee|bonus)|fee)s?\b",
       "affiliate"),
    _p(r"\b(?:as\s{1,3}an\s{1,3}amazon\s{1,3}associate|at\s{1,3}no\s{1,3}(?:extra|additional)\s{1,3}cost\s{1,3}to\s{1,3}you|"
       r"commissions?\s{1,3}earned)\b", "affiliate"),
    _p(r"\bsupport\s{1,3}(?:the|my|this|our)\s{1,3}(?:channel|blog|site|podcast|work|show)\s{1,3}by\s{1,3}"
       r"(?:shopping|buying|using)\b", "affiliate"),
    _p(r"\b(?:ich\s{1,3}(?:erhalte|bekomme)\s{1,3}(?:eine\s{1,3})?(?:kleine\s{1,3})?provision|"
       r"enlaces?\s{1,3}de\s{1,3}afiliad[oa]s?|(?:gano|recibo|obtengo)\s{1,3}una\s{1,3}(?:pequeña\s{1,3})?comisi[oó]n|"
       r"liens?\s{1,3}(?:affili[ée]s?|d[’']affiliation)|je\s{1,3}(?:touche|perçois|reçois)\s{1,3}une\s{1,3}"
       r"(?:petite\s{1,3})?commission|link\s{1,3}(?:di\s{1,3}affiliazione|affiliat[oi])|links?\s{1,3}de\s{1,3}afiliad[oa]s?)",
       "affiliate"),
    # Gifts: the statement names the gift.
    _p(rf"\bgifted\s{{1,3}}(?:by|from)(?:\s{{1,3}}{_BRAND})?", "gift", tie="gifted"),
    _p(r"\b(?:was|were|been|got|get|being)\s{1,3}gifted\b|\bgifted\s{1,3}(?:me|us|this|these|it|them)\b|"
       r"\bgifted\s{0,2}[:|]", "gift", tie="gifted"),
    _p(r"(?<![\w#@./])gifted\b", "gift", tie="gifted", line_start=True),
    _p(r"\b(?:was|were|been)\s{1,3}(?:given|sent|gifted)\b[^.!?\n]{0,30}?\bfree\b|"
       r"\b(?:got|received|get)\s{1,3}(?:this|these|it|them)\s{1,3}(?:for\s{1,3})?free\b|"
       r"\bfree\s{1,3}of\s{1,3}charge\b|\bkostenlos\s{1,3}zur\s{1,3}verfügung\s{1,3}gestellt\b|"
       r"\bme\s{1,3}(?:lo|la|los|las)\s{1,3}(?:regal|envi)\w{1,6}", "gift", tie="gifted"),
)
_THANKS = re.compile(rf"\b(?:thanks?|thank\s{{1,3}}you|ty|shout\s{{0,2}}out)\s{{1,3}}(?:so\s{{1,3}}much\s{{1,3}})?"
                     rf"(?:to\s{{1,3}})?{_HANDLE}", _I)

# Ties that are not disclosures.
_CODE_TOKEN = r"[\"'“‘«]?(?P<code>[A-Za-z0-9][\w-]{1,22}[A-Za-z0-9])[\"'”’»]?"
_CODE = re.compile(
    r"(?P<lead>\b(?:(?:use|using|with|enter|apply|try)\s{1,3}(?:(?:my|our|the|this)\s{1,3})?"
    r"(?:(?:promo|discount|coupon|voucher|referral|invite|creator)\s{1,3})?code"
    r"|(?:promo|discount|coupon|voucher|referral|invite|ref|credit|rabatt|gutschein)[ -]?code"
    r"|code\s{1,3}promo|c[oó]digo(?:\s{1,3}de\s{1,3}(?:descuento|promoci[oó]n|referido))?"
    r"|mit\s{1,3}(?:dem|meinem)\s{1,3}code"
    r"|(?P<bare>code)))\s{0,3}(?:[:–-]\s{0,3})?(?:is\s{1,3}|ist\s{1,3}|es\s{1,3})?" + _CODE_TOKEN, _I)
_USE_MY = re.compile(r"\b(?:use|using)\s{1,3}my\s{1,3}(?:\w{1,15}\s{1,3})?(?P<what>code|link)\b", _I)
_GIFT_TIE = re.compile(
    rf"{_HANDLE}\s{{1,3}}(?:sent|gave|send|sends)\s{{1,3}}(?:me|us)\b"
    rf"|\b(?:thanks?|thank\s{{1,3}}you|ty)\s{{1,3}}(?:so\s{{1,3}}much\s{{1,3}})?(?:to\s{{1,3}})?{_HANDLE}\s{{1,3}}for\s{{1,3}}"
    rf"(?:sending|the\s{{1,3}}(?:free|gift|package|pr))\b"
    rf"|\b(?:sent|sending|send)\s{{1,3}}(?:me|us)\b[^.!?\n@]{{0,40}}{_HANDLE}"
    rf"|\b(?-i:PR)\s{{1,3}}(?:package|box|haul|sample|samples|kit|mail|gift|list)\b"
    rf"|\b(?:c/o|courtesy\s{{1,3}}of)\s{{1,3}}{_HANDLE}", _I)
_PARTNER_TIE = re.compile(
    rf"\b(?:I|we)(?:[’']ve|\s{{1,3}}have|[’']re|\s{{1,3}}are|\s{{1,3}}am|[’']m)?\s{{1,3}}"
    rf"(?:(?:so\s{{1,3}})?(?:proud|excited|thrilled|happy)\s{{1,3}}to\s{{1,3}})?"
    rf"(?:partnered|partnering|partner|teamed\s{{1,3}}up|teaming\s{{1,3}}up|collaborated|collaborating)\s{{1,3}}with\s{{1,3}}{_BRAND}"
    rf"|\bin\s{{1,3}}(?:a\s{{1,3}})?(?:partnership|collaboration|collab)\s{{1,3}}with\s{{1,3}}{_BRAND}"
    rf"|\bbrand\s{{1,3}}ambassador\s{{1,3}}(?:for|of|with)\s{{1,3}}{_BRAND}|\bambassador\s{{1,3}}(?:for|with)\s{{1,3}}{_BRAND}"
    rf"|\b(?:collab|collaboration)\s{{1,3}}with\s{{1,3}}{_HANDLE}", _I)
_PRAISE = re.compile(
    r"\b(?:obsessed\s{1,3}with|in\s{1,3}love\s{1,3}with|loving|can[’']?t\s{1,3}live\s{1,3}without|holy\s{1,3}grail|"
    r"game[\s-]{0,2}changer|must[\s-]{0,2}have|new\s{1,3}fave|favou?rite|swear\s{1,3}by|hooked\s{1,3}on|"
    r"addicted\s{1,3}to|ride\s{1,3}or\s{1,3}die|my\s{1,3}new)\b", _I)
_MENTION = re.compile(rf"(?<![\w@]){_HANDLE}")
_HASHTAG = re.compile(rf"{_TAG_START}#\w+")
_LAST_BREAK = re.compile(r".*[^\w#]", re.DOTALL)  # matched from a point: ends where a run of [\w#] starts
_LINE_LEAD = re.compile(r"[^\w\n]*")  # what stands before a line's first word
_COMMERCE = re.compile(
    r"\b(?:buy|buying|bought|purchase|shop|shopping|sale|discount|checkout|link\s{1,3}to\s{1,3}buy|"
    r"get\s{1,3}(?:yours|it|one)|grab\s{1,3}(?:yours|one|it)|find\s{1,3}(?:it|some|them)\s{1,3}here|"
    r"available\s{1,3}(?:here|now|at)|amazon|kaufen|comprar|compra|acheter|achetez|acquista)\b"
    r"|\d{1,3}\s?%\s{0,2}off\b", _I)
_OWN_PRODUCT = re.compile(
    r"\b(?:my|our)\s{1,3}(?:[\w-]{1,12}\s{1,3})?(?:book|books|ebook|shop|store|site|website|webshop|"
    r"course|class|merch|album|single|app|product|products|collection|brand|workshop|prints?|art|artwork|etsy|"
    r"podcast|channel|newsletter|business|company|startup|game|music|novel|kits?)\b"
    r"|\b(?:site|store)[\s-]?wide\b|\bentire\s{1,3}(?:store|site|order|purchase)\b", _I)
_SAVING = re.compile(r"\b(?:off|save|spar\w{0,3}|ahorra\w{0,2})\b", _I)
_CLUSTER_GAP = re.compile(r"[\s,.;|·•]*")
_CONTENT_LINE = re.compile(r"^[ \t]*\S", re.MULTILINE)

AMAZON_SHORT = frozenset({"amzn.to", "a.co", "amzn.com", "amzn.eu", "amzn.asia"})
AFFILIATE_SHORTENERS = frozenset({"geni.us", "mavely.app", "shrsl.com"})
# Wrappers the platform puts on every link (t.co) and video links: not the author's choice of link.
NEVER_A_TIE = frozenset({"youtu.be", "t.co"})
# Platforms whose ?ref= records where a click came from inside the platform, not a referrer.
REF_IS_NAVIGATION = frozenset({"facebook.com", "instagram.com", "twitter.com", "x.com", "youtube.com",
                               "linkedin.com", "reddit.com", "github.com", "medium.com", "producthunt.com",
                               "tiktok.com", "pinterest.com", "news.ycombinator.com"})
_REFERRAL_PARAMS = frozenset({"ref", "ref_id", "refid", "referral", "referral_code", "referralcode",
                              "invite", "invite_code"})
_AFFILIATE_PARAMS = frozenset({"aff", "aff_id", "affid", "affiliate", "affiliate_id", "affiliateid", "aff_sub",
                               "afftrack", "a_aid", "awinaffid", "irclickid", "associate", "rfsn", "sscid",
                               "ranmid", "raneaid", "ransiteid", "afid"})
_PROMO_PARAMS = frozenset({"coupon", "code", "discount", "promo", "promo_code", "coupon_code", "discount_code"})
_AFFILIATE_PATH = re.compile(r"[?&/](?:aff|affiliate)[=_/]", _I)
_REFERRAL_PATH = re.compile(r"/ref=|/(?:ref|refer|referrals?)/", _I)
WINDOW = 120


@lru_cache(maxsize=4096)
def _suffixes(domain: str) -> frozenset[str]:
    parts = domain.rsplit(".", _MOST_LABELS)[-_MOST_LABELS:]  # no listed domain has more labels
    return frozenset(".".join(parts[i:]) for i in range(len(parts) - 1))


def _under(domain: str, domains: frozenset[str]) -> bool:
    """Is the domain, or a parent of it, in the list? (shop.rstyle.me is under rstyle.me)"""
    return not _suffixes(domain).isdisjoint(domains)


def _is_amazon(domain: str) -> bool:
    return "amazon." in domain or domain in AMAZON_SHORT


def _short_url(link: Link) -> str:
    rest = link.url.split(link.domain, 1)[-1] if link.domain in link.url.lower() else ""
    return f"{link.domain}/…" if rest.strip("/") else link.domain


def _window(text: str, start: int, end: int) -> str:
    return text[max(0, start - WINDOW): end + WINDOW]


def _link_marker(link: Link) -> tuple[str, str] | None:
    """(tie kind, what marks it) for a link whose URL itself pays someone for the click."""
    domain = link.domain
    if _under(domain, AFFILIATE_DOMAINS):
        return "affiliate_link", "affiliate network"
    parts = urlsplit(link.url if "://" in link.url else "http://" + link.url)
    params = {key.lower() for key, _ in parse_qsl(parts.query, keep_blank_values=True)}
    if params & _REFERRAL_PARAMS and not _under(domain, REF_IS_NAVIGATION):
        return "referral_link", f"{min(params & _REFERRAL_PARAMS)}="
    if params & _AFFILIATE_PARAMS:
        return "affiliate_link", f"{min(params & _AFFILIATE_PARAMS)}="
    # tag= pays the poster only on a shop (Amazon's Associates tag); on a blog it is a topic.
    if "tag" in params and (_is_amazon(domain) or _under(domain, SHOP_DOMAINS)):
        return "affiliate_link", "tag="
    if "at" in params and domain.endswith("apple.com"):
        return "affiliate_link", "at="
    if params & _PROMO_PARAMS:
        return "affiliate_link", "promo code in the link"
    path = parts.path + ("?" + parts.query if parts.query else "")
    if _AFFILIATE_PATH.search(path):
        return "affiliate_link", "affiliate path"
    # Amazon's own /ref=sr_1_1 paths track its search, not a referrer.
    if _REFERRAL_PATH.search(path) and not _is_amazon(domain):
        return "referral_link", "referral path"
    return None


def _link_tie(text: str, link: Link) -> Finding | None:
    short = _short_url(link)
    marked = _link_marker(link)
    if marked:
        kind, why = marked
        return Finding(kind, link.start, link.end, link.url, f"{kind.replace('_', ' ')} {short} ({why})")
    domain = link.domain
    if _under(domain, AMAZON_SHORT):
        return Finding("shortener_link", link.start, link.end, link.url, f"Amazon short link {short}")
    if _under(domain, AFFILIATE_SHORTENERS):
        return Finding("shortener_link", link.start, link.end, link.url, f"affiliate short link {short}")
    if _under(domain, SHORTENER_DOMAINS) and not _under(domain, NEVER_A_TIE):
        around = _window(text, link.start, link.end)
        if _COMMERCE.search(around) and not _OWN_PRODUCT.search(around):
            return Finding("shortener_link", link.start, link.end, link.url, f"short link {short} beside a sale")
    return None


def _code_like(token: str) -> bool:
    return len(token) >= 3 and (any(c.isdigit() for c in token) or (token.isupper() and token.isalpha()))


def _code_ties(text: str) -> list[Finding]:
    found = []
    for m in _CODE.finditer(text):
        code = m.group("code")
        if not _code_like(code):
            continue
        around = _window(text, m.start(), m.end())
        # A bare "code: X" is a discount code only beside a sale; otherwise it may be source code.
        if m.group("bare") and not _COMMERCE.search(around) and not _SAVING.search(around):
            continue
        referral = re.search(r"referral|invite|\bref|credit|referido", m.group("lead"), _I)
        if not referral and _OWN_PRODUCT.search(around):
            continue
        kind = "referral_code" if referral else "discount_code"
        found.append(Finding(kind, m.start(), m.end(), m.group(0),
                             f"{'referral' if referral else 'discount'} code {code}"))
    for m in _USE_MY.finditer(text):
        if m.group("what").lower() == "link":
            found.append(Finding("referral_link", m.start(), m.end(), m.group(0), "asks readers to use their link"))
        else:
            found.append(Finding("discount_code", m.start(), m.end(), m.group(0), "asks readers to use their code"))
    return found


def _phrase_ties(text: str) -> list[Finding]:
    found = [Finding("gifted", m.start(), m.end(), m.group(0), f"gift: “{m.group(0)}”")
             for m in _GIFT_TIE.finditer(text)]
    found += [Finding("paid_partnership", m.start(), m.end(), m.group(0), f"partnership: “{m.group(0)}”")
              for m in _PARTNER_TIE.finditer(text)]
    return found


def _brand_praise(text: str) -> list[Finding]:
    found = []
    for praise in _PRAISE.finditer(text):
        lo, hi = max(0, praise.start() - 60), praise.end() + 60
        sentence = re.split(r"[.!?\n]", text[praise.end():hi], maxsplit=1)[0]
        after = _MENTION.search(sentence)
        if after:
            end = praise.end() + after.end()
            found.append(Finding("brand_praise", praise.start(), end, text[praise.start():end],
                                 f"praise for {after.group(0)}"))
            continue
        before = re.split(r"[.!?\n]", text[lo:praise.start()])[-1]
        mentions = list(_MENTION.finditer(before))
        if mentions:
            start = praise.start() - len(before) + mentions[-1].start()
            found.append(Finding("brand_praise", start, praise.end(), text[start:praise.end()],
                                 f"praise for {mentions[-1].group(0)}"))
    return found


def _drop_overlaps(items: list) -> list:
    """Keep the earliest, then longest, of any overlapping spans."""
    kept, last_end = [], -1
    for item in sorted(items, key=lambda x: (x.start, x.start - x.end)):
        if item.start >= last_end:
            kept.append(item)
            last_end = item.end
    return kept


def hashtag_at(text: str, start: int) -> bool:
    """Does the "#" at `start` begin a hashtag? Yes after a space or at the start, and in a chain
    of hashtags written without spaces ("#makeupgoals#ad"); not inside a word ("x#ad")."""
    if start == 0 or not _is_word(text[start - 1]):
        return True
    # The run of word characters and "#" before it (at most 80): does it open with "#"?
    lo = max(0, start - 80)
    before = _LAST_BREAK.match(text, lo, start)  # up to the last character outside the run
    return text[before.end() if before else lo] == "#"


def _is_word(c: str) -> bool:
    """Is `c` a character that regex `\\w` matches (a letter, digit or "_")?"""
    return c.isalnum() or c == "_"


class _Lines:
    """Where each line's first word character is, found once per text, so asking whether a
    position opens its line costs a search of the line starts, not a scan of the line."""

    def __init__(self, text: str):
        self.starts = [0] + [m.end() for m in re.finditer("\n", text)]
        # A line with no word character: its newline (every start on the line is before it).
        self.first_word = [_LINE_LEAD.match(text, s).end() for s in self.starts]

    def opens_line(self, start: int) -> bool:
        """No word character stands between the start of its line and `start`."""
        return start <= self.first_word[bisect_right(self.starts, start) - 1]


def _negated(text: str, start: int, link_spans: list[tuple[int, int]]) -> bool:
    """Is the match denied ("not sponsored", "this isn't an #ad")? Words inside a link do not count."""
    lo = max(0, start - 30)
    begin = max(text.rfind("\n", lo, start) + 1, lo)
    i = bisect_right(link_spans, (start, -1)) - 1
    if i >= 0 and link_spans[i][1] > begin:
        begin = min(link_spans[i][1], start)
    window = text[begin:start]
    # Every negation word but "pas" has an "n": most windows need no regex at all.
    low = window.lower()
    return ("n" in low or "pas" in low) and bool(_NEGATION.search(window))


def _in_links(spans: list[tuple[int, int]], start: int, end: int) -> bool:
    """Does [start, end) overlap one of these sorted, disjoint spans (links, most often)?"""
    if not spans:
        return False
    i = bisect_right(spans, (start, float("inf"))) - 1
    return any(0 <= j < len(spans) and spans[j][0] < end and start < spans[j][1] for j in (i, i + 1))


def _disclosures(text: str, link_spans: list[tuple[int, int]], has_ties: bool) -> list[Disclosure]:
    found, lines = [], None
    for pattern in DISCLOSURE_PATTERNS:
        for m in pattern.regex.finditer(text):
            if pattern.line_start and not (lines := lines or _Lines(text)).opens_line(m.start()):
                continue
            if m.group(0).startswith("#") and not hashtag_at(text, m.start()):
                continue
            if _negated(text, m.start(), link_spans) or _in_links(link_spans, m.start(), m.end()):
                continue
            found.append(Disclosure(m.start(), m.end(), m.group(0), pattern.category, pattern.weak,
                                    pattern.marker, pattern.tie))
    if has_ties:
        found += [Disclosure(m.start(), m.end(), m.group(0), "ad", weak=True)
                  for m in _THANKS.finditer(text) if not _negated(text, m.start(), link_spans)]
    return _drop_overlaps(found)


def _adjacent(text: str, a_end: int, b_start: int) -> bool:
    return 0 <= b_start - a_end <= 3 and re.fullmatch(r"[\s:,;–—-]*", text[a_end:b_start]) is not None


def _owners(text: str, disclosures: list[Disclosure], ties: list[Finding]) -> dict[int, int]:
    """Markers that sit right beside a tie they can cover belong to it (after it, or before it
    when "…:"). A statement that is its own tie ("#gifted") is no place for a marker."""
    statements = {(d.start, d.end) for d in disclosures}
    by_end, by_start = {}, {}
    for t, tie in enumerate(ties):
        if (tie.start, tie.end) not in statements:
            by_end.setdefault(tie.end, []).append(t)
            by_start.setdefault(tie.start, []).append(t)
    owners, taken = {}, set()
    for i, d in enumerate(disclosures):
        if not d.marker:
            continue
        before = [t for e in range(d.start - 3, d.start + 1) if _adjacent(text, e, d.start)
                  for t in by_end.get(e, ()) if d.category in COVERED_BY[ties[t].kind]]
        after = [t for s in range(d.end, d.end + 4) if _adjacent(text, d.end, s)
                 for t in by_start.get(s, ()) if d.category in COVERED_BY[ties[t].kind]]
        prefer_after = d.text.rstrip().endswith((":", "-", "–", "—"))
        sides = (after, before) if prefer_after else (before, after)
        # "(affiliate) link (affiliate) link": a tie already marked lets the next marker pass on.
        choice = [t for side in sides for t in side if t not in taken] or [t for side in sides for t in side]
        if choice:
            owners[i] = choice[0]
            taken.add(choice[0])
    return owners


def _leads_in(d: Disclosure, ties: list[Finding], starts: list[int]) -> bool:
    """Does the disclosure sit just before a tie it covers ("Affiliate links:" above the list)?"""
    i = bisect_right(starts, d.end - 1)
    return any(t.start - d.end <= NEAR_CHARS and d.category in COVERED_BY[t.kind] for t in ties[i:i + 8])


def _buried(text: str, disclosures: list[Disclosure], local: set[int], ties: list[Finding]) -> dict[int, str]:
    why = {}
    spans = sorted((d.start, d.end) for d in disclosures)
    items = [(m.start(), m.end(), None) for m in _HASHTAG.finditer(text)
             if hashtag_at(text, m.start()) and not _in_links(spans, m.start(), m.end())]
    items += [(d.start, d.end, i) for i, d in enumerate(disclosures) if i not in local]
    count, prev_end = 0, None
    for start, end, index in sorted(items):
        if prev_end is None or not _CLUSTER_GAP.fullmatch(text, prev_end, start):
            count = 0
        if index is None:
            count += 1
        elif count >= BURIED_AFTER_HASHTAGS:
            why[index] = f"after {count} hashtags"
        prev_end = end
    fold = _fold(text)
    starts = [t.start for t in ties]
    for i, d in enumerate(disclosures):
        if i in local or i in why or fold is None or d.start < fold or _leads_in(d, ties, starts):
            continue
        # A word such as "sponsor" deep in a long post is a disclosure only where there is a tie.
        if ties or d.text.startswith("#"):
            why[i] = "below the first lines"
    return why


def _fold(text: str) -> int | None:
    """Where a long post's first lines end (None for a short post)."""
    stripped = text.strip()
    if len(stripped) <= LONG_POST_CHARS:
        return None
    lead = len(text) - len(text.lstrip())
    fold = lead + FOLD_CHARS
    for n, m in enumerate(_CONTENT_LINE.finditer(text)):
        if n == FOLD_LINES:
            return min(fold, m.start())
        if m.start() >= fold:
            break
    return fold


@dataclass
class Analysis:
    """Everything found in one text, in Python offsets."""
    text: str
    ties: list[Finding]
    disclosures: list[Disclosure]
    owners: dict[int, int]  # disclosure index -> index of the tie it marks
    buried_why: dict[int, str]
    covered: list[bool] = field(default_factory=list)
    grades: list[str] = field(default_factory=list)
    visible: set[str] = field(default_factory=set)  # categories of clear, unburied post-wide disclosures

    def redundant(self, d: Disclosure) -> bool:
        """A clear, visible disclosure already says what this one says."""
        return "ad" in self.visible or d.category in self.visible

    def uncovered_ties(self, praise: bool = True) -> list[Finding]:
        return [t for t, c in zip(self.ties, self.covered) if not c and (praise or t.kind != "brand_praise")]

    def weak_tags(self) -> list[Disclosure]:
        return [d for d in self.disclosures if d.weak and d.text.startswith("#") and not self.redundant(d)]

    def weak_thanks(self) -> list[Disclosure]:
        if not self.uncovered_ties(praise=False):
            return []
        return [d for d in self.disclosures if d.weak and not d.text.startswith("#")]

    def buried(self) -> list[Disclosure]:
        return [d for i, d in enumerate(self.disclosures)
                if self.grades[i] == "buried" and not self.redundant(d)]

    def partial(self) -> list[Disclosure]:
        return [d for i, d in enumerate(self.disclosures) if self.grades[i] == "partial"]

    def unfixable_ties(self) -> list[Finding]:
        """Uncovered ties that no other fix (sharpen a weak tag, move a buried disclosure up) covers."""
        if self.weak_tags():
            return []
        moved = {d.category for d in self.buried()}
        return [t for t in self.uncovered_ties(praise=False) if not moved & COVERED_BY[t.kind]]


def analyze(text: str) -> Analysis:
    if not isinstance(text, str):
        raise TypeError(f"text must be a str, not {type(text).__name__}")
    links = find_links(text)
    link_spans = sorted((l.start, l.end) for l in links)
    ties = [tie for tie in (_link_tie(text, l) for l in links) if tie]
    strong = _drop_overlaps([t for t in _code_ties(text) + _phrase_ties(text)
                             if not _in_links(link_spans, t.start, t.end)])
    # Neither overlaps the other, nor itself: together they are still disjoint spans.
    spans = sorted([(t.start, t.end) for t in strong] + link_spans)
    praise = [t for t in _brand_praise(text) if not _in_links(spans, t.start, t.end)]
    ties += strong + _drop_overlaps(praise)
    disclosures = _disclosures(text, link_spans, bool(ties))
    # Statements that name their own tie ("gifted by @x") add that tie, unless already found.
    found = {kind: sorted((t.start, t.end) for t in ties if t.kind == kind) for kind in COVERED_BY}
    ties += [Finding(d.tie, d.start, d.end, d.text, _self_tie_detail(d)) for d in disclosures
             if d.tie and not _in_links(found[d.tie], d.start, d.end)]
    ties.sort(key=lambda t: (t.start, t.end))
    owners = _owners(text, disclosures, ties)
    analysis = Analysis(text, ties, disclosures, owners, _buried(text, disclosures, set(owners), ties))
    _grade(analysis)
    return analysis


def _self_tie_detail(d: Disclosure) -> str:
    return {"gifted": "gift", "employer_tie": "works for or invests in the brand",
            "paid_partnership": "paid partnership"}[d.tie] + f": “{d.text}”"


def _grade(a: Analysis) -> None:
    a.visible = {d.category for i, d in enumerate(a.disclosures)
                 if not d.weak and i not in a.owners and i not in a.buried_why}
    marked = {t for i, t in a.owners.items() if not a.disclosures[i].weak}
    a.covered = [t in marked or bool(a.visible & COVERED_BY[tie.kind]) for t, tie in enumerate(a.ties)]
    partial = bool(a.owners) and bool(a.uncovered_ties(praise=False))
    a.grades = ["weak" if d.weak else "buried" if i in a.buried_why
                else "partial" if partial and i in a.owners else "clear"
                for i, d in enumerate(a.disclosures)]


def _disclosure_detail(a: Analysis, i: int) -> str:
    d, grade = a.disclosures[i], a.grades[i]
    if grade == "weak":
        return f"weak disclosure {d.text}: not clear that it is paid"
    if grade == "buried":
        return f"disclosure {d.text} buried {a.buried_why[i]}"
    if grade == "partial":
        return f"{d.text} marks one tie; others are unmarked"
    return f"clear disclosure {d.text}"


class OffsetMap:
    """Python str index -> UTF-16 code unit index (what JavaScript's String uses)."""

    def __init__(self, text: str):
        self.table = None if text.isascii() or max(map(ord, text)) <= 0xFFFF else \
            [0, *accumulate(2 if ord(c) > 0xFFFF else 1 for c in text)]

    def __call__(self, index: int) -> int:
        return index if self.table is None else self.table[index]


def converter(text: str, offsets: str):
    if offsets not in OFFSET_UNITS:
        raise ValueError(f"offsets must be one of {OFFSET_UNITS}, not {offsets!r}")
    return OffsetMap(text) if offsets == "utf16" else (lambda i: i)


def _findings(a: Analysis) -> list[Finding]:
    out = list(a.ties)
    out += [Finding("disclosure", d.start, d.end, d.text, _disclosure_detail(a, i), a.grades[i])
            for i, d in enumerate(a.disclosures)]
    return sorted(out, key=lambda f: (f.start, f.end, f.kind))


def _convert(findings: list[Finding], to) -> list[Finding]:
    return [Finding(f.kind, to(f.start), to(f.end), f.text, f.detail, f.grade) for f in findings]


def find_evidence(text: str, offsets: str = "python") -> list[Finding]:
    to = converter(text, offsets)
    return _convert(_findings(analyze(text)), to)


def _problems(a: Analysis) -> list[Finding]:
    """What stands behind missing_disclosure: unmarked ties and disclosures that fall short."""
    out = a.uncovered_ties()
    problem = {id(d) for d in a.weak_tags() + a.weak_thanks() + a.buried() + a.partial()}
    out += [Finding("disclosure", d.start, d.end, d.text, _disclosure_detail(a, i), a.grades[i])
            for i, d in enumerate(a.disclosures) if id(d) in problem]
    return sorted(out, key=lambda f: (f.start, f.end, f.kind))


def evidence_for_labels(text: str, offsets: str = "python", reading: Analysis | None = None) -> list[dict]:
    """What /v1/classify shows as evidence; `reading` is analyze(text) if already done."""
    to = converter(text, offsets)
    return [{"kind": f.kind, "label": "missing_disclosure", "start": f.start, "end": f.end,
             "text": f.text, "detail": f.detail} for f in _convert(_problems(reading if reading is not None else analyze(text)), to)]


def reason(text: str) -> str | None:
    a = analyze(text)
    ties = a.uncovered_ties(praise=False) or a.uncovered_ties()
    weak, buried, partial = a.weak_tags() + a.weak_thanks(), a.buried(), a.partial()
    if weak:
        status = f"weak disclosure {weak[0].text}"
    elif buried:
        status = f"disclosure {buried[0].text} buried"
    elif partial:
        status = "disclosure covers only some links"
    elif ties:
        status = "no disclosure"
    else:
        return None
    if not ties:
        return status
    more = f" and {len(ties) - 1} more" if len(ties) > 1 else ""
    return f"{ties[0].detail}{more}, {status}"
