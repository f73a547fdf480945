"""Chinese line breaking for the terminal: where a line may end, and a rich Text that wraps there.

Rich breaks lines only at spaces, so a run of Chinese text is one "word" to it: it folds the run
at any character (a line may then start with "。" or end with "（") or, in a cell set to ellipsis,
cuts it. Here a line may break between two Chinese characters and after a space, never inside a
Latin word or a number (2024-09-30, 1/2), never before closing punctuation and never after opening
punctuation (the rules of 避头尾, GB/T 15834 and W3C clreq). Widths are rich's cell widths.
"""

from __future__ import annotations

import functools
import unicodedata
from typing import Iterator

from rich.cells import cell_len
from rich.text import Text

# No line starts with these (closing punctuation, and marks that belong to what precedes them).
NO_LINE_START = frozenset("。，、；：？！”’）》」』】〕〉〗〙〛﹂﹄…‥·—～%‰℃"
                          ",;:?!)]}") | frozenset("\u3002\uff0c\uff0e\uff1a\uff1b\uff01\uff1f\uff09\uff3d\uff5d")
# No line ends with these (opening punctuation, and signs that belong to what follows them).
NO_LINE_END = frozenset("“‘（《「『【〔〈〖〘〚﹁﹃([{¥$￥#") | frozenset("\uff08\uff3b\uff5b")


@functools.lru_cache(maxsize=4096)
def _wide(char: str) -> bool:
    """A character set on its own (Chinese, Japanese, full-width forms): a line may break beside it."""
    return unicodedata.east_asian_width(char) in "WF"


SPACES = frozenset(" \t\u3000")  # not the no-break space


def may_break(text: str, i: int, after_only: str | None = None) -> bool:
    """May a line end before text[i] (and the next begin with it)? With `after_only` ("、" for a
    list of unit names), only after one of its characters or a space: 浙江省局 stays whole."""
    before, after = text[i - 1], text[i]
    if after in NO_LINE_START or before in NO_LINE_END:
        return False
    if after in SPACES:
        return False  # the space stays at the end of the line it follows
    if before in SPACES:
        return True
    if after_only is not None:
        return before in after_only
    return _wide(before) or _wide(after)


def break_points(text: str, after_only: str | None = None) -> Iterator[int]:
    """Every index at which a line of `text` (no line feeds) may start, after the first."""
    for i in range(1, len(text)):
        if may_break(text, i, after_only):
            yield i


def line_offsets(text: str, width: int, after_only: str | None = None) -> list[int]:
    """Where to start new lines so that each line of `text` (no line feeds) fits `width` cells
    (trailing spaces aside). Greedy: each line takes as much as fits. A piece with no break
    point that is wider than the width (a long URL) is cut by cells, moving the cut so that no
    line starts with closing punctuation where a character can be moved."""
    width = max(width, 2)
    offsets: list[int] = []
    start, fits = 0, None
    points = [*break_points(text, after_only), len(text)]
    n = 0
    while n < len(points):
        end = points[n]
        if cell_len(text[start:end].rstrip()) <= width:
            fits, n = end, n + 1
            continue
        if fits is not None and fits > start:
            offsets.append(fits)
            start, fits = fits, None
            continue
        # text[start:end] cannot be broken and is too wide: cut it by cells.
        cut, used = start, 0
        while cut < end and used + cell_len(text[cut]) <= width:
            used += cell_len(text[cut])
            cut += 1
        while cut - 1 > start and text[cut] in NO_LINE_START:
            cut -= 1
        cut = max(cut, start + 1)
        offsets.append(cut)
        start, fits = cut, None
    return [o for o in offsets if 0 < o < len(text)]


def wrap_lines(text: str, width: int, after_only: str | None = None) -> list[str]:
    """The text as lines of at most `width` cells (line feeds kept, trailing spaces dropped)."""
    lines = []
    for line in text.split("\n"):
        cuts = [0, *line_offsets(line, width, after_only), len(line)]
        lines += [line[a:b].rstrip() for a, b in zip(cuts, cuts[1:])] or [""]
    return lines


def narrowest(text: str, after_only: str | None = None) -> int:
    """The cells of the widest piece of `text` that cannot be broken: the narrowest a column
    holding it may be without cutting."""
    widest = 0
    for line in text.split("\n"):
        points = [0, *break_points(line, after_only), len(line)]
        widest = max([widest, *(cell_len(line[a:b].rstrip()) for a, b in zip(points, points[1:]))])
    return widest


class WrappedText(Text):
    """A rich Text that wraps by the rules above wherever rich lays it out (a table cell, a panel,
    --help), and tells rich the narrowest it can be. `after_only`: see may_break."""

    after_only: str | None = None

    def wrap(self, console, width: int, *, justify=None, overflow=None, tab_size: int = 8, no_wrap=None):
        from rich.containers import Lines

        if no_wrap or self.no_wrap or overflow == "ignore":
            return super().wrap(console, width, justify=justify, overflow=overflow, tab_size=tab_size, no_wrap=no_wrap)
        lines = Lines()
        for line in self.split(allow_blank=True):
            if "\t" in line:
                line.expand_tabs(tab_size)
            pieces = line.divide(line_offsets(line.plain, width, self.after_only))
            for piece in pieces:
                piece.rstrip_end(width)
            justify_as = justify or self.justify
            if justify_as:
                pieces.justify(console, width, justify=justify_as, overflow="fold")
            for piece in pieces:
                piece.truncate(width, overflow="fold")
            lines.extend(pieces)
        return lines

    def __rich_measure__(self, console, options):
        from rich.measure import Measurement

        lines = self.plain.split("\n")
        return Measurement(narrowest(self.plain, self.after_only), max((cell_len(line) for line in lines), default=0))


def wrapped(text: Text) -> WrappedText:
    """The same text and styles, wrapping by the rules above."""
    out = WrappedText(text.plain, style=text.style, justify=text.justify, overflow=text.overflow,
                      no_wrap=text.no_wrap, end=text.end, tab_size=text.tab_size)
    out.spans = list(text.spans)
    return out
