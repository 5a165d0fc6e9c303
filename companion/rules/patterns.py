"""The rules' vocabulary, as data: the words and tags that disclose a tie, the phrases that make
one, and how they cover each other. `companion.rules.reading` applies them to a post.

To add a disclosure (a tag, a label, a statement in another language), add its word to the
lists below or a pattern to DISCLOSURE_PATTERNS; a test in tests/test_evidence.py names it.

Every pattern is linear in the text: bounded repeats only, no nested unbounded quantifiers;
tests/test_rules_adversarial.py times each on texts built from its own separators.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

LINK_TIES = frozenset({"affiliate_link", "shortener_link", "referral_link"})
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
TAG_START = r"(?<![&#/])"  # not "&#ad" or "url/#ad"; "x#ad" is ruled out by hashtag_at()
HANDLE = r"@\w{1,30}(?:\.\w{1,30}){0,3}"
NAME = r"(?-i:[A-Z])[\w&'’-]{1,30}"
BRAND = rf"(?:{HANDLE}|{NAME})"
NEGATION = re.compile(
    r"(?:\b(?:not|no|never|non|nobody|nothing|without|nicht|kein\w{0,2}|ohne|sin|pas|niet|geen|nunca)"
    r"|n[’']t)[\s-]{0,3}(?:(?:an?|the|my|this|really|actually|paid|ein|eine|un|una|de)\s{1,3}){0,2}$", _I)


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
            "paidpartner|paidad|paidpost|werbung|anzeige|publicidad|publicidade|publi|publipost|pub|anuncio|"
            "publicité|publicite|pubblicità|pubblicita|patrocinado|patrocinada|sponsorisé|sponsorise|"
            "sponsorizzato|gesponsert|reklame|reklama|reklam|annons|reclame|advertentie|реклама|広告|광고")
_LABEL_WORDS = ("werbung|anzeige|publicidad|publicité|publicite|pubblicità|publicidade|advertisement|"
                "advertorial|advertentie|reklame|annons|reclame|sponsored|gesponsert|patrocinado|"
                "sponsorisé|sponsorizzato|anuncio|ad|advert")
_MARKER_WORDS = {
    "ad": _LABEL_WORDS + "|paid|paid link|paid partnership|sponsored link|werbelink|unbezahlte werbung|"
          "unbeauftragte werbung",
    "affiliate": "affiliate|affiliate links?|aff|aff links?|affiliate-links?|enlaces? de afiliados?|"
                 "liens? affiliés?|link di affiliazione|links? de afiliados?",
    "gift": "gifted|gift|pr|pr sample",
}
# Who else earns in a standard statement: "this channel may earn a commission".
_EARNER = r"(?:this|the|our|my)\s{1,3}(?:channel|blog|site|website|post|video|page|podcast|newsletter)"
_WEAK_TAGS = "sp|spon|collab|collaboration|partner|partnership|ambassador|brandambassador|brandpartner"

DISCLOSURE_PATTERNS = (
    # Bracketed or starred markers: local to the tie beside them, else for the whole post.
    *(_p(rf"[\[(]\s{{0,2}}(?:{words})\s{{0,2}}[\])]", cat, marker=True) for cat, words in _MARKER_WORDS.items()),
    _p(r"\*\s{0,2}(?:affiliate|aff)(?:[\s-]{1,2}links?)?\b", "affiliate", marker=True),
    _p(r"\baffiliate[\s-]{1,2}links?\s{0,2}[:–—-]", "affiliate", marker=True),
    _p(r"\baffiliate\s{0,2}:", "affiliate", marker=True),
    # Hashtags.
    _p(rf"{TAG_START}#(?:{_AD_TAGS})(?![\w-])", "ad"),
    _p(rf"{TAG_START}#(?:affiliate|affiliatelinks?|commissionearned|affiliatelink)(?![\w-])", "affiliate"),
    _p(rf"{TAG_START}#gifted(?![\w-])", "gift", tie="gifted"),
    _p(rf"{TAG_START}#(?:employee|proudemployee|\w{{1,30}}employee)(?![\w-])", "ad", tie="employer_tie"),
    _p(rf"{TAG_START}#(?:{_WEAK_TAGS})(?![\w-])", "ad", weak=True),
    # Labels: "Ad:", "Sponsored |", and a label word opening a line.
    _p(rf"(?<![\w#@./])(?:{_LABEL_WORDS})\s{{0,2}}(?:[:|]|[–—-]\s)", "ad"),
    _p(r"(?<![\w#@./])(?:werbung|anzeige|publicidad|publicité|publicite|pubblicità|publicidade|"
       r"advertisement|advertorial|advertentie|reklame|annons|reclame|(?-i:AD))(?![\w-])", "ad", line_start=True),
    _p(r"(?<![\w#@./])ad(?![\w-])(?!\s{0,3}\w)", "ad", line_start=True),
    # "Anuncio" is also "I announce": a label only alone on its line.
    _p(r"(?<![\w#@./])anuncio(?=[^\S\n]{0,3}(?:\n|\Z))", "ad", line_start=True),
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
    _p(rf"\bin\s{{1,3}}(?:a\s{{1,3}})?partnership\s{{1,3}}with\s{{1,3}}{BRAND}\s{{0,2}}\(paid\)", "ad",
       tie="paid_partnership"),
    _p(r"\b(?:full\s{1,3}|fair\s{1,3})?disclosure\s{0,2}:", "ad"),
    # Employment, investment: the statement is the tie and its disclosure at once.
    _p(rf"\bI(?:[’']m|\s{{1,3}}am)?\s{{1,3}}(?:work|working)\s{{1,3}}(?:at|for)\s{{1,3}}{BRAND}", "ad",
       tie="employer_tie"),
    _p(rf"\bI(?:[’']m|\s{{1,3}}am)\s{{1,3}}(?:an?\s{{1,3}})?(?:employee|advisor|adviser|investor|board\s{{1,3}}member|"
       rf"consultant|contractor|shareholder)\s{{1,3}}(?:at|of|to|for|in|with)\s{{1,3}}{BRAND}", "ad",
       tie="employer_tie"),
    _p(rf"\bI\s{{1,3}}(?:own|hold|have)\s{{1,3}}shares\s{{1,3}}(?:in|of)\s{{1,3}}{BRAND}", "ad", tie="employer_tie"),
    _p(r"\bmy\s{1,3}employer\b", "ad", tie="employer_tie"),
    _p(rf"\b(?:ich\s{{1,3}}arbeite\s{{1,3}}(?:bei|für)|trabajo\s{{1,3}}(?:en|para))\s{{1,3}}{BRAND}", "ad",
       tie="employer_tie"),
    # Affiliate statements.
    _p(r"\b(?:affiliated?|provisions|werbe)[\s-]{1,2}(?:(?:product|shopping|and\s{1,3}referral|referral|"
       r"amazon|partner|tracking)[\s-]{1,2})?links?\b", "affiliate"),
    # Wordings from the disclosure clusters Mathur et al. coded on YouTube and Pinterest (the
    # sentences of posts eval_mathur.py does not report on): "via the Amazon affiliate program",
    # "links may contain affiliate referrals", "these are Amazon Associate links".
    _p(r"\baffiliate\s{1,3}(?:system|referrals?|relationships?|tracking|partnerships?)\b|"
       r"\b(?:via|through)\s{1,3}(?:the|my|our)\s{1,3}(?:\w{1,20}\s{1,3})?affiliate\s{1,3}program(?:me)?\b",
       "affiliate"),
    _p(r"\b(?:links?|description|video|post)\s{1,3}(?:may\s{1,3})?(?:contains?|includes?)\s{1,3}affiliate\b",
       "affiliate"),
    _p(r"\bamazon\s{1,3}associates?\b", "affiliate"),
    # "Support the channel by shopping through these links" (LABELS.md), and its variants:
    # "help support our channel by purchasing from Amazon", "support us by shopping on Amazon",
    # "support my channel when you shop on Amazon", "support the channel via Amazon shopping".
    _p(r"\bsupport\s{1,3}(?:(?:the|my|this|our)\s{1,3}(?:channel|blog|site|website|podcast|work|show|page|content)"
       r"|us|me)\s{1,3}(?:for\s{1,3}free\s{1,3})?(?:by|when|while|via|through)\s{1,3}(?:you\s{1,3})?"
       r"(?:(?:doing|making)\s{1,3}(?:your\s{1,3})?)?(?:amazon\s{1,3})?"
       r"(?:shopping|buying|purchasing|using|shop|purchase|buy)\b", "affiliate"),
    _p(r"\bI(?:[’']m|\s{1,3}am)\s{1,3}an?\s{1,3}(?:\w{1,20}\s{1,3})?affiliate\b", "affiliate"),
    # The standard statements of public guidance (sources and dates: docs/DISCLOSURE_SOURCES.md):
    # the FTC's "I get commissions for purchases made through links in this post", the Amazon
    # Associates Program Operating Agreement's "As an Amazon Associate I earn from qualifying
    # purchases" and its "participant in the Amazon Services LLC Associates Program" notice, and
    # the common "I may earn a small (affiliate) commission at no extra cost to you".
    _p(r"\b(?:I|we)(?:[’']ll|[’']d)?\s{1,3}(?:may\s{1,3}|might\s{1,3}|will\s{1,3}|could\s{1,3}|do\s{1,3})?"
       r"(?:earn|get|receive|make)\s{1,3}(?:an?\s{1,3})?(?:(?:small|tiny|little)\s{1,3})?(?:affiliate\s{1,3})?"
       r"(?:(?:commission|cut|kickback|percentage|referral\s{1,3}(?:fee|bonus)|fee)s?\b"
       r"|(?:share|portion)\s{1,3}of\s{1,3}(?:the\s{1,3})?(?:sales?|revenue|purchases?)\b)", "affiliate"),
    _p(r"\blinks?\s{1,3}(?:(?:below|above|here|in\s{1,3}this\s{1,3}\w{1,12})\s{1,3})?(?:are|is|may\s{1,3}be)\s{1,3}"
       r"(?:an?\s{1,3})?affiliate(?:s|d(?!\s{1,3}(?:with|to)\b))?\b", "affiliate"),
    _p(rf"\b{_EARNER}\s{{1,3}}(?:may\s{{1,3}}|might\s{{1,3}}|will\s{{1,3}}|could\s{{1,3}}|does\s{{1,3}})?"
       r"(?:earns?|gets?|receives?|makes?)\s{1,3}(?:an?\s{1,3})?(?:(?:small|tiny|little)\s{1,3})?(?:affiliate\s{1,3})?"
       r"commissions?\b", "affiliate"),
    _p(r"\bearns?\s{1,3}(?:me|us)\s{1,3}(?:an?\s{1,3})?(?:(?:small|tiny|little)\s{1,3})?(?:affiliate\s{1,3})?commissions?\b",
       "affiliate"),
    _p(rf"\b(?:I|we|{_EARNER})\s{{1,3}}(?:may|might|will|could)\s{{1,3}}(?:be\s{{1,3}}compensated|"
       r"(?:earn|get|receive)\s{1,3}(?:a\s{1,3}(?:small\s{1,3})?)?compensation)\b", "affiliate"),
    _p(r"\b(?:as\s{1,3}an\s{1,3}amazon\s{1,3}associate|at\s{1,3}no\s{1,3}(?:extra|additional)\s{1,3}cost\s{1,3}to\s{1,3}you|"
       r"commissions?\s{1,3}earned|earns?\s{1,3}(?:from|on)\s{1,3}qualifying\s{1,3}purchases|"
       r"(?:participant|participates|participating)\s{1,3}in\s{1,3}the\s{1,3}amazon\s{1,3}(?:services\s{1,3}llc\s{1,3})?"
       r"(?:eu\s{1,3})?associates\s{1,3}program|affiliate\s{1,3}advertising\s{1,3}program|"
       r"earn\s{1,3}advertising\s{1,3}fees)\b", "affiliate"),
    _p(r"\b(?:ich\s{1,3}(?:erhalte|bekomme)\s{1,3}(?:eine\s{1,3})?(?:kleine\s{1,3})?provision|"
       r"enlaces?\s{1,3}de\s{1,3}afiliad[oa]s?|(?:gano|recibo|obtengo)\s{1,3}una\s{1,3}(?:pequeña\s{1,3})?comisi[oó]n|"
       r"liens?\s{1,3}(?:affili[ée]s?|d[’']affiliation)|je\s{1,3}(?:touche|perçois|reçois)\s{1,3}une\s{1,3}"
       r"(?:petite\s{1,3})?commission|link\s{1,3}(?:di\s{1,3}affiliazione|affiliat[oi])|links?\s{1,3}de\s{1,3}afiliad[oa]s?)",
       "affiliate"),
    # Gifts: the statement names the gift.
    _p(rf"\bgifted\s{{1,3}}(?:by|from)(?:\s{{1,3}}{BRAND})?", "gift", tie="gifted"),
    _p(r"\b(?:was|were|been|got|get|being)\s{1,3}gifted\b|\bgifted\s{1,3}(?:me|us|this|these|it|them)\b|"
       r"\bgifted\s{0,2}[:|]", "gift", tie="gifted"),
    _p(r"(?<![\w#@./])gifted\b", "gift", tie="gifted", line_start=True),
    _p(r"\b(?:was|were|been)\s{1,3}(?:given|sent|gifted)\b[^.!?\n]{0,30}?\bfree\b|"
       r"\b(?:got|received|get)\s{1,3}(?:this|these|it|them)\s{1,3}(?:for\s{1,3})?free\b|"
       r"\bfree\s{1,3}of\s{1,3}charge\b|\bkostenlos\s{1,3}zur\s{1,3}verfügung\s{1,3}gestellt\b|"
       r"\bme\s{1,3}(?:lo|la|los|las)\s{1,3}(?:regal|envi)\w{1,6}", "gift", tie="gifted"),
)
THANKS = re.compile(rf"\b(?:thanks?|thank\s{{1,3}}you|ty|shout\s{{0,2}}out)\s{{1,3}}(?:so\s{{1,3}}much\s{{1,3}})?"
                     rf"(?:to\s{{1,3}})?{HANDLE}", _I)

# Ties that are not disclosures.
# A code may stand in quotes, spaces inside them ('Use Code " GoldenGS "'). Which tokens count as
# codes: companion.rules.reading._code_like; CODE_SAVES is what a code saves, right after it.
CODE_TOKEN = (r"(?:(?P<quote>[\"'“‘«])\s{0,2})?(?P<code>[A-Za-z0-9][\w-]{1,22}[A-Za-z0-9])"
              r"(?(quote)\s{0,2}[\"'”’»]|)")
CODE_SAVES = re.compile(r"\s{0,3}(?:for\s{1,3}(?:up\s{1,3}to\s{1,3})?(?:an?\s{1,3})?(?:\d{1,3}\s?%|[$£€]\s?\d)"
                        r"|to\s{1,3}save\b|at\s{1,3}checkout\b)", _I)
CODE = re.compile(
    r"(?P<lead>\b(?:(?:use|using|with|enter|apply|try)\s{1,3}(?:(?:my|our|the|this)\s{1,3})?"
    r"(?:(?:promo|discount|coupon|voucher|referral|invite|creator)\s{1,3})?code"
    r"|(?:promo|discount|coupon|voucher|referral|invite|ref|credit|rabatt|gutschein)[ -]?code"
    r"|code\s{1,3}promo|c[oó]digo(?:\s{1,3}de\s{1,3}(?:descuento|promoci[oó]n|referido))?"
    r"|mit\s{1,3}(?:dem|meinem)\s{1,3}code"
    r"|(?P<bare>code)))\s{0,3}(?:[:–-]\s{0,3})?(?:is\s{1,3}|ist\s{1,3}|es\s{1,3})?" + CODE_TOKEN, _I)
USE_MY = re.compile(r"\b(?:use|using)\s{1,3}my\s{1,3}(?:\w{1,15}\s{1,3})?(?P<what>code|link)\b", _I)
GIFT_TIE = re.compile(
    rf"{HANDLE}\s{{1,3}}(?:sent|gave|send|sends)\s{{1,3}}(?:me|us)\b"
    rf"|\b(?:thanks?|thank\s{{1,3}}you|ty)\s{{1,3}}(?:so\s{{1,3}}much\s{{1,3}})?(?:to\s{{1,3}})?{HANDLE}\s{{1,3}}for\s{{1,3}}"
    rf"(?:sending|the\s{{1,3}}(?:free|gift|package|pr))\b"
    rf"|\b(?:sent|sending|send)\s{{1,3}}(?:me|us)\b[^.!?\n@]{{0,40}}{HANDLE}"
    rf"|\b(?-i:PR)\s{{1,3}}(?:package|box|haul|sample|samples|kit|mail|gift|list)\b"
    rf"|\b(?:c/o|courtesy\s{{1,3}}of)\s{{1,3}}{HANDLE}", _I)
PARTNER_TIE = re.compile(
    rf"\b(?:I|we)(?:[’']ve|\s{{1,3}}have|[’']re|\s{{1,3}}are|\s{{1,3}}am|[’']m)?\s{{1,3}}"
    rf"(?:(?:so\s{{1,3}})?(?:proud|excited|thrilled|happy)\s{{1,3}}to\s{{1,3}})?"
    rf"(?:partnered|partnering|partner|teamed\s{{1,3}}up|teaming\s{{1,3}}up|collaborated|collaborating)\s{{1,3}}with\s{{1,3}}{BRAND}"
    rf"|\bin\s{{1,3}}(?:a\s{{1,3}})?(?:partnership|collaboration|collab)\s{{1,3}}with\s{{1,3}}{BRAND}"
    rf"|\bbrand\s{{1,3}}ambassador\s{{1,3}}(?:for|of|with)\s{{1,3}}{BRAND}|\bambassador\s{{1,3}}(?:for|with)\s{{1,3}}{BRAND}"
    rf"|\b(?:collab|collaboration)\s{{1,3}}with\s{{1,3}}{HANDLE}", _I)
PRAISE = re.compile(
    r"\b(?:obsessed\s{1,3}with|in\s{1,3}love\s{1,3}with|loving|can[’']?t\s{1,3}live\s{1,3}without|holy\s{1,3}grail|"
    r"game[\s-]{0,2}changer|must[\s-]{0,2}have|new\s{1,3}fave|favou?rite|swear\s{1,3}by|hooked\s{1,3}on|"
    r"addicted\s{1,3}to|ride\s{1,3}or\s{1,3}die|my\s{1,3}new)\b", _I)
MENTION = re.compile(rf"(?<![\w@]){HANDLE}")
HASHTAG = re.compile(rf"{TAG_START}#\w+")
RUN = re.compile(r"[\w#]+")  # a run of word characters and "#": a hashtag chain, or a word with a "#" inside
LINE_LEAD = re.compile(r"[^\w\n]*")  # what stands before a line's first word
COMMERCE = re.compile(
    r"\b(?:buy|buying|bought|purchase|shop|shopping|sale|discount|checkout|link\s{1,3}to\s{1,3}buy|"
    r"get\s{1,3}(?:yours|it|one)|grab\s{1,3}(?:yours|one|it)|find\s{1,3}(?:it|some|them)\s{1,3}here|"
    r"available\s{1,3}(?:here|now|at)|amazon|kaufen|comprar|compra|acheter|achetez|acquista)\b"
    r"|\d{1,3}\s?%\s{0,2}off\b", _I)
# The author's own thing: "my book", "our new soy candle shop" (up to three words between, none
# of them "favourite" or "go-to": "my favourite brand" is someone else's), "my own / handmade ...",
# "made by me". OWN_GOODS is the narrower part that sells goods: a code beside "my channel" or "my
# podcast" is most often a sponsor's, so only OWN_GOODS lets the decision clear a code as the
# author's own (companion.decision.own_sale); OWN_PRODUCT keeps such a code out of the ties.
_MY = r"\b(?:my|our)\s{1,3}(?:(?!fav|go-to\b)[\w-]{1,12}\s{1,3}){0,3}"
_GOODS = r"book|books|ebook|shop|store|webshop|course|class|merch|workshop|prints?|art|artwork|etsy|products?|kits?|novel"
_MEDIA = r"site|website|album|single|app|collection|brand|podcast|channel|newsletter|business|company|startup|game|music"
_MADE = (r"\b(?:my|our)\s{1,3}(?:very\s{1,3})?(?:own|hand-?made|home-?made|hand-?crafted|hand-?poured)\b"
         r"|\bmade\s{1,3}(?:by\s{1,3}(?:me|us)|in\s{1,3}(?:my|our)\s{1,3}(?:garage|kitchen|studio|workshop|shed))\b")
OWN_PRODUCT = re.compile(
    rf"{_MY}(?:{_GOODS}|{_MEDIA})\b|{_MADE}"
    r"|\b(?:site|store)[\s-]?wide\b|\bentire\s{1,3}(?:store|site|order|purchase)\b", _I)
OWN_GOODS = re.compile(rf"{_MY}(?:{_GOODS})\b|{_MADE}", _I)
# Where a sentence or a list item ends, for the sentence around a code.
SENTENCE_BREAK = re.compile(r"[.!?](?=\s|$)|[\n►❥•|]")
SAVING = re.compile(r"\b(?:off|save|spar\w{0,3}|ahorra\w{0,2})\b", _I)
CLUSTER_GAP = re.compile(r"[\s,.;|·•]*")
CONTENT_LINE = re.compile(r"^[ \t]*\S", re.MULTILINE)

# How far around a link or code the rules look for a sale or the author's own product.
WINDOW = 120
