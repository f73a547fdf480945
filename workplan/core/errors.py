"""The errors the domain raises for the user to read; the CLI maps them to exit codes."""

from __future__ import annotations

from workplan.core.labels import CATALOGUE, Refusal


class UsageError(Refusal):
    """Bad input on the command line (a name, a date, a column): exit 2 with a one-line message,
    worded by catalogue key and shown in the reader's language by the error boundary.

    A text that is no key is shown as it is (for callers not yet worded by key; a test lists every
    key the code uses and fails on such texts)."""

    def text(self, lang: str = "zh") -> str:
        return super().text(lang) if self.key in CATALOGUE else self.key
