"""The rules' reading of a post (ties and disclosures, their spans and grades) and the evidence
made from it, in both offset units."""
from __future__ import annotations

from dataclasses import dataclass

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from companion.decision import disclosed
from companion.rules.evidence import evidence_for_labels
from companion.rules.links import find_links
from companion.rules.reading import analyze


@dataclass(frozen=True)
class Seen:
    """A tie, or a disclosure with its grade, as the reading has it."""
    kind: str
    start: int
    end: int
    text: str
    detail: str | None = None  # ties
    grade: str | None = None  # disclosures


def found(text: str) -> list[Seen]:
    """Every tie and disclosure of the reading, sorted by position."""
    reading = analyze(text)
    out = [Seen(t.kind, t.start, t.end, t.text, detail=t.detail) for t in reading.ties]
    out += [Seen("disclosure", d.start, d.end, d.text, grade=g) for d, g in zip(reading.disclosures, reading.grades)]
    return sorted(out, key=lambda f: (f.start, f.end, f.kind))


def kinds(text: str) -> list[str]:
    return [f.kind for f in found(text)]


def ties(text: str) -> list[Seen]:
    return [f for f in found(text) if f.kind != "disclosure"]


def disclosures(text: str) -> list[Seen]:
    return [f for f in found(text) if f.kind == "disclosure"]


def grades(text: str) -> list[str]:
    return [f.grade for f in disclosures(text)]


def problems(text: str) -> list[str]:
    """The details of the evidence behind missing_disclosure, in order."""
    return [e["detail"] for e in evidence_for_labels(text)]


# --- links --------------------------------------------------------------------------------

@pytest.mark.parametrize("text, kind, detail", [
    ("Get yours amzn.to/3xYzAb", "shortener_link", "Amazon short link amzn.to/…"),
    ("https://www.amazon.com/dp/B01N5?tag=janeblog-20", "affiliate_link", "affiliate link amazon.com/… (tag=)"),
    ("my look: rstyle.me/n/abc123", "affiliate_link", "affiliate link rstyle.me/… (affiliate network)"),
    ("sign up https://robinhood.example/join?ref=jane", "referral_link", "referral link robinhood.example/… (ref=)"),
    ("Grab yours before the sale ends bit.ly/3abcd", "shortener_link", "short link bit.ly/… beside a sale"),
    ("https://shop.example.com/p/1?aff_id=99", "affiliate_link", "affiliate link shop.example.com/… (aff_id=)"),
    ("earn daily https://www.paid.example/ref/marius15", "referral_link", "referral link paid.example/… (referral path)"),
    ("Amazon Sirui monopod ► http://goo.gl/75ktFi", "shortener_link", "short link goo.gl/… beside a sale"),
])
def test_link_ties(text, kind, detail):
    (tie,) = ties(text)
    assert (tie.kind, tie.detail) == (kind, detail)
    assert text[tie.start:tie.end] == tie.text


@pytest.mark.parametrize("text", [
    "New post on the blog: bit.ly/3abcd",
    "My statement on the executive order: bit.ly/3abcd",                         # a shortener with no sale beside it
    "Buy my book today! bit.ly/3abcd",                            # own product: self-promotion, not a tie
    "https://www.amazon.com/dp/B01N5/ref=sr_1_1?keywords=kettle",  # Amazon's own search tracking
    "read https://blog.example.com/posts?tag=python",             # tag= on a blog is a topic
    "like our page https://www.facebook.com/acme?ref=hl",        # a platform's own click tracking
    "$50 billion in the budget deal https://t.co/KtBvuVDXR1",     # t.co wraps every link on X
    "buy it after watching youtu.be/abc123",                      # a video link is not a sale link
    "I love my Kindle",
])
def test_no_link_tie(text):
    assert ties(text) == []


@pytest.mark.parametrize("text", ["https://#ad", "http://?ref=x", "see https://?tag=a#b and www./x",
                                  "http://([{ hello", "www.[::1/x?ref=y"])
def test_a_link_with_no_host_is_read_without_error(text):
    """A link with no host, or one urllib cannot read (an unclosed "[" host), stopped the old
    reading with a ValueError (found by tests/test_rules_adversarial.py)."""
    assert ties(text) == []
    assert [link.domain for link in find_links(text)] != []
    assert isinstance(evidence_for_labels(text), list)


