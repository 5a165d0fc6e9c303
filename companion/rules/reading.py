"""The rules' reading of a post: the signs of a commercial tie in it, the disclosures that cover
them, and how well (the grades of LABELS.md and the FTC).

`analyze(text) -> Reading`: every tie (``affiliate_link``, ``shortener_link``, ``referral_link``
through `companion.rules.links`; ``discount_code``, ``referral_code``, ``gifted``,
``paid_partnership``, ``employer_tie``; and ``brand_praise``, product praise beside a brand's
@handle: a weak sign, shown as evidence but never enough on its own for a draft warning), and
every disclosure with its grade: ``clear`` (#ad, Ad:, #sponsored, paid partnership, Werbung,
Anzeige, publicidad, a plain affiliate statement, "I work at X", #gifted), ``weak`` (#sp,
#spon, #collab, #partner, #ambassador alone; "thanks @brand" beside a tie), ``buried`` (after
four or more hashtags in one run, or below the first lines of a long post) or ``partial`` (a
marker such as "(affiliate)" beside one link while another tie goes unmarked). A statement that
names its own tie ("gifted by @brand", "I work at Acme") is both a tie and its clear disclosure.

The words and patterns are in `companion.rules.patterns`; the evidence the API shows is made
from a reading by `companion.rules.evidence`, the draft checks by `companion.rules.draftcheck`,
and the model's input by `companion.rules.textprep`. Offsets here are Python str indices.
"""
from __future__ import annotations

import re
from bisect import bisect_right
from dataclasses import dataclass, field
from functools import lru_cache

from companion.rules.links import classify, find_links
from companion.rules.patterns import (BURIED_AFTER_HASHTAGS, CLUSTER_GAP, CODE, CODE_SAVES, COMMERCE, CONTENT_LINE, COVERED_BY,
                                      DISCLOSURE_PATTERNS, FOLD_CHARS, FOLD_LINES, GIFT_TIE, HASHTAG,
                                      LINE_LEAD, LONG_POST_CHARS, MENTION, NEAR_CHARS, NEGATION, OWN_GOODS, OWN_PRODUCT,
                                      PARTNER_TIE, PRAISE, RUN, SAVING, SENTENCE_BREAK, THANKS, USE_MY, WINDOW)


@dataclass(frozen=True)
class Finding:
    kind: str
    start: int
    end: int
    text: str
    detail: str


@dataclass(frozen=True)
class Disclosure:
    start: int
    end: int
    text: str
    category: str  # ad | affiliate | gift
    weak: bool = False
    marker: bool = False  # "(affiliate)": belongs to the tie right beside it, if there is one
    tie: str | None = None  # the tie a statement names about itself ("gifted by @x")


def _window(text: str, start: int, end: int) -> str:
    return text[max(0, start - WINDOW): end + WINDOW]


def _link_ties(text: str, links: list) -> list[Finding]:
    return [Finding(tie[0], link.start, link.end, link.url, tie[1])
            for link in links if (tie := classify(text, link))]


_REFERRAL_LEAD = re.compile(r"referral|invite|\bref|credit|referido", re.IGNORECASE)


def _code_like(text: str, m: re.Match) -> bool:
    """A code has a digit or is in capitals. After "use/enter/with ... code" a word of any case is
    one too when what it saves follows it, or when it stands in quotes beside a sale; after a bare
    "Code:" it is not (a shop's own "15% Off Code: "Love"")."""
    token = m.group("code")
    if len(token) < 3:
        return False
    if any(c.isdigit() for c in token) or (token.isupper() and token.isalpha()):
        return True
    if m.group("bare"):
        return False
    if CODE_SAVES.match(text, m.end()):
        return True
    around = _window(text, m.start(), m.end())
    return bool(m.group("quote")) and bool(COMMERCE.search(around) or SAVING.search(around))


def _sells_own_goods(text: str, start: int, end: int) -> bool:
    """Does the code's sentence, or the one before it, say the author sells the goods ("My new
    candle shop is open! Use code ...")? A long description's "My Channel: ..." two items up does not."""
    before = [piece for piece in SENTENCE_BREAK.split(text[max(0, start - WINDOW):start]) if piece.strip()]
    after = SENTENCE_BREAK.split(text[end:end + WINDOW], maxsplit=1)[0]
    return bool(OWN_GOODS.search(" ".join(before[-2:]) + " " + after))


def _code_ties(text: str) -> tuple[list[Finding], list[Finding]]:
    """The codes that are ties, and the discount codes for the author's own product (no tie:
    LABELS.md's "own products need no disclosure")."""
    found, own = [], []
    for m in CODE.finditer(text):
        code = m.group("code")
        if not _code_like(text, m):
            continue
        around = _window(text, m.start(), m.end())
        # A bare "code: X" is a discount code only beside a sale; otherwise it may be source code.
        if m.group("bare") and not COMMERCE.search(around) and not SAVING.search(around):
            continue
        referral = _REFERRAL_LEAD.search(m.group("lead"))
        if not referral and OWN_PRODUCT.search(around):
            if _sells_own_goods(text, m.start(), m.end()):
                own.append(Finding("own_code", m.start(), m.end(), m.group(0), f"code {code} for the author's own product"))
            continue
        kind = "referral_code" if referral else "discount_code"
        found.append(Finding(kind, m.start(), m.end(), m.group(0),
                             f"{'referral' if referral else 'discount'} code {code}"))
    for m in USE_MY.finditer(text):
        if m.group("what").lower() == "link":
            found.append(Finding("referral_link", m.start(), m.end(), m.group(0), "asks readers to use their link"))
        else:
            found.append(Finding("discount_code", m.start(), m.end(), m.group(0), "asks readers to use their code"))
    return found, own


