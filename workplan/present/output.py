"""Writing a document to a file, or to stdout for '-'."""

from __future__ import annotations

import sys


def write_text(path: str, text: str, *, bom: bool = False) -> None:
    """Write to a file, or to stdout when path is '-'."""
    from pathlib import Path

    if path == "-":
        sys.stdout.write(text)
        return
    Path(path).write_text(("\ufeff" if bom else "") + text, encoding="utf-8", newline="")


