"""The one interface every source app's adapter has."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass

from imports.csv_io.checks import Catalogue
from imports.csv_io.plan import Plan
from imports.csv_io.reading import Row


@dataclass(frozen=True)
class Context:
    """What an adapter reads a file's rows with."""

    columns: dict[str, int]  # case-folded header name -> position
    catalogue: Catalogue
    pounds: bool  # the account's unit, for a file that does not say its own


@dataclass(frozen=True)
class Adapter:
    """One app's CSV export: how its header is recognised and its rows become a plan."""

    source: str  # ImportResult.source
    described: str  # the format, for the message about a header no adapter knows
    detect: Callable[[list[str]], bool]  # given the header row's cells
    plan: Callable[[Iterator[Row], Context], Plan]
