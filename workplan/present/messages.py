"""Messages for the person at the keyboard, on stderr (never mixed into data on stdout)."""

from __future__ import annotations

from workplan.core.labels import CATALOGUE, t


def note(key: str, lang: str = "zh", /, **fields: object) -> None:
    """A message worded by catalogue key, in the reader's language (a text that is no key, already
    worded by its caller, is shown as it is)."""
    note_text(t(key, lang, **fields) if key in CATALOGUE else key)


def note_text(text: str) -> None:
    """A message already worded (by the module that made it). Registry text in a message cannot
    drive the terminal: controls are shown as escapes."""
    from rich.console import Console

    from workplan.present.text import visible_lines

    Console(stderr=True, highlight=False).print(visible_lines(text), markup=False, soft_wrap=True)  # one line