@pytest.mark.parametrize("text, word, tie", [
    # where the model's word and the tie agree
    ("https://www.amazon.com/dp/B01?tag=jane-20", "affiliate", "affiliate_link"),
    ("rstyle.me/n/abc", "affiliate", "affiliate_link"),
    ("Get yours amzn.to/3xYz", "shortener", "shortener_link"),
    ("https://en.wikipedia.org/wiki/Campfire", "link", None),
    # the differences kept so the model reads what it was trained on (companion/rules/links.py)
    ("https://github.com/x/y?ref=readme", "affiliate", None),       # navigation ?ref= on a platform
    ("https://shop.example/p?pid=7", "affiliate", None),             # click tracking, no payment sign
    ("https://app.example/join?referral_code=AB12", "link", "referral_link"),
    ("www.swagbucks.com/refer/jane", "link", "referral_link"),      # a referral path
])
def test_one_link_classifier_gives_the_models_word_and_the_tie(text, word, tie):
    (link,) = find_links(text)
    assert link.kind == word
    assert [t.kind for t in ties(text)] == ([tie] if tie else [])


# --- codes, gifts, partnerships, employers ----------------------------------------------

@pytest.mark.parametrize("text, kind, detail", [
    ("Use code SAVE20 for 20% off!", "discount_code", "discount code SAVE20"),
    ("20% off with my code jane15 🔥", "discount_code", "discount code jane15"),
    ("referral code: JANE10 gets you $10", "referral_code", "referral code JANE10"),
    ("Use my code at checkout", "discount_code", "asks readers to use their code"),
    ("code JANE20 for 15% off everything", "discount_code", "discount code JANE20"),
    ("Mit dem Rabattcode ANNA15 spart ihr 15%", "discount_code", "discount code ANNA15"),
    ("usa mi código ANA10 en la tienda", "discount_code", "discount code ANA10"),
    ("Go free on #Uber with credit code MIGUELT10", "referral_code", "referral code MIGUELT10"),
    # Codes in lower or mixed case, as YouTube descriptions give them (Mathur et al.'s set):
    # in quotes beside a sale, spaces inside the quotes, or straight before what they save.
    ('use code "mancat" for %10 off at FaZe member jersey!', "discount_code", "discount code mancat"),
    ('Use Code " GoldenGS " for up to a $200 Deposit Match', "discount_code", "discount code GoldenGS"),
    ("use code mancat for 10% off", "discount_code", "discount code mancat"),
    ("Use code Saints to save on your order", "discount_code", "discount code Saints"),
])
def test_code_ties(text, kind, detail):
    (tie,) = ties(text)
    assert (tie.kind, tie.detail) == (kind, detail)
    assert text[tie.start:tie.end] == tie.text


@pytest.mark.parametrize("text", [
    "Source code: GPL3 licensed, see the repo",   # "code:" with no sale nearby
    "use code blocks for snippets",                # not code-like, not a sale
    "Use code LAUNCH20 for 20% off my course",    # a code for your own product
    "Use code CASH16 for 20% off everything in our online shop",
    "*30% off site wide* code: NOVEMBER #shopsmart",  # a store's own sale
    'use code "blocks" for snippets',              # quoted, but no sale nearby
    'Shop Now & Take 15% Off Code: "Love" #handmade',  # a bare "Code:" takes a code-like token only
    "use code mancat when you write",             # lowercase, nothing saved after it
])
def test_no_code_tie(text):
    assert ties(text) == []


@pytest.mark.parametrize("text", [
    "Use code LAUNCH20 for 20% off my course",
    "My new soy candle shop is open! Use code WAX10 for 10% off",  # words between "my" and "shop"
    "Our handmade mugs are back, 20% off with code CLAY20",
    "My own prints, made in my garage: use code INK15 for 15% off",
])
def test_a_code_for_the_authors_own_product_is_no_tie(text):
    assert ties(text) == []
    (own,) = analyze(text).own_codes
    assert own.kind == "own_code" and text[own.start:own.end] == own.text


@pytest.mark.parametrize("text", [
    "Use code GLOW20 for 20% off at my favourite brand's shop",
    "Use code GLOW20 for 20% off at my all-time favorite store",
    "Use code GLOW20 for 20% off at my go-to skincare brand",
])
def test_a_favourite_shop_is_someone_elses(text):
    assert [t.kind for t in ties(text)] == ["discount_code"]
    assert analyze(text).own_codes == []


