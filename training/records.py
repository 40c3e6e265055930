"""Records, balance between sides and chart data, aggregated in the database."""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal
from types import SimpleNamespace
from typing import Any

from django.db.models import Case, DecimalField, ExpressionWrapper, F, When

from coaching.models import Variation
from training import balance as review
from training import charts, sides
from training.models import (
    TOTAL_FIELDS,
    AlikeSets,
    LevelChange,
    SessionTotals,
    Side,
    TrainingSession,
)
from training.units import format_load, from_kg


def session_balance(session: TrainingSession) -> review.Balance | None:
    """Work per side from a session annotated by SessionQuerySet.with_totals() (or a plain
    row of the same totals); None unless both sides have sets."""
    if not (session.left_sets and session.right_sets):
        return None
    return review.Balance(session.left_work, session.right_work)


def balance_note(sessions: list[TrainingSession]) -> str | None:
    """A plain sentence when one side lags (review.lags) over the recent sessions."""
    balances = [b for b in (session_balance(s) for s in sessions) if b is not None]
    total = review.combined(balances)
    if not review.lags(total.asymmetry):
        return None
    stronger = "right" if total.weaker == "left" else "left"
    count = len(balances)
    span = "your last session" if count == 1 else f"your last {count} sessions"
    return (
        f"Your {total.weaker} side did {total.asymmetry}% less work than your {stronger} "
        f"over {span}. Start each session with the {total.weaker} side and match its reps "
        f"on the {stronger}."
    )


# Epley's formula; past 12 reps it says little of a single rep (records.html says so).
E1RM_MOST_REPS = 12


def estimated_one_rep_max() -> Case:
    """A set's estimated one-rep max in kg, by Epley's formula: null for a set it does not
    count (body weight alone, or more than E1RM_MOST_REPS reps). The one definition: the
    record and the day it was set both read it."""
    epley = ExpressionWrapper(
        F("load_kg") * (1 + F("reps") / 30.0),
        output_field=DecimalField(max_digits=20, decimal_places=10),
    )
    return Case(
        When(load_kg__gt=0, reps__lte=E1RM_MOST_REPS, then=epley),
        default=None,
        output_field=DecimalField(max_digits=20, decimal_places=10),
    )


def personal_records(user) -> list[dict]:
    """Per variation and side: heaviest load (with its reps), most reps, longest hold, best e1RM,
    each with the day it was first set, and the heaviest load for each rep count.

    One query, of the trainee's groups of alike sets (AlikeSets, kept on write: variation,
    side, reps, load, hold and the first day one was done), each with its estimated one-rep
    max. There are as many groups as distinct sets, not as sets, so every record and its
    day is read off them here.
    """
    groups: dict[tuple[int, str], list[dict]] = {}
    for row in (
        AlikeSets.objects.filter(user=user)
        .annotate(e1rm=estimated_one_rep_max())
        .values("variation", "side", "reps", "load_kg", "hold_seconds", "first_day", "e1rm")
        .order_by()
    ):
        groups.setdefault((row.pop("variation"), row.pop("side")), []).append(row)
    variations = {v.pk: v for v in Variation.objects.filter(pk__in={k[0] for k in groups})}
    result = []
    for variation in sorted(variations.values(), key=lambda v: v.level):
        per_side = []
        for side in sides.NAMED:
            rows = groups.get((variation.pk, side))
            if rows is not None:
                per_side.append({"side": side, "label": Side(side).label, **_side_records(rows)})
        result.append({"variation": variation, "sides": per_side})
    return result


