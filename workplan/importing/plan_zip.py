"""The checks an untrusted .docx or .xlsx passes before a library parses it: a size limit, a real
zip archive, and no zip bomb or XML entity declarations (the same checks `import` applies)."""

from __future__ import annotations

from pathlib import Path

from .document import ReadError

MAX_DOCUMENT_BYTES = 50 * 2**20  # an issued plan with its table is well under 1 MB


def read_zip(path: Path, kind: str) -> bytes:
    from .workbook import _Rejected, check_zip

    try:
        size = path.stat().st_size
        if size > MAX_DOCUMENT_BYTES:
            raise ReadError(f"{path}: {size:,} bytes, over the {MAX_DOCUMENT_BYTES:,}-byte limit for a plan document")
        data = path.read_bytes()
    except OSError as exc:
        raise ReadError(f"{path}: cannot read: {exc.strerror or exc}") from None
    try:
        check_zip(data)
    except _Rejected as exc:
        raise ReadError(f"{path}: not a {kind} ({exc})") from None
    return data