def test_gift_partnership_and_employer_ties():
    assert kinds("thanks @glowco for sending me this balm!") == ["disclosure", "gifted"]
    assert "gifted" in kinds("My PR package from @glowco arrived")
    assert kinds("I've partnered with @nike for this run") == ["paid_partnership"]
    # a statement that names its own tie is the tie and its clear disclosure
    seen = found("gifted by @glossier: love this balm")
    assert {(f.kind, f.start, f.end, f.grade) for f in seen} == {
        ("disclosure", 0, 19, "clear"), ("gifted", 0, 19, None)}
    seen = found("I work at Google and the new Pixel is great")
    assert [(f.kind, f.text, f.grade) for f in seen] == [
        ("disclosure", "I work at Google", "clear"), ("employer_tie", "I work at Google", None)]
    assert found("I work at home most days") == []


def test_brand_praise_is_evidence_but_not_a_strong_tie():
    (praise,) = found("Obsessed with my new hoodie from @cozyco")
    assert praise.kind == "brand_praise" and praise.detail == "praise for @cozyco"
    # shown as evidence, with no disclosure
    assert problems("Obsessed with my new hoodie from @cozyco") == ["praise for @cozyco"]


# --- disclosures and their grades ----------------------------------------------------------

@pytest.mark.parametrize("text, disclosure", [
    ("J'adore ce sérum #pub amzn.to/x", "#pub"),                      # French
    ("Anuncio: me encanta este sérum amzn.to/x", "Anuncio:"),         # Spanish
    ("anuncio | me encanta este sérum amzn.to/x", "anuncio |"),
    ("[Anuncio] me encanta este sérum amzn.to/x", "[Anuncio]"),
    ("Anuncio\nMe encanta este sérum amzn.to/x", "Anuncio"),         # alone on its line
    ("Me encanta este sérum #anuncio amzn.to/x", "#anuncio"),
    ("Me encanta este sérum #publicidad amzn.to/x", "#publicidad"),
    ("Dieses Serum ist toll #werbung amzn.to/x", "#werbung"),          # German
    ("Anzeige\nDieses Serum ist toll amzn.to/x", "Anzeige"),
    ("Anzeige: Dieses Serum ist toll amzn.to/x", "Anzeige:"),
    ("Świetne serum #reklama amzn.to/x", "#reklama"),                  # Polish, Czech
])
def test_disclosures_in_other_languages_are_clear(text, disclosure):
    assert [(d.text, d.grade) for d in disclosures(text)] == [(disclosure, "clear")]
    assert evidence_for_labels(text) == []


@pytest.mark.parametrize("text", [
    "Anuncio que me caso en mayo amzn.to/x",   # "I announce": a verb, not a label
    "#pubquiz tonight amzn.to/x",              # a longer tag that starts with "pub"
])
def test_words_like_other_languages_disclosures_are_not_disclosures(text):
    assert disclosures(text) == []


@pytest.mark.parametrize("text", [
    "#ad Love this serum amzn.to/x",
    "Ad: love this serum amzn.to/x",
    "Love this serum amzn.to/x #sponsored",
    "Sponsored by @glowco. Love this serum amzn.to/x",
    "Paid partnership with @glowco. amzn.to/x",
    "in partnership with @glowco (paid) amzn.to/x",
    "This is an affiliate link: I earn a commission. amzn.to/x",
    "As an Amazon Associate I earn from qualifying purchases. amzn.to/x",
    "Werbung\nDieses Serum ist toll amzn.to/x",
    "[Anzeige] Dieses Serum ist toll amzn.to/x",
    "Anzeige | Dieses Serum ist toll amzn.to/x",
    "Publicidad: me encanta este sérum amzn.to/x",
    "Me encanta este sérum #publicidad amzn.to/x",
    "Publicité : j'adore ce sérum amzn.to/x",
    "Amo esse sérum #publi amzn.to/x",
    "Full disclosure: I'm an advisor to Acme. Try it acme.example/buy?ref=me",
    "amzn.to/x (affiliate)",
    "🎉✨ #ad ✨ Loving this amzn.to/x",
    "Loving this amzn.to/x #makeupgoals#ad",
])
def test_clear_disclosures_cover_the_ties(text):
    assert disclosures(text), text
    assert set(grades(text)) == {"clear"}
    assert evidence_for_labels(text) == []


