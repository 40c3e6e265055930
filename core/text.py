"""The one rule for the characters a stored text may hold: no control characters.

A control character (Unicode's Cc: U+0000 to U+001F and U+007F to U+009F) is never
something a person typed. PostgreSQL refuses NUL in a text column outright (a server
error) while SQLite keeps it, and the others would show as nothing or as boxes: so each
is refused, on both engines alike, wherever text arrives. Tab, line feed and carriage
return are what multi-line text (a note, a CSV file) is made of and are kept. The
bidirectional embedding, override and isolate controls (U+202A to U+202E, U+2066 to
U+2069) go the same way: one in a name turns the text after it around on every page that
shows it (a page title, a link); right-to-left text needs none of them, and the marks
U+200E and U+200F are kept.

Where it is applied:
* every form field that takes text (`forms.CharField` and its subclasses, the admin's
  and the auth views' included): `ControlCharacterValidator`, made a default validator
  of CharField in core/apps.py, so a refusal is a message on the field;
* a CSV import, line by line as it is read (imports/csv_io/reading.py);
* names the browser gives an uploaded file, which are stored without theirs
  (`stored_file_name`).
Query strings and paths are refused at the door (core.middleware.RejectNulMiddleware).
"""

from __future__ import annotations

import re

from django.core.exceptions import ValidationError
from django.utils.deconstruct import deconstructible

_CONTROL_CHARACTERS = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")


def first_control_character(text: str) -> str | None:
    found = _CONTROL_CHARACTERS.search(text)
    return None if found is None else found.group()


def code_point(character: str) -> str:
    return f"U+{ord(character):04X}"


def without_control_characters(text: str) -> str:
    return _CONTROL_CHARACTERS.sub("", text)


def stored_file_name(name: str, limit: int = 255) -> str:
    """The name a browser gave an upload, as it is kept (only ever shown): without control
    characters, cut to fit its column."""
    return without_control_characters(name)[:limit]


@deconstructible
class ControlCharacterValidator:
    """Refuses text holding a control character, naming it.

    NUL is left to the validator Django gives every CharField already ("Null characters
    are not allowed."), so that a NUL is not reported twice.
    """

    code = "control_character"

    def __call__(self, value: object) -> None:
        if not isinstance(value, str):
            return
        found = first_control_character(value.replace("\x00", ""))
        if found is not None:
            raise ValidationError(
                "Remove the control character %(character)s: it is not text and cannot be "
                "stored (pasted text sometimes carries one).",
                code=self.code,
                params={"character": code_point(found)},
            )

    def __eq__(self, other: object) -> bool:
        return isinstance(other, ControlCharacterValidator)

    def __hash__(self) -> int:
        return hash(self.code)


def counted(count: int, noun: str) -> str:
    """A count with its noun in the right number, its thousands grouped: 1 session,
    2 sessions, 11,999 sets."""
    return f"{count:,} {noun}{'' if count == 1 else 's'}"
