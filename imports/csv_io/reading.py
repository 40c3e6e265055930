"""A CSV file's records: the byte order mark dropped, the separator sniffed, bad rows reported."""

from __future__ import annotations

import csv
import itertools
from collections.abc import Callable, Iterator
from typing import TextIO

from core.text import code_point, first_control_character
from imports.budget import MAX_LINES, PROGRESS_EVERY
from imports.csv_io.errors import CsvImportError

# A backstop for files that did not come through the counted upload (csv_io/upload.py).
MAX_ROWS = MAX_LINES


def records(data: TextIO) -> Iterator[tuple[int, list[str]]]:
    """Yield (first physical line, cells) for each CSV record, the header first."""
    first = data.readline()
    first = first.removeprefix("\ufeff")
    if not first.strip():
        raise CsvImportError(
            1, "the file is empty; it should start with a header row naming the columns."
        )
    delimiter = ";" if first.count(";") > first.count(",") else ","
    lines = _without_control_characters(itertools.chain([first], data))
    reader = csv.reader(lines, delimiter=delimiter, strict=True)
    start = 1
    while True:
        try:
            row = next(reader)
        except StopIteration:
            return
        except csv.Error as error:
            raise CsvImportError(
                start, f"this row is not valid CSV ({error}); check its quotes."
            ) from None
        yield start, row
        start = reader.line_num + 1


def refuse_control_characters(text: str) -> None:
    """The whole upload at once, before it is kept for a job to read (PostgreSQL refuses NUL
    in the stored text): CsvImportError naming the first line with a control character."""
    found = first_control_character(text)
    if found is not None:
        raise _control_character_error(text.count("\n", 0, text.index(found)) + 1, found)


def _control_character_error(number: int, found: str) -> CsvImportError:
    return CsvImportError(
        number,
        f"this line holds a control character ({code_point(found)}), which is not "
        "text; remove it (or export the file again) and import it again.",
    )


def _without_control_characters(lines: Iterator[str]) -> Iterator[str]:
    """Each physical line, refused if it holds a control character (core/text.py): one in a
    cell nothing reads would still be kept with the upload, and PostgreSQL refuses NUL."""
    for number, line in enumerate(lines, start=1):
        found = first_control_character(line)
        if found is not None:
            raise _control_character_error(number, found)
        yield line


def column_index(header: list[str]) -> dict[str, int]:
    """Each column's position by its case-folded name, as rows are read."""
    return {name.strip().casefold(): index for index, name in enumerate(header)}


class Cells:
    """One data row, read by column name: cells("reps"), or cells.optional("RPE")."""

    __slots__ = ("_cells", "_columns")

    def __init__(self, cells: list[str], columns: dict[str, int]) -> None:
        self._cells, self._columns = cells, columns

    def __call__(self, name: str) -> str:
        return self._cells[self._columns[name.casefold()]]

    def optional(self, name: str) -> str:
        index = self._columns.get(name.casefold())
        return "" if index is None else self._cells[index]

    def values(self) -> tuple[str, ...]:
        """Every cell of the row, as written."""
        return tuple(self._cells)


Row = tuple[int, Cells]


def rows(
    records: Iterator[tuple[int, list[str]]],
    columns: dict[str, int],
    width: int,
    progress: Callable[[int], None] | None = None,
) -> Iterator[Row]:
    """Yield (first line, cells) for each data row that is not blank; every PROGRESS_EVERY
    rows `progress` is told how many were read (a job's progress and budget check)."""
    count = 0
    for line, cells in records:
        count += 1
        if progress is not None and count % PROGRESS_EVERY == 0:
            progress(count)
        if count > MAX_ROWS:
            raise CsvImportError(
                line,
                f"the file has more than {MAX_ROWS:,} rows; split it into smaller files and "
                "import them one after another.",
            )
        if not any(cell.strip() for cell in cells):
            continue
        if len(cells) != width:
            raise CsvImportError(
                line,
                f"this row has {len(cells)} columns but the header has {width}; "
                "a separator or a quote may be missing or extra.",
            )
        yield line, Cells(cells, columns)
