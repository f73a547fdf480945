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


FILTER_WORDS = {
    "zh": {"lead": "牵头单位", "direct": "仅直接牵头", "org": "涉及单位", "province": "省市", "dept": "责任部门",
           "section": "部分", "task": "主要任务", "status": "状态", "text": "关键词",
           "due_before": "截止日期不晚于", "due_after": "截止日期不早于"},
    "en": {"lead": "lead", "direct": "direct leads only", "org": "unit", "province": "province", "dept": "department",
           "section": "section", "task": "key task", "status": "status", "text": "words",
           "due_before": "due by", "due_after": "due from"},
}


def filters_in_words(filters, lang: str, *, skip: tuple[str, ...] = ()) -> str:
    """The filters as a reader says them (牵头单位：浙江省局；状态：推进中), never as options."""
    words = FILTER_WORDS[lang]
    sep, colon = t("word.semicolon", lang), t("word.colon", lang)
    parts = []
    for option, value in filters.given():
        if option.name in skip:
            continue
        if value is True:
            parts.append(words[option.name])
        else:
            parts.append(words[option.name] + colon + "、".join(value if isinstance(value, list) else [value]))
    return sep.join(parts)