@pytest.mark.parametrize("text", [
    "Not sponsored, just love my amzn.to/x",
    "This isn't an #ad, I just love amzn.to/x",
    "No affiliate links here: amzn.to/x",
    "non-sponsored review amzn.to/x",
    "#notsponsored love amzn.to/x",
    "#adventure #adidas amzn.to/x",
    "#advertising tips for you amzn.to/x #adtech",
    "my#ad amzn.to/x",
    "Ich hasse Werbung, aber amzn.to/x ist gut",
    "loaded.ad: amzn.to/x",
])
def test_not_a_disclosure(text):
    assert not [d for d in disclosures(text) if d.grade == "clear"], text
    # the evidence: the tie with no disclosure at all (none that falls short either)
    evidence = evidence_for_labels(text)
    assert evidence and all(e["kind"] != "disclosure" for e in evidence), text


def beside_a_link(statement: str) -> str:
    return f"Camera: https://amzn.to/3abc\n{statement}"


def findings(reading) -> list[tuple[str, str, str]]:
    return [(d.text, d.category, grade) for d, grade in zip(reading.disclosures, reading.grades)]


# Standard affiliate statements from public guidance (docs/DISCLOSURE_SOURCES.md): each is a clear
# affiliate disclosure that covers the links of a short post.
@pytest.mark.parametrize("statement, found_text", [
    # FTC, Endorsement Guides FAQ
    ("I get commissions for purchases made through links in this post.", "I get commissions"),
    # FTC-style sample: "...I will be compensated if you make a purchase after clicking on my links"
    ("I will be compensated if you make a purchase after clicking on my links.", "I will be compensated"),
    ("We may receive compensation when you buy through these links.", "We may receive compensation"),
    # Amazon Associates Program Operating Agreement
    ("As an Amazon Associate I earn from qualifying purchases.", "As an Amazon Associate"),
    ("I earn from qualifying purchases.", "earn from qualifying purchases"),
    ("This blog is a participant in the Amazon Services LLC Associates Program.",
     "participant in the Amazon Services LLC Associates Program"),
    ("We participate in an affiliate advertising program designed to let sites earn advertising fees.",
     "affiliate advertising program"),
    # common wordings
    ("Affiliate link.", "Affiliate link"),
    ("I may earn a small commission.", "I may earn a small commission"),
    ("I may earn an affiliate commission.", "I may earn an affiliate commission"),
    ("I'll earn a little commission if you buy.", "I'll earn a little commission"),
    ("This channel may earn a commission.", "This channel may earn a commission"),
    ("Buying through these links earns me a small commission.", "earns me a small commission"),
    ("We get a share of the sale.", "We get a share of the sale"),
    ("Some links below are affiliate.", "links below are affiliate"),
    ("It costs you nothing extra: at no extra cost to you.", "at no extra cost to you"),
])
def test_standard_affiliate_statements_are_clear(statement, found_text):
    text = beside_a_link(statement)
    reading = analyze(text)
    assert (found_text, "affiliate", "clear") in findings(reading)
    assert evidence_for_labels(text) == []
    assert disclosed(reading)


@pytest.mark.parametrize("statement", [
    "I'd like to commission a portrait from @artist.",      # commission as a verb
    "Open for commissions, DM me.",
    "No affiliate links here, just things I like.",          # negation
    "These are not affiliate links.",
    "I don't earn a commission on this.",
    "I do not earn from qualifying purchases.",
    "I won't be compensated for this.",
    "The site gets fees from sellers.",                      # a fee, but no commission statement
    "The links are affiliated with nothing.",
    "Ships at no cost to you.",                              # not the affiliate idiom
    # look-alikes of the wordings Mathur et al. coded (test_wordings_the_paper_coded_are_clear)
    "How to make money with the AliExpress affiliate program: click here",   # the topic, not a tie
    "Want to join the Machinima affiliate program? Apply here:",
    "Support local farmers by buying at the market.",                      # support, but not this channel
    "I am not affiliated with any of the vendors in this video.",
    "The links are affiliated to nothing.",
])
def test_lookalikes_of_affiliate_statements_are_not_disclosures(statement):
    text = beside_a_link(statement)
    assert not [d for d in disclosures(text) if d.grade == "clear"], statement
    assert not disclosed(analyze(text))