def _side_records(rows: list[dict]) -> dict:
    """The records of one variation and side from its groups of alike sets (each with
    `reps`, `load_kg`, `hold_seconds`, `first_day` and `e1rm`); a tie is the day it was
    first reached."""

    def first_day(matching) -> Any:
        return min(row["first_day"] for row in rows if matching(row))

    heaviest = max(row["load_kg"] for row in rows)
    heaviest_reps = max(row["reps"] for row in rows if row["load_kg"] == heaviest)
    most_reps = max(row["reps"] for row in rows)
    longest_hold = max(row["hold_seconds"] for row in rows)
    best_e1rm = max((row["e1rm"] for row in rows if row["e1rm"] is not None), default=None)
    rep_maxes: dict[int, Decimal] = {}
    for row in sorted(rows, key=lambda row: row["reps"]):
        if row["load_kg"] > 0 and row["load_kg"] > rep_maxes.get(row["reps"], 0):
            rep_maxes[row["reps"]] = row["load_kg"]
    return {
        "heaviest": heaviest or None,
        "heaviest_reps": heaviest_reps if heaviest else None,
        "most_reps": most_reps,
        "longest_hold": longest_hold or None,
        "best_e1rm": best_e1rm,
        "rep_maxes": rep_maxes,
        "heaviest_on": first_day(
            lambda row: row["load_kg"] == heaviest and row["reps"] == heaviest_reps
        ),
        "most_reps_on": first_day(lambda row: row["reps"] == most_reps),
        "longest_hold_on": first_day(lambda row: row["hold_seconds"] == longest_hold),
        # With no counted set, the side's first day (as the window query of old picked it).
        "best_e1rm_on": first_day(lambda row: best_e1rm is None or row["e1rm"] == best_e1rm),
    }


MAX_CHART_POINTS = 120
BALANCE_SESSIONS = 30  # the newest sessions in the balance table and chart
NOTE_SESSIONS = 6  # the newest sessions the progress page's balance note judges
_SERIES_NAMES = ((Side.LEFT, "Left"), (Side.RIGHT, "Right"), (Side.BOTH, "Both legs"))


def _thin(points: list[tuple]) -> tuple:
    """Keep a long history readable and light: the best value per week, then per month."""
    for bucket in (_week, _month):
        if len(points) <= MAX_CHART_POINTS:
            break
        best: dict = {}
        for day, value in points:
            key = bucket(day)
            if key not in best or value > best[key][1]:
                best[key] = (day, value)
        points = sorted(best.values())
    return (
        tuple(points[-MAX_CHART_POINTS:]) if len(points) > MAX_CHART_POINTS * 3 else tuple(points)
    )


def _week(day):
    year, week, _ = day.isocalendar()
    return (year, week)


def _month(day):
    return (day.year, day.month)


def progress_data(user, unit: str) -> dict:
    """Chart SVGs and the balance table, from two aggregate queries."""
    sessions = _session_totals(user, unit)
    markers = _level_markers(user)
    balance_rows = _balance_rows(sessions)
    return {
        "load_chart": _load_chart(sessions, markers, unit),
        "volume_chart": _volume_chart(sessions, markers, unit),
        "hold_chart": _hold_chart(sessions, markers),
        "balance_chart": _balance_chart(balance_rows, markers),
        "balance_behind": balance_behind(balance_rows),
        "balance_rows": balance_rows,
        "balance_note": balance_note(list(reversed(sessions[-NOTE_SESSIONS:]))),
        "session_count": len(sessions),
        "thinned": len(sessions) > MAX_CHART_POINTS,
        "has_holds": any(s.left_hold or s.right_hold or s.both_hold for s in sessions),
        "format_load": format_load,
    }


def _session_totals(user, unit: str) -> list[SimpleNamespace]:
    """Every session's side totals (work in `unit`), oldest first: their SessionTotals,
    kept on write, one row a session rather than every set."""
    names = {
        **{name: name for name in TOTAL_FIELDS if name != "set_count"},
        **{
            f"{side}_work": f"{side}_work" if unit == "kg" else f"{side}_work_{unit}"
            for side in sides.NAMED
        },
    }
    # Plain rows, not model instances: a long log has thousands of sessions to chart.
    return [
        SimpleNamespace(
            **{name: row[column] for name, column in names.items()},
            date=row["session__date"],
            pk=row["session_id"],
        )
        for row in SessionTotals.objects.filter(session__user=user)
        .order_by("session__date", "session_id")
        .values("session_id", "session__date", *names.values())
    ]


def _level_markers(user) -> list[charts.Marker]:
    """A marker on every chart for each change of level."""
    changes = LevelChange.objects.filter(user=user).select_related("to_variation")
    return [
        charts.Marker(change.changed_at.date(), f"Level {change.to_variation.level}")
        for change in changes.order_by("changed_at")
    ]