def _phrase_ties(text: str) -> list[Finding]:
    found = [Finding("gifted", m.start(), m.end(), m.group(0), f"gift: “{m.group(0)}”")
             for m in GIFT_TIE.finditer(text)]
    found += [Finding("paid_partnership", m.start(), m.end(), m.group(0), f"partnership: “{m.group(0)}”")
              for m in PARTNER_TIE.finditer(text)]
    return found


def _brand_praise(text: str) -> list[Finding]:
    found = []
    for praise in PRAISE.finditer(text):
        lo, hi = max(0, praise.start() - 60), praise.end() + 60
        sentence = re.split(r"[.!?\n]", text[praise.end():hi], maxsplit=1)[0]
        after = MENTION.search(sentence)
        if after:
            end = praise.end() + after.end()
            found.append(Finding("brand_praise", praise.start(), end, text[praise.start():end],
                                 f"praise for {after.group(0)}"))
            continue
        before = re.split(r"[.!?\n]", text[lo:praise.start()])[-1]
        mentions = list(MENTION.finditer(before))
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
    starts = _run_starts(text)
    run_start = starts[bisect_right(starts, start - 1) - 1]
    return text[max(run_start, start - 80)] == "#"


@lru_cache(maxsize=8)
def _run_starts(text: str) -> list[int]:
    """Where each run of [\\w#] begins, found once per text (a post asks for every hashtag in it)."""
    return [m.start() for m in RUN.finditer(text)]


def _is_word(c: str) -> bool:
    """Is `c` a character that regex `\\w` matches (a letter, digit or "_")?"""
    return c.isalnum() or c == "_"


class _Lines:
    """Where each line's first word character is, found once per text, so asking whether a
    position opens its line costs a search of the line starts, not a scan of the line."""

    def __init__(self, text: str):
        self.starts = [0] + [m.end() for m in re.finditer("\n", text)]
        # A line with no word character: its newline (every start on the line is before it).
        self.first_word = [LINE_LEAD.match(text, s).end() for s in self.starts]

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
    return ("n" in low or "pas" in low) and bool(NEGATION.search(window))


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
                  for m in THANKS.finditer(text) if not _negated(text, m.start(), link_spans)]
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
        # "(Affiliate links)" / "Affiliate links:" name more than one link: a heading over the
        # list that follows, not the mark of the one beside it.
        if not d.marker or "links" in d.text.lower():
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
    items = [(m.start(), m.end(), None) for m in HASHTAG.finditer(text)
             if hashtag_at(text, m.start()) and not _in_links(spans, m.start(), m.end())]
    items += [(d.start, d.end, i) for i, d in enumerate(disclosures) if i not in local]
    count, prev_end = 0, None
    for start, end, index in sorted(items):
        if prev_end is None or not CLUSTER_GAP.fullmatch(text, prev_end, start):
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
    for n, m in enumerate(CONTENT_LINE.finditer(text)):
        if n == FOLD_LINES:
            return min(fold, m.start())
        if m.start() >= fold:
            break
    return fold


@dataclass
class Reading:
    """Everything found in one text, in Python offsets."""
    text: str
    ties: list[Finding]
    disclosures: list[Disclosure]
    owners: dict[int, int]  # disclosure index -> index of the tie it marks
    buried_why: dict[int, str]
    covered: list[bool] = field(default_factory=list)
    grades: list[str] = field(default_factory=list)
    visible: set[str] = field(default_factory=set)  # categories of clear, unburied post-wide disclosures
    own_codes: list[Finding] = field(default_factory=list)  # discount codes for the author's own product

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


def analyze(text: str) -> Reading:
    if not isinstance(text, str):
        raise TypeError(f"text must be a str, not {type(text).__name__}")
    links = find_links(text)
    link_spans = sorted((l.start, l.end) for l in links)
    ties = _link_ties(text, links)
    codes, own = _code_ties(text)
    strong = _drop_overlaps([t for t in codes + _phrase_ties(text)
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
    reading = Reading(text, ties, disclosures, owners, _buried(text, disclosures, set(owners), ties),
                      own_codes=[c for c in own if not _in_links(link_spans, c.start, c.end)])
    _grade(reading)
    return reading


def _self_tie_detail(d: Disclosure) -> str:
    return {"gifted": "gift", "employer_tie": "works for or invests in the brand",
            "paid_partnership": "paid partnership"}[d.tie] + f": “{d.text}”"


def _grade(a: Reading) -> None:
    a.visible = {d.category for i, d in enumerate(a.disclosures)
                 if not d.weak and i not in a.owners and i not in a.buried_why}
    marked = {t for i, t in a.owners.items() if not a.disclosures[i].weak}
    a.covered = [t in marked or bool(a.visible & COVERED_BY[tie.kind]) for t, tie in enumerate(a.ties)]
    partial = bool(a.owners) and bool(a.uncovered_ties(praise=False))
    a.grades = ["weak" if d.weak else "buried" if i in a.buried_why
                else "partial" if partial and i in a.owners else "clear"
                for i, d in enumerate(a.disclosures)]
