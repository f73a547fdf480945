"""Registry text made safe for a terminal.

Registry text is data. On a terminal a control character would be obeyed (ESC [2J clears the
screen, an OSC sequence renames the window), so every character that is not plain text is shown
as a visible escape instead (`\\x1b`, `\\u2028`). `validate` refuses such characters in the first
place; this is the second line, for text that reached the output some other way.
"""

from __future__ import annotations

import functools
import re

# C0 controls except tab and line feed, DEL, C1 controls, line/paragraph separators, the bidi
# embedding/override/isolate controls (they reorder what is shown), lone surrogates, and the
# non-characters U+FDD0-U+FDEF and U+xFFFE/U+xFFFF.
_NOT_PLAIN = re.compile(
    "[\x00-\x08\x0b-\x1f\x7f-\x9f\u2028\u2029\u202a-\u202e\u2066-\u2069\ud800-\udfff\ufdd0-\ufdef"
    + "".join(f"{chr(plane * 0x10000 + 0xFFFE)}{chr(plane * 0x10000 + 0xFFFF)}" for plane in range(17))
    + "]"
)


def _escape(match: re.Match) -> str:
    code = ord(match.group())
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}" if code < 0x10000 else f"\\U{code:08x}"


def visible(text: str) -> str:
    """The text with every character that is not plain text shown as an escape (`\\x1b`)."""
    if text.isprintable() or not _NOT_PLAIN.search(text):
        return text
    return _NOT_PLAIN.sub(_escape, text)


def visible_lines(text: str) -> str:
    """visible() for text whose line breaks are meant (a multi-line cell)."""
    return "\n".join(visible(line) for line in text.split("\n"))


# -- width -----------------------------------------------------------------------------------------


@functools.lru_cache(maxsize=1 << 16)  # table cells repeat (units, statuses, dates)
def text_width(text: str) -> int:
    """Terminal cells the text takes, as rich measures them (East Asian wide and full-width
    characters count 2, combining marks 0): the one measure of every table, plain or boxed."""
    if text.isascii() and text.isprintable():
        return len(text)
    from rich.cells import cell_len

    return cell_len(text)
