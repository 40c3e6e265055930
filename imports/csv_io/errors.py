"""The one error an import raises, and how a bad cell is quoted in it."""

from __future__ import annotations


class CsvImportError(ValueError):
    """A file that cannot be imported; nothing from it was saved."""

    def __init__(self, line: int, message: str) -> None:
        self.line = line
        self.message = message
        super().__init__(f"Line {line}: {message}")


def got(raw: str) -> str:
    shown = raw if len(raw) <= 40 else raw[:40] + "…"
    return f"(got “{shown}”)"
