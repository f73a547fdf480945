"""ingest: an issued plan document (.docx, .pdf, .txt, .xlsx) → a registry draft that validates.

The readers import their libraries (python-docx, pdfplumber, openpyxl) inside themselves, so
nothing heavy is loaded before a document of that kind is read.
"""

from __future__ import annotations

import importlib
from pathlib import Path

from workplan.store.load import RegistryError, parse_yaml, registry_from_data

from workplan.core.labels import Message
from .document import PlanDocument, ReadError
from .draft import Draft, Overrides, build_draft
from .draft_yaml import draft_yaml

READERS = {".txt": ("plan_text", "read_text"), ".text": ("plan_text", "read_text"),
           ".docx": ("plan_docx", "read_docx"), ".pdf": ("plan_pdf", "read_pdf"),
           ".xlsx": ("plan_xlsx", "read_xlsx")}


def read_document(path: Path) -> PlanDocument:
    if not path.is_file():
        raise ReadError(Message("ingest.no_such_file", path=path))
    reader = READERS.get(path.suffix.lower())
    if reader is None:
        raise ReadError(Message("ingest.kind", path=path, suffix=path.suffix or Message("ingest.no_suffix")))
    module = importlib.import_module(f"{__package__}.{reader[0]}")
    return getattr(module, reader[1])(path)


def ingest(path: Path, target: Path, *, known_units: list[dict] | None, overrides: Overrides) -> tuple[Draft, str]:
    """(the draft, its YAML text), the text checked as a registry; ReadError if it is not one."""
    draft = build_draft(read_document(path), known_units=known_units, overrides=overrides)
    text = draft_yaml(draft)
    try:
        registry_from_data(parse_yaml(text, target), text, target)
    except RegistryError as exc:
        raise ReadError(Message("ingest.invalid_draft", path=path, count=len(exc.problems),
                                problems=[p.message for p in exc.problems[:3]])) from None
    return draft, text
