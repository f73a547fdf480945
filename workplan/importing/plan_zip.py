"""The checks an untrusted .docx or .xlsx passes before a library parses it: a size limit, a real
zip archive, and no zip bomb or XML entity declarations (the same checks `import` applies)."""

from __future__ import annotations

from pathlib import Path

from workplan.core.labels import Message
from workplan.store.paths import os_reason
from .document import ReadError

MAX_DOCUMENT_BYTES = 50 * 2**20  # an issued plan with its table is well under 1 MB


def read_zip(path: Path, kind: object) -> bytes:
    from .workbook import _Rejected, check_zip

    try:
        size = path.stat().st_size
        if size > MAX_DOCUMENT_BYTES:
            raise ReadError(Message("ingest.too_big", path=path, size=f"{size:,}", limit=f"{MAX_DOCUMENT_BYTES:,}"))
        data = path.read_bytes()
    except OSError as exc:
        raise ReadError(Message("store.cannot_read_path", path=path, reason=os_reason(exc))) from None
    try:
        check_zip(data)
    except _Rejected as exc:
        raise ReadError(Message("ingest.bad_zip", path=path, kind=kind, reason=exc.args[0])) from None
    return data
