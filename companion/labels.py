"""The labels, declared once: the shipped model's `labels.json` (models/labels.json in the
repository, companion/_model/labels.json in the wheel). The server, the scripts and the
extension's copies (checked by tests/test_extension_build.py) all follow it."""
from __future__ import annotations

import json
from pathlib import Path

LABELS_FILE = "labels.json"


def shipped_model_dir() -> Path:
    """The model shipped with the package (wheel), else the repository's models/ (source)."""
    packaged = Path(__file__).resolve().parent / "_model"
    if (packaged / LABELS_FILE).exists():
        return packaged
    return Path(__file__).resolve().parent.parent / "models"


def declared_labels() -> list[dict]:
    """Each label as labels.json declares it: name, title, description, threshold."""
    return json.loads((shipped_model_dir() / LABELS_FILE).read_text(encoding="utf-8"))["labels"]


# The label names in the shipped order: self_promotion, missing_disclosure, conversational.
LABEL_NAMES: tuple[str, ...] = tuple(label["name"] for label in declared_labels())
