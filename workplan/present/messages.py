"""Messages for the person at the keyboard, on stderr (never mixed into data on stdout)."""

from __future__ import annotations


def note(message: str) -> None:
    """Registry text in a message cannot drive the terminal: controls are shown as escapes."""
    from rich.console import Console

    from workplan.present.text import visible_lines

    Console(stderr=True, highlight=False).print(visible_lines(message), markup=False)
