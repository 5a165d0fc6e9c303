"""One decision for every label a user sees: the model's scores and the rules' reading combined.

Every surface goes through `judge()`: the server's /v1/classify, /v1/rank and /v1/check (and so
the badges, the popup's draft box and the compose panels) via `companion.server.engine`, and
`campfire label` / `campfire check`. The same text gets the same verdict everywhere.

`self_promotion` and `conversational` are the model's alone. `missing_disclosure` is decided
here, from LABELS.md and the evidence rules (`companion.rules.reading.analyze`):

- **disclosed** (the rules decide, flag off): the post carries a disclosure the label guide
  calls clear (#ad, Ad:, #sponsored, "affiliate links: I earn a commission", #gifted, "I work
  at X", ...), that disclosure covers every tie the rules found, and nothing falls short: no
  weak tag standing in for one (#sp, #spon, #collab, "thanks @brand"), no disclosure buried in
  a run of hashtags, no marker that covers one link while others go unmarked. A clear
  disclosure that is merely below the first lines of a long description still counts here
  (LABELS.md names only the hashtag pile as not clear); the draft checker still advises moving
  it up. The score shown is the model's, capped at `CLEARED_SHARE` of the threshold, so the
  number never reads as a flag.
- otherwise **the model decides**, at its threshold (labels.json). A weak tag, a disclosure in
  a hashtag pile or an uncovered affiliate link or code leaves the model in charge: on dev the
  model already flags those, and raising its score where the rules see an uncovered tie
  gained nothing there (it only added a false alarm), so no floor is applied.

- **own product** (the rules decide, flag off): a discount code the rules read as for the author's
  own product ("my new candle shop is open! use code WAX10", "our handmade mugs ... code CLAY20"),
  and no sign of anyone else's: no tie at all (not even a brand's @handle beside praise) and no
  disclosure, weak or clear. LABELS.md: "Own products need no disclosure"; the model reads any
  "use code" as a third party's tie. The score is capped as above.

Each label entry is `{"score", "flag"}`; missing_disclosure also carries `decided_by` ("model"
or "rules"), `model_score` (the model's own probability, for transparency and tuning) and, when
the rules decided, `why` (a key of `WHY`).
The thresholds and shares were chosen on dev only (scripts/model/evaluate.py); the Mathur et al.
descriptions (scripts/model/eval_mathur.py) are a held-out check, never tuned on.
"""
from __future__ import annotations

from collections.abc import Sequence
from typing import Protocol

from companion.rules.patterns import COVERED_BY
from companion.rules.reading import Reading, analyze

LABEL = "missing_disclosure"
# A cleared post shows at most this share of the threshold as its score.
CLEARED_SHARE = 0.5
MODEL, RULES = "model", "rules"
DECIDED_BY = (MODEL, RULES)
# Why the rules decided, in the entry's "why" (present only when decided_by is "rules").
WHY = {"disclosed": "a clear disclosure covers every tie",
       "own_product": "a code for the author's own product needs no disclosure"}


class Scorer(Protocol):
    labels: Sequence  # LabelInfo with .name and .threshold

    def predict(self, texts: Sequence[str], readings: Sequence[Reading] | None = None) -> list[dict]: ...


def _hashtag_buried(reading: Reading, index: int) -> bool:
    return "hashtag" in reading.buried_why.get(index, "")


def _names_links(d) -> bool:
    """"Affiliate links:" or "(affiliate links)" heading a list: LABELS.md's "Note: affiliate link"."""
    return d.category == "affiliate" and "link" in d.text.lower()


def disclosed(reading: Reading) -> bool:
    """A clear disclosure covers every tie, and no disclosure falls short (LABELS.md)."""
    if reading.weak_tags() or reading.weak_thanks() or reading.partial():
        return False
    usable = [d for i, d in enumerate(reading.disclosures)
              if (reading.grades[i] == "clear" or (reading.grades[i] == "buried" and not d.weak
                                                   and not _hashtag_buried(reading, i)))
              # a marker such as "(affiliate)" counts beside a tie it marks, not alone at the end;
              # one that names the links ("Affiliate links:" over a list) is a statement about them
              and (not d.marker or i in reading.owners or _names_links(d))]
    if not usable:
        return False
    if any(_hashtag_buried(reading, i) for i in range(len(reading.disclosures))):
        return False
    # A marker such as "(affiliate)" speaks for the tie beside it only (that one is already
    # covered), and for the brand praise around it: the same endorsement, not another tie.
    categories = {d.category for d in usable if not d.marker or _names_links(d)}
    return all(covered or _covers(categories, tie.kind) or tie.kind == "brand_praise"
               for tie, covered in zip(reading.ties, reading.covered))


def own_sale(reading: Reading) -> bool:
    """A discount code for the author's own product, and no sign of anyone else's: no tie (not
    even a brand's @handle beside praise) and no disclosure (LABELS.md: own products need none)."""
    return bool(reading.own_codes) and not reading.ties and not reading.disclosures


def _covers(categories: set[str], kind: str) -> bool:
    return bool(categories & COVERED_BY[kind])


def decide(labels: dict, reading: Reading, thresholds: dict[str, float]) -> dict:
    """The labels as users see them: `labels` is the model's {name: {"score", "flag"}}."""
    out = {name: dict(value) for name, value in labels.items()}
    model = labels[LABEL]
    threshold = thresholds[LABEL]
    entry = {"score": model["score"], "flag": model["flag"], "decided_by": MODEL, "model_score": model["score"]}
    why = "disclosed" if disclosed(reading) else "own_product" if own_sale(reading) else None
    if why:
        entry.update(score=round(min(model["score"], threshold * CLEARED_SHARE), 4), flag=False, decided_by=RULES,
                     why=why)
    out[LABEL] = entry
    return out


def thresholds_of(scorer: Scorer) -> dict[str, float]:
    return {label.name: label.threshold for label in scorer.labels}


def judge(scorer: Scorer, texts: Sequence[str], readings: Sequence[Reading] | None = None) -> list[dict]:
    """The labels users see for each text: the model over the batch, then the decision."""
    readings = list(readings) if readings is not None else [analyze(t) for t in texts]
    thresholds = thresholds_of(scorer)
    return [decide(labels, reading, thresholds)
            for labels, reading in zip(scorer.predict(texts, readings), readings)]
