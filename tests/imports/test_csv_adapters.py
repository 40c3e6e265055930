"""Each source app is one adapter in one list: found by its header, or a clear error."""

from __future__ import annotations

import io

import pytest

from imports.csv_io import (
    HEVY_COLUMNS,
    HIPTHRUST_COLUMNS,
    STRONG_COLUMNS,
    STRONG_OLDER_COLUMNS,
    CsvImportError,
    adapters,
    import_csv,
)
from imports.csv_io.adapters import ADAPTERS, Adapter, adapter_for
from imports.csv_io.plan import Plan

HEVY_IN_POUNDS = [
    "weight_lbs" if name == "weight_kg" else name.replace("_km", "_miles") for name in HEVY_COLUMNS
]
# An account in pounds: each load in pounds too, beside its kilograms.
HIPTHRUST_IN_POUNDS = (
    ",".join(HIPTHRUST_COLUMNS).replace(",load_kg,", ",load_kg,load_lb,").split(",")
)
HEADERS = [
    ("hipthrust", HIPTHRUST_COLUMNS),
    ("hipthrust", list(reversed(HIPTHRUST_COLUMNS))),  # by name, in any order
    ("hipthrust", HIPTHRUST_IN_POUNDS),
    ("strong", STRONG_COLUMNS),
    ("strong", STRONG_OLDER_COLUMNS),
    ("strong", [name.upper() for name in STRONG_COLUMNS]),
    ("hevy", HEVY_COLUMNS),
    ("hevy", HEVY_IN_POUNDS),
]
UNKNOWN_HEADER = (
    "the first row is not a header we know. We import files exported from hipthrust "
    f"({','.join(HIPTHRUST_COLUMNS)}, with load_lb beside load_kg for an account in pounds), "
    f"from Strong ({','.join(STRONG_COLUMNS)}, or "
    f"the older {';'.join(STRONG_OLDER_COLUMNS)}) and from Hevy "
    f"({','.join(HEVY_COLUMNS)}, with weight_lbs for an account in pounds)."
)


@pytest.mark.parametrize(("source", "header"), HEADERS)
def test_each_apps_export_is_found_by_its_header(source, header):
    assert adapter_for(1, header).source == source


def test_every_registered_adapter_has_a_header_it_is_found_by():
    assert {adapter.source for adapter in ADAPTERS} == {source for source, _ in HEADERS}


@pytest.mark.parametrize(
    "header",
    [
        ["date", "reps", "weight"],
        HIPTHRUST_COLUMNS[:-1],
        [*HIPTHRUST_COLUMNS, "extra"],
        [*HEVY_COLUMNS, "weight_lbs"],  # two load columns: which unit is it?
    ],
    ids=["unknown", "ours cut short", "ours with one more", "hevy with both units"],
)
def test_a_header_no_adapter_knows_is_refused_naming_every_format(header):
    with pytest.raises(CsvImportError) as caught:
        adapter_for(1, header)
    assert caught.value.line == 1
    assert caught.value.message == UNKNOWN_HEADER


@pytest.mark.django_db
def test_an_adapter_added_to_the_list_reads_the_files_it_detects(user, monkeypatch):
    read = []

    def plan(rows, context):
        read.extend((line, get("minutes")) for line, get in rows)
        return Plan(sessions=[], skipped_rows=len(read))

    third = Adapter(
        source="third-app",
        described="a third app (when,minutes)",
        detect=lambda header: header == ["when", "minutes"],
        plan=plan,
    )
    monkeypatch.setattr(adapters, "ADAPTERS", (*ADAPTERS, third))

    result = import_csv(user, io.StringIO("when,minutes\n2024-03-05,30\n"))

    assert (result.source, result.skipped_rows, read) == ("third-app", 1, [(2, "30")])
    with pytest.raises(CsvImportError, match=r"from Hevy \(.*\) and from a third app"):
        import_csv(user, io.StringIO("a,b\n"))
