"""Every link in the README, docs/ and the model card resolves to a file inside the repository."""
from __future__ import annotations

import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
PAGES = [ROOT / "README.md", *sorted((ROOT / "docs").glob("*.md")), *sorted((ROOT / "models").glob("*.md"))]
LINK = re.compile(r"\[[^\]]*\]\(([^)\s]+)\)")
# Markdown paths named in code spans: `../shared/LABELS.md`, `docs/API.md`.
NAMED_PAGE = re.compile(r"`([^`\s]*\.md)`")


def targets(text: str) -> list[str]:
    return [t for t in LINK.findall(text) if not re.match(r"[a-z]+:|#", t)]


def inside(page_dir: Path, target: str) -> Path | None:
    path = (page_dir / target.split("#")[0]).resolve()
    return path if path.is_relative_to(ROOT) and path.exists() else None


@pytest.mark.parametrize("page", PAGES, ids=lambda p: str(p.relative_to(ROOT)))
def test_every_link_resolves_inside_the_repository(page):
    text = page.read_text()
    broken = [t for t in targets(text) if inside(page.parent, t) is None]
    assert broken == []
    outside = [name for name in NAMED_PAGE.findall(text)
               if name.startswith(("../", "/")) and inside(page.parent, name) is None]
    assert outside == []


def test_the_pages_link_to_the_label_guide():
    assert "docs/LABELS.md" in targets((ROOT / "README.md").read_text())
    assert inside(ROOT / "docs", "LABELS.md")


def test_the_model_card_generator_writes_links_that_resolve_from_models():
    source = (ROOT / "scripts" / "model" / "model_card.py").read_text()
    links = targets(source)
    assert links  # it links the label guide
    assert [t for t in links if inside(ROOT / "models", t) is None] == []
