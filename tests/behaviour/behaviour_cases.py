"""A behaviour suite for Campfire's labels, in the spirit of CheckList (Ribeiro et al., ACL 2020).

Template posts in groups, each testing one capability that LABELS.md defines: a minimum
functionality test (MFT: "this post must (not) get this label") or an invariance test (INV: "this
change must not change any verdict"). They run against what users see: the shipped model
through `companion.decision.judge`. `cases()` lists them; `run(scorer, judge)` judges every post in one
model call and returns per-group results; `scripts/model/behaviour.py` prints the table that the model
card shows, and `tests/behaviour/test_behaviour.py` asserts it.

The posts are made from templates, not taken from any dataset: they test behaviour, they are
never used to measure accuracy (dev is for that) and never trained on.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from itertools import product

SP, MD, CONV = "self_promotion", "missing_disclosure", "conversational"
LABELS = (SP, MD, CONV)

BRANDS = ("@dewdrop", "@glowco", "@trailpeak")
PRODUCTS = ("moisturiser", "hiking boots", "coffee grinder")
CODES = ("SAM10", "GLOW20", "TRAIL25")
LINKS = ("https://amzn.to/3xYzQ1", "https://www.amazon.com/dp/B07XQ2?tag=samfinds-20", "https://rstyle.me/n/c8k2x")
# Each filler set: (brand, product, code, link).
FILLS = tuple(zip(BRANDS, PRODUCTS, CODES, LINKS))

# A third party's product, a tie (code and shop link), no disclosure. {d1}/{d2}/{d3}: where a
# disclosure goes (start, middle, after the link).
PITCH = "{d1}Loving this {product} from {brand}! {d2}Use code {code} for 10% off {link}{d3}"
CLEAR_AD = ("#ad", "Ad:", "#sponsored", "Sponsored:", "Paid partnership with {brand}.", "#paidpartnership")
CLEAR_AFFILIATE = ("Affiliate link: I earn a commission if you buy.", "I earn a small commission from this link.")
NON_ENGLISH = ("#werbung", "Anzeige:", "#publicidad", "#pub", "#reklama", "Anuncio:")
WEAK = ("#sp", "#spon", "#collab", "#partner", "#ambassador")
POSITIONS = ("start", "middle", "after the link")


CARD = "models/MODEL_CARD.md, section \"Behaviour suite\""
# Groups the shipped model and rules fail, and why. The model card prints these reasons.
EXCEPTIONS = {
    "a rhetorical question inside a pitch is not conversation":
        "one of six: \"Struggling with sleep? Download my meditation app...\" is not read as "
        "self-promotion (conversation is right)",
}


@dataclass(frozen=True)
class Case:
    group: str
    text: str
    expect: dict = field(default_factory=dict)  # MFT: {label: flag}
    base: str | None = None  # INV: the post this one must agree with on every label


@dataclass
class GroupResult:
    group: str
    kind: str
    cases: int
    passed: int
    failures: list = field(default_factory=list)  # (text, what went wrong)

    @property
    def ok(self) -> bool:
        return self.passed == self.cases


def _place(form: str, position: str, fill: tuple) -> str:
    brand, item, code, link = fill
    form = form.format(brand=brand)
    slots = {"d1": "", "d2": "", "d3": ""}
    slot = {"start": "d1", "middle": "d2", "after the link": "d3"}[position]
    slots[slot] = {"d1": f"{form} ", "d2": f"{form} ", "d3": f" {form}"}[slot]
    return PITCH.format(product=item, brand=brand, code=code, link=link, **slots)


def _pitches() -> list[str]:
    return [_place("", "start", fill).strip() for fill in FILLS]


def disclosure_cases() -> list[Case]:
    out = []
    for form, position, fill in product(CLEAR_AD, POSITIONS, FILLS):
        out.append(Case("clear #ad / Ad: / sponsored / paid partnership, at start, middle, after the link",
                        _place(form, position, fill), {MD: False}))
    for form, position, fill in product(CLEAR_AFFILIATE, POSITIONS, FILLS):
        out.append(Case("clear affiliate statement, at start, middle, after the link",
                        _place(form, position, fill), {MD: False}))
    for brand, item, code, link in FILLS:
        out.append(Case("clear affiliate statement, at start, middle, after the link",
                        f"Loving this {item} from {brand}! Get it here: {link} (affiliate)", {MD: False}))
        for text in (f"#gifted {brand} sent me this {item} and I love it so far.",
                     f"I was gifted this {item} by {brand}. Honestly the best one I've tried.",
                     f"Full disclosure: I work at {brand[1:].title()}. Our new {item} ships today, and I'm proud of it."):
            out.append(Case("clear gift or employment statement", text, {MD: False}))
    for form, fill in product(NON_ENGLISH, FILLS):
        out.append(Case("clear disclosure in another language (#werbung, Anzeige, #publicidad, #pub, ...)",
                        _place(form, "start", fill), {MD: False}))
    for form, position, fill in product(WEAK, ("start", "after the link"), FILLS):
        out.append(Case("weak tag only (#sp, #spon, #collab, #partner, #ambassador)",
                        _place(form, position, fill), {MD: True}))
    for brand, item, code, link in FILLS:
        for text in (f"Thanks {brand}! Loving this {item}. Use code {code} for 10% off {link}",
                     f"Loving this {item}, thank you {brand}! Use code {code} for 10% off",
                     f"Huge thanks to {brand} for this {item} 💕 use my code {code} to save 15%"):
            out.append(Case("\"thanks @brand\" is not a disclosure", text, {MD: True}))
    for brand, item, code, link in FILLS:
        for text in (_place("", "start", (brand, item, code, link)).strip(),
                     f"Obsessed with my new {item} from {brand} 😍 link to buy: {link}",
                     f"I partnered with {brand} on this {item}. Use code {code} for 10% off",
                     f"Use my code {code} for 20% off {brand} {item}s {link}"):
            out.append(Case("third party's product with a tie, no disclosure", text, {MD: True}))
    return out


OWN_SHOPS = ("https://samsceramics.shop", "https://www.etsy.com/shop/TrailMadeGoods", "https://brewlab.coffee/order")
OWN_WORK = ("My book is out today! Link in bio",
            "Check out my new channel and please subscribe!!",
            "New episode of my podcast is up! Listen here https://anchor.fm/sampod",
            "We're hiring! Apply here https://jobs.brewlab.coffee",
            "Register for our webinar on Thursday https://brewlab.coffee/webinar",
            "DM me for rates, I have two spots left for logo design this month")


def own_and_praise_cases() -> list[Case]:
    out = [Case("own work or product, no code: self-promotion, no disclosure needed", text, {SP: True, MD: False})
           for text in OWN_WORK]
    for item, code, link in zip(PRODUCTS, CODES, OWN_SHOPS):
        out.append(Case("own work or product, no code: self-promotion, no disclosure needed",
                        f"I made these {item}s myself. Shop my store: {link}", {SP: True, MD: False}))
        out.append(Case("own work or product, no code: self-promotion, no disclosure needed",
                        f"My handmade {item}s are 20% off this weekend at my shop {link}", {SP: True, MD: False}))
        for text in (f"My new {item} shop is open! Use code {code} for 10% off your first order {link}",
                     f"Our handmade {item}s are back in stock, 20% off this weekend with code {code}: {link}",
                     f"My own {item}s, made in my garage: use code {code} for 10% off at {link}"):
            out.append(Case("own shop with a discount code: self-promotion, no disclosure needed", text,
                            {SP: True, MD: False}))
    for item in PRODUCTS + ("Kindle", "standing desk", "rain jacket"):
        for text in (f"I love my {item}, best thing I bought this year.",
                     f"Honestly this {item} changed my mornings. Ten years and still going strong."):
            out.append(Case("praise with no tie", text, {SP: False, MD: False}))
    return out


REPLIES = ("@sam totally agree, the second half dragged for me too",
           "@maria congrats on the new job!! so proud of you, you earned it",
           "@devon I had the same problem last winter, what fixed it for me was bleeding the radiators",
           "@jules haha yes, my cat does exactly this every morning at 5am",
           "Great post as always Amber. The hardest part for me is getting clients to see the value early on.",
           "@chris thanks for the tip, tried it tonight and the bread finally rose properly")
QUESTIONS = ("Has anyone tried switching to a standing desk? Worth it?",
             "What's one book that changed how you work?",
             "Which hiking boots have lasted you more than two seasons? Mine keep falling apart.",
             "Any tips for getting a toddler to sleep past 6am? We're running out of ideas",
             "Where do you all find podcasts worth listening to these days?",
             "Is it just me or did the new season feel rushed? What did you think of the ending?")
STORIES = ("Played this song at our wedding and I still cry every time I hear it",
           "Finally finished my first marathon today after two years of training. My legs hate me but I'm so happy",
           "My grandmother taught me this recipe when I was eight and I still make it every Sunday",
           "Moved to a new city last month and honestly it's been lonelier than I expected",
           "I quit my job today to go back to school. Terrified and excited at the same time",
           "Our dog turned 14 this week. She's slower now but still steals socks every chance she gets")
BAIT = ("Like if you agree!", "Tag 3 friends who need this!", "Follow for follow! #f4f #followback",
        "Like this if you remember the 90s", "Double tap if you love Mondays ☕", "sub4sub anyone? I sub back")
HEADLINES = ("Fed raises interest rates by a quarter point amid inflation fears",
             "Storm knocks out power to 200,000 homes across the region",
             "Apple unveils new iPhone with faster chip and longer battery life",
             "City council approves budget for new downtown library",
             "Study finds coffee drinkers live longer, researchers say",
             "Stocks close higher as tech shares rally")
REACTIONS = ("lol", "so good", "Looks really cool", "Amazing", "wow", "best song ever")
PITCH_QUESTIONS = ("Want to grow your audience? Join my course today! https://bit.ly/grow-course",
                   "Tired of dull skin? Try our new serum, 20% off this week only at glowco.com",
                   "Ready to finally get fit? Sign up for my 30-day program, link in bio",
                   "Looking for the perfect gift? Shop our handmade candles now https://candleco.shop",
                   "Struggling with sleep? Download my meditation app free today https://apps.apple.com/app/id123",
                   "Need a new website? DM me for rates, spots are limited this month")


def conversation_cases() -> list[Case]:
    out = [Case("replies to someone are conversation", t, {CONV: True}) for t in REPLIES]
    out += [Case("questions to readers are conversation", t, {CONV: True}) for t in QUESTIONS]
    out += [Case("personal stories are conversation", t, {CONV: True}) for t in STORIES]
    out += [Case("engagement bait is not conversation", t, {CONV: False}) for t in BAIT]
    out += [Case("headlines are not conversation", t, {CONV: False}) for t in HEADLINES]
    out += [Case("bare reactions are not conversation", t, {CONV: False}) for t in REACTIONS]
    out += [Case("a rhetorical question inside a pitch is not conversation", t, {CONV: False, SP: True})
            for t in PITCH_QUESTIONS]
    return out


_WORDS = re.compile(r"(?<![@#/\w.])([A-Za-z][a-z']+)")


def _casing(text: str) -> str:
    # Upper-case the words, not handles, links or codes (a link's case can change where it goes).
    return _WORDS.sub(lambda m: m.group(1).upper(), text)


PERTURBATIONS = {
    "casing": _casing,
    "emoji": lambda t: f"{t} 😍✨",
    "extra whitespace": lambda t: "  " + t.replace(" ", "  ", 3).replace("! ", "!\n\n", 1) + " \n",
    "trailing hashtags": lambda t: f"{t} #skincare #musthave #happy",
}


def invariance_cases() -> list[Case]:
    bases = (_pitches() + [_place("#ad", "start", fill) for fill in FILLS]
             + [_place("Affiliate link: I earn a commission if you buy.", "after the link", fill) for fill in FILLS]
             + list(QUESTIONS[:3]) + list(STORIES[:3]) + list(HEADLINES[:2]))
    out = []
    for name, change in PERTURBATIONS.items():
        out += [Case(f"invariance: {name}", change(base), base=base) for base in bases]
    for brand, item, code, link in FILLS:
        for long_link, short_link in (("https://www.amazon.com/dp/B07XQ2?tag=samfinds-20", "https://amzn.to/3xYzQ1"),
                                      ("https://www.amazon.com/dp/B07XQ2?tag=samfinds-20", "https://bit.ly/3kQz9"),
                                      ("https://rstyle.me/n/c8k2x", "https://bit.ly/4hT2p")):
            for form in ("", "#ad "):
                base = f"{form}Loving this {item} from {brand}! Shop it here {long_link}"
                out.append(Case("invariance: link shortener", base.replace(long_link, short_link), base=base))
    return out


def cases() -> list[Case]:
    return disclosure_cases() + own_and_praise_cases() + conversation_cases() + invariance_cases()


def _flags(labels: dict) -> dict:
    return {name: labels[name]["flag"] for name in LABELS}


def run(scorer, judge) -> list[GroupResult]:
    """Judge every post (and every invariance base) in one call; results per group, in order."""
    all_cases = cases()
    texts = list(dict.fromkeys([c.text for c in all_cases] + [c.base for c in all_cases if c.base]))
    verdicts = dict(zip(texts, (_flags(labels) for labels in judge(scorer, texts))))
    groups: dict[str, GroupResult] = {}
    for case in all_cases:
        result = groups.setdefault(case.group, GroupResult(case.group, "INV" if case.base else "MFT", 0, 0))
        result.cases += 1
        got = verdicts[case.text]
        if case.base is not None:
            want = verdicts[case.base]
            wrong = {n: got[n] for n in LABELS if got[n] != want[n]}
            why = f"differs from the unchanged post on {wrong}" if wrong else ""
        else:
            wrong = {n: got[n] for n, flag in case.expect.items() if got[n] != flag}
            why = f"expected {case.expect}, got {wrong}" if wrong else ""
        if why:
            result.failures.append((case.text, why))
        else:
            result.passed += 1
    return list(groups.values())
