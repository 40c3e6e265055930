"""The source apps an import reads, one module each; a new app is a module added to ADAPTERS."""

from __future__ import annotations

from imports.csv_io.adapters import hevy, ours, strong
from imports.csv_io.adapters.base import Adapter, Context
from imports.csv_io.errors import CsvImportError

# Tried in order; the first whose detect() takes the header reads the file.
ADAPTERS: tuple[Adapter, ...] = (ours.ADAPTER, strong.ADAPTER, hevy.ADAPTER)

__all__ = ["ADAPTERS", "Adapter", "Context", "adapter_for"]


def adapter_for(line: int, header: list[str]) -> Adapter:
    """The adapter for a file with this header row, or the error naming every format known."""
    for adapter in ADAPTERS:
        if adapter.detect(header):
            return adapter
    *others, last = (adapter.described for adapter in ADAPTERS)
    raise CsvImportError(
        line,
        "the first row is not a header we know. We import files exported from "
        f"{', from '.join(others)} and from {last}.",
    )