# Wordings of the disclosure clusters Mathur et al. (CSCW 2018) coded, as they stand in the
# sentences of descriptions outside the set eval_mathur.py reports on.
@pytest.mark.parametrize("statement, found_text", [
    ("Purchase RP here and help support this channel via the amazon affiliate program (NA):",
     "via the amazon affiliate program"),
    ("Amazon Affiliate Product Link:", "Affiliate Product Link"),
    ("Some of the above bit.ly links are affiliated.", "links are affiliated"),
    ("Some links above may be affiliated links", "links above may be affiliated"),
    ("There are affiliated links attached to this video through Skimlinks.", "affiliated links"),
    ("Links may contain affiliate referrals.", "Links may contain affiliate"),
    ("* Description contains affiliate and referral links.", "Description contains affiliate"),
    ("Links above provided are based on affiliate system.", "affiliate system"),
    ("These are Amazon Associate links.", "Amazon Associate"),
    ("Help support the channel when shopping on Amazon:", "support the channel when shopping"),
    ("Support my channel when you shop on Amazon:", "support my channel when you shop"),
    ("Support our channel via Amazon shopping:", "support our channel via amazon shopping"),
    ("You can support this channel by purchasing from the links below!", "support this channel by purchasing"),
    ("Support us by shopping on Amazon!", "Support us by shopping"),
])
def test_wordings_the_paper_coded_are_clear(statement, found_text):
    reading = analyze(beside_a_link(statement))
    assert (found_text.lower(), "affiliate", "clear") in [(t.lower(), c, g) for t, c, g in findings(reading)]
    assert disclosed(reading)


def test_a_marker_naming_links_heads_the_list_after_it():
    """"(Affiliate Links)" over a run of links covers them all; "(affiliate link)" beside one
    link of two still leaves the other unmarked (LABELS.md)."""
    heading = "Our filming equipment - (Affiliate Links) https://amzn.to/3abc ▷ Lens https://amzn.to/3def"
    assert grades(heading) == ["clear"] and disclosed(analyze(heading))
    one = "Camera https://amzn.to/3abc (affiliate link) Lens https://amzn.to/3def"
    assert grades(one) == ["partial"] and not disclosed(analyze(one))


@pytest.mark.parametrize("tag", ["#sp", "#spon", "#collab", "#partner", "#ambassador"])
def test_weak_tags(tag):
    text = f"Love this serum {tag} amzn.to/x"
    (weak,) = disclosures(text)
    assert (weak.text, weak.grade) == (tag, "weak")
    assert problems(text) == [f"weak disclosure {tag}: not clear that it is paid", "Amazon short link amzn.to/…"]


def test_thanks_brand_is_weak_only_beside_a_tie():
    assert grades("thanks @glowco! use code GLOW10 for 10% off") == ["weak"]
    assert disclosures("thanks @sam for the ride home") == []


def test_buried_after_a_run_of_hashtags():
    text = "Love this serum amzn.to/x #skincare #beauty #glow #selfcare #ad"
    (d,) = disclosures(text)
    assert d.grade == "buried"
    assert problems(text) == ["Amazon short link amzn.to/…", "disclosure #ad buried after 4 hashtags"]
    assert grades("Love this serum amzn.to/x #skincare #beauty #glow #ad") == ["clear"]
    assert grades("#ad #skincare #beauty #glow #selfcare #makeup amzn.to/x") == ["clear"]
    # LABELS.md: a lone "*affiliate" at the very end of a long list of hashtags
    assert grades("Shop the look amzn.to/x #ootd #style #fashion #outfit #look *affiliate") == ["buried"]


def test_buried_below_the_first_lines_of_a_long_post():
    story = "I have been testing this serum for a month and here is what I think about it. " * 7
    assert len(story) > 400
    (d,) = disclosures(story + "amzn.to/x #ad")
    assert d.grade == "buried"
    assert problems(story + "amzn.to/x #ad")[-1] == "disclosure #ad buried below the first lines"
    assert grades("#ad " + story + "amzn.to/x") == ["clear"]
    assert grades(story[:300] + " amzn.to/x #ad") == ["clear"]  # a short post: the end is in view
    assert grades(story + "Affiliate links: I earn a commission.\nSerum amzn.to/x") == ["clear", "clear"]
    # a lone word like "sponsor" far down a long post without any tie is not a disclosure problem
    assert grades(story + "Thanks to everyone who came to the sponsor night") == ["clear"]


