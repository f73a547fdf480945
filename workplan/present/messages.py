"""Messages for the person at the keyboard, on stderr (never mixed into data on stdout)."""

from __future__ import annotations


def note(message: str) -> None:
    from rich.console import Console

    Console(stderr=True, highlight=False).print(message, markup=False)
