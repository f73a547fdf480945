"""The errors the domain raises for the user to read; the CLI maps them to exit codes."""

from __future__ import annotations


class UsageError(Exception):
    """Bad input on the command line (a name, a date, a column): exit 2 with a one-line message."""
