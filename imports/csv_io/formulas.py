"""Text cells a spreadsheet would run as a formula, neutralised on export and restored on import.

OWASP's advice against CSV injection: a cell starting with = + - @, a tab or a carriage
return gets a leading single quote. A text that starts with a quote gets one more, and the
import takes exactly one off, so the round trip stays exact.
"""

from __future__ import annotations

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r", "'")


def safe(text: str) -> str:
    """A free-text cell a spreadsheet shows as text instead of running it."""
    return "'" + text if text.startswith(FORMULA_STARTS) else text


def unsafe(text: str) -> str:
    """Undo `safe`, exactly."""
    return text[1:] if text.startswith("'") else text
