"""What the commands writing documents share: the project config, --pdf, filters in words."""

from __future__ import annotations

from pathlib import Path

import typer

from workplan.cli.app import UsageError
from workplan.core.labels import t


def project_config(path):
    """The project's workplan.toml (store.config); a bad one is one line on stderr and exit 1."""
    from workplan.store.config import ConfigError, load_config

    try:
        return load_config(path)
    except ConfigError as exc:
        from workplan.cli.app import current_lang, error_line

        error_line(exc, current_lang())
        raise typer.Exit(1) from None


def pdf_target(output: str) -> Path:
    """Where --pdf writes: the document's name with .pdf; refused at once without LibreOffice."""
    from workplan.exports.pdf import PdfUnavailable, soffice

    from workplan.store.atomic import check_target

    try:
        soffice()
    except PdfUnavailable:
        raise UsageError("error.pdf_no_office") from None
    target = Path(output).with_suffix(".pdf")
    check_target(target)
    return target


def write_pdf(exporter, job, target) -> None:
    """The PDF of an exporter's document (exports.registry.deliver_pdf); a failure is one line, exit 1."""
    from workplan.exports.pdf import PdfFailed
    from workplan.exports.registry import deliver_pdf

    try:
        deliver_pdf(exporter, job, target)
    except PdfFailed as exc:
        from workplan.cli.app import current_lang, error_line

        error_line(exc, current_lang())
        raise typer.Exit(1) from None


FILTER_WORDS = {"lead": "filter.lead", "direct": "filter.direct", "org": "filter.org", "province": "filter.province",
                "dept": "filter.dept", "section": "filter.section", "task": "filter.task", "status": "filter.status",
                "text": "filter.text", "due_before": "filter.due_before", "due_after": "filter.due_after"}


def filters_in_words(filters, lang: str, *, skip: tuple[str, ...] = ()) -> str:
    """The filters as a reader says them (牵头单位：浙江省局；状态：推进中), never as options."""
    sep, colon, comma = t("word.semicolon", lang), t("word.colon", lang), t("word.list_sep", lang)
    parts = []
    for option, value in filters.given():
        if option.name in skip:
            continue
        if value is True:
            parts.append(t(FILTER_WORDS[option.name], lang))
        else:
            parts.append(t(FILTER_WORDS[option.name], lang) + colon + comma.join(value if isinstance(value, list) else [value]))
    return sep.join(parts)