def _side_series(
    sessions: list[SimpleNamespace], field: str, convert: Callable[[Any], float] = float
) -> list[charts.Series]:
    """A series per side of one total (`max_load`, `work`, `hold`), for the sides that have it."""
    result = []
    for side, name in _SERIES_NAMES:
        count, value = f"{side}_sets", f"{side}_{field}"
        # Thin first, then convert: a long log converts its ~120 points, not thousands.
        points = _thin(
            [
                (s.date, getattr(s, value))
                for s in sessions
                if getattr(s, count) and getattr(s, value) is not None
            ]
        )
        if points:
            points = tuple((day, convert(v)) for day, v in points)
            result.append(charts.Series(name, points, side))
    return result


def _load_chart(sessions: list[SimpleNamespace], markers: list[charts.Marker], unit: str) -> str:
    def in_unit(kg) -> float:
        return float(from_kg(Decimal(kg), unit))

    return charts.line_chart(
        _side_series(sessions, "max_load", in_unit),
        title="Heaviest load per session",
        description="The heaviest load lifted in each session, left and right side.",
        y_label=f"Load ({unit})",
        chart_id="chart-load",
        markers=markers,
    )


def _volume_chart(sessions: list[SimpleNamespace], markers: list[charts.Marker], unit: str) -> str:
    return charts.line_chart(
        _side_series(sessions, "work"),
        title=f"Work per session: reps × {unit}, or reps alone for body-weight sets",
        description=(
            "Reps times load per session and side; a body-weight set counts its reps alone, "
            "so the line jumps when load is added."
        ),
        y_label=f"Reps × {unit} (or reps)",
        chart_id="chart-volume",
        markers=markers,
    )


def _hold_chart(sessions: list[SimpleNamespace], markers: list[charts.Marker]) -> str:
    return charts.line_chart(
        _side_series(sessions, "hold"),
        title="Hold time per session",
        description="Seconds held at the top per session and side.",
        y_label="Seconds",
        chart_id="chart-hold",
        markers=markers,
    )


def _balance_rows(sessions: list[SimpleNamespace]) -> list[dict]:
    """The balance of each recent session with both sides, newest first."""
    rows = []
    for session in reversed(sessions[-BALANCE_SESSIONS:]):
        balance = session_balance(session)
        if balance is not None:
            rows.append({"session": session, "balance": balance})
    return rows


def balance_behind(balance_rows: list[dict]) -> str:
    """Which side the balance chart's one line is, in words: "Of the last 28 sessions with
    both sides, the left side was behind in 20, the right in 6, and 2 were even."."""
    total = len(balance_rows)
    if not total:
        return ""
    counts = {"left": 0, "right": 0, None: 0}
    for row in balance_rows:
        counts[row["balance"].weaker] += 1
    sessions = "your one session" if total == 1 else f"the last {total} sessions"
    if counts[None] == total:
        return f"In {sessions} with both sides, the two sides were even."
    first, second = sorted(("left", "right"), key=lambda side: -counts[side])
    parts = [f"the {first} side was behind in {counts[first]}"]
    if counts[second]:
        parts.append(f"the {second} in {counts[second]}")
    if counts[None]:
        parts.append(f"{counts[None]} {'was' if counts[None] == 1 else 'were'} even")
    listed = parts[0] if len(parts) == 1 else ", ".join(parts[:-1]) + " and " + parts[-1]
    return f"Of {sessions} with both sides, {listed}."


def _balance_chart(balance_rows: list[dict], markers: list[charts.Marker]) -> str:
    """How far behind the weaker side was, per session: one line, whichever side it was."""
    series = (
        [
            charts.Series(
                "Weaker side behind (%)",
                tuple(
                    (row["session"].date, float(row["balance"].asymmetry or 0))
                    for row in reversed(balance_rows)
                ),
                "both",
            )
        ]
        if balance_rows
        else []
    )
    return charts.line_chart(
        series,
        title=f"Balance between sides. {balance_behind(balance_rows)}".strip(),
        description="How far the weaker side's work was behind the stronger side's, per session.",
        y_label="% behind",
        chart_id="chart-balance",
        markers=markers,
    )
