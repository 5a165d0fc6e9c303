"""The evidence behind a ``missing_disclosure`` label, as `/v1/classify` shows it.

`evidence_for_labels(text, offsets="python", reading=None) -> list[dict]`: ties that no clear
disclosure covers, and the weak, buried or partial disclosures, as ``{"kind", "label":
"missing_disclosure", "start", "end", "text", "detail"}``, sorted by position; empty when the
post shows no problem. ``offsets="utf16"`` gives spans a browser extension can slice with
directly (see `companion.rules.offsets`); `reading` is `analyze(text)` when already done.
"""
from __future__ import annotations

from companion.rules.offsets import converter
from companion.rules.reading import Finding, Reading, analyze


def _disclosure_detail(a: Reading, i: int) -> str:
    d, grade = a.disclosures[i], a.grades[i]
    if grade == "weak":
        return f"weak disclosure {d.text}: not clear that it is paid"
    if grade == "buried":
        return f"disclosure {d.text} buried {a.buried_why[i]}"
    if grade == "partial":
        return f"{d.text} marks one tie; others are unmarked"
    return f"clear disclosure {d.text}"


def _problems(a: Reading) -> list[Finding]:
    """What stands behind missing_disclosure: unmarked ties and disclosures that fall short."""
    out = a.uncovered_ties()
    problem = {id(d) for d in a.weak_tags() + a.weak_thanks() + a.buried() + a.partial()}
    out += [Finding("disclosure", d.start, d.end, d.text, _disclosure_detail(a, i))
            for i, d in enumerate(a.disclosures) if id(d) in problem]
    return sorted(out, key=lambda f: (f.start, f.end, f.kind))


def evidence_for_labels(text: str, offsets: str = "python", reading: Reading | None = None) -> list[dict]:
    to = converter(text, offsets)
    reading = reading if reading is not None else analyze(text)
    return [{"kind": f.kind, "label": "missing_disclosure", "start": to(f.start), "end": to(f.end),
             "text": f.text, "detail": f.detail} for f in _problems(reading)]
