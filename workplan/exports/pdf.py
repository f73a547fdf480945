"""PDF copies of the Word and Excel documents, made by LibreOffice (`soffice --headless`).

LibreOffice runs with a private, temporary profile, so a LibreOffice the user has open is not
disturbed and nothing is left in their profile. A document names the fonts an office expects
(仿宋_GB2312, 黑体 …); on a machine without them LibreOffice would pick any face, sometimes with
Japanese glyph forms. So the PDF is made from a copy that names, for each font list, the first face
installed here (store.config's lists end with the free Noto CJK SC faces).
"""

from __future__ import annotations

import shutil
import subprocess
import tempfile
from functools import lru_cache
from pathlib import Path

from workplan.core.labels import Refusal

CANDIDATES = ("soffice", "libreoffice")
TIMEOUT = 600


class PdfUnavailable(Refusal):
    """LibreOffice is not installed; the message says what to install."""


class PdfFailed(Refusal):
    """LibreOffice ran but made no PDF."""


def soffice() -> str:
    for name in CANDIDATES:
        found = shutil.which(name)
        if found:
            return found
    raise PdfUnavailable("error.pdf_no_office")


@lru_cache(maxsize=1)
def installed_fonts() -> frozenset[str]:
    """Family names fontconfig knows (empty where fc-list is missing, as on Windows)."""
    fc_list = shutil.which("fc-list")
    if not fc_list:
        return frozenset()
    try:
        listing = subprocess.run([fc_list, ":", "family"], capture_output=True, text=True, encoding="utf-8",
                                 errors="replace", timeout=60).stdout
    except (OSError, subprocess.SubprocessError):
        return frozenset()
    return frozenset(name.strip() for line in listing.splitlines() for name in line.split(","))


def installed_choice(fonts):
    """The font lists with the first installed face first (unchanged when none is known)."""
    known = installed_fonts()
    if not known:
        return fonts
    chosen = {}
    for key, faces in fonts.model_dump().items():
        here = [f for f in faces if f in known]
        chosen[key] = here[:1] + [f for f in faces if f not in here[:1]] if here else faces
    return type(fonts).model_validate(chosen)


def convert(source: Path, target: Path) -> Path:
    """Convert `source` (.docx or .xlsx) to the PDF `target`; PdfFailed when nothing comes out."""
    binary = soffice()
    with tempfile.TemporaryDirectory(prefix="workplan-pdf-") as tmp:
        tmp_dir = Path(tmp)
        profile = tmp_dir / "profile"
        outdir = tmp_dir / "out"
        outdir.mkdir()
        try:
            result = subprocess.run(
                [binary, f"-env:UserInstallation={profile.as_uri()}", "--headless", "--norestore",
                 "--convert-to", "pdf", "--outdir", str(outdir), str(source)],
                capture_output=True, text=True, encoding="utf-8", errors="replace", timeout=TIMEOUT)
        except subprocess.TimeoutExpired:
            raise PdfFailed("error.pdf_timeout", path=target, seconds=TIMEOUT) from None
        produced = outdir / (source.stem + ".pdf")
        if not produced.is_file():
            detail = (result.stderr or result.stdout).strip().splitlines()
            if detail:
                raise PdfFailed("error.pdf_failed_said", path=target, detail=detail[-1])
            raise PdfFailed("error.pdf_failed", path=target)
        from workplan.store.atomic import write_file

        write_file(target, produced.read_bytes())
    return target


def convert_built(build, suffix: str, target: Path) -> Path:
    """Let `build(stream)` write a document (with installed fonts), and convert it to `target`."""
    with tempfile.TemporaryDirectory(prefix="workplan-doc-") as tmp:
        source = Path(tmp) / (target.stem + suffix)
        with source.open("wb") as stream:
            build(stream)
        return convert(source, target)