def test_partial_marker_covers_one_link_not_the_other():
    text = "Two picks: amzn.to/aaa (affiliate) and amzn.to/bbb"
    assert [(f.kind, f.text, f.grade) for f in found(text)] == [
        ("shortener_link", "amzn.to/aaa", None), ("disclosure", "(affiliate)", "partial"),
        ("shortener_link", "amzn.to/bbb", None)]
    evidence = evidence_for_labels(text)
    assert [(e["kind"], e["text"]) for e in evidence] == [
        ("disclosure", "(affiliate)"), ("shortener_link", "amzn.to/bbb")]
    assert problems(text) == ["(affiliate) marks one tie; others are unmarked", "Amazon short link amzn.to/…"]
    both = "Two picks: amzn.to/aaa (affiliate) and amzn.to/bbb (affiliate)"
    assert grades(both) == ["clear", "clear"] and evidence_for_labels(both) == []
    assert grades("affiliate link: amzn.to/aaa") == ["clear"]


def test_a_gift_disclosure_does_not_cover_a_discount_code():
    text = "#gifted by @glowco, use code GLOW10 for 10% off"
    (problem,) = evidence_for_labels(text)
    assert (problem["kind"], problem["text"]) == ("discount_code", "use code GLOW10")


# --- output shape and offsets --------------------------------------------------------------

def test_reading_and_evidence_shape():
    text = "Love it #sp amzn.to/x"
    assert found(text) == [
        Seen("disclosure", 8, 11, "#sp", grade="weak"),
        Seen("shortener_link", 12, 21, "amzn.to/x", detail="Amazon short link amzn.to/…"),
    ]
    assert evidence_for_labels(text) == [
        {"kind": "disclosure", "label": "missing_disclosure", "start": 8, "end": 11, "text": "#sp",
         "detail": "weak disclosure #sp: not clear that it is paid"},
        {"kind": "shortener_link", "label": "missing_disclosure", "start": 12, "end": 21, "text": "amzn.to/x",
         "detail": "Amazon short link amzn.to/…"},
    ]


def test_utf16_offsets_count_emoji_as_two():
    text = "🔥🔥 Use code SAVE20 for 20% off 😍 amzn.to/x"
    python = evidence_for_labels(text)
    utf16 = evidence_for_labels(text, offsets="utf16")
    assert [f["start"] for f in python] == [3, 33]
    assert [f["start"] for f in utf16] == [5, 36]
    units = text.encode("utf-16-le")
    for f in utf16:
        assert units[2 * f["start"]: 2 * f["end"]].decode("utf-16-le") == f["text"]
    assert evidence_for_labels(text, offsets="utf16")[0]["start"] == 5


@settings(max_examples=200, deadline=None)
@given(prefix=st.text(alphabet=st.sampled_from(["a", " ", "é", "😍", "👍", "🏽", "\n", "中", "𝓍"]), max_size=20),
       middle=st.text(alphabet=st.sampled_from(["x", " ", "🔥", "ß"]), max_size=10))
def test_utf16_spans_slice_the_same_text_as_python_spans(prefix, middle):
    text = f"{prefix}use code SAVE20{middle} amzn.to/x #sp"
    units = text.encode("utf-16-le")
    python, utf16 = evidence_for_labels(text), evidence_for_labels(text, offsets="utf16")
    assert [f["text"] for f in python] == [f["text"] for f in utf16] != []
    for p, u in zip(python, utf16):
        assert text[p["start"]:p["end"]] == p["text"]
        assert units[2 * u["start"]: 2 * u["end"]].decode("utf-16-le") == u["text"]


def test_bad_arguments():
    with pytest.raises(TypeError, match="text must be a str"):
        analyze(b"#ad")
    with pytest.raises(TypeError, match="text must be a str"):
        evidence_for_labels(b"#ad")
    with pytest.raises(ValueError, match="offsets must be one of"):
        evidence_for_labels("#ad", offsets="bytes")
    assert found("") == [] and evidence_for_labels("") == []
