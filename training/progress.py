"""Records, balance between sides and chart data, aggregated in the database."""

from __future__ import annotations

from decimal import Decimal
from types import SimpleNamespace

from django.db.models import DecimalField, ExpressionWrapper, F, Max, Q

from coaching.models import Variation
from training import charts, review
from training.models import TOTAL_FIELDS, LevelChange, Set, Side, TrainingSession
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


def personal_records(user) -> list[dict]:
    """Per variation and side: heaviest load (with its reps), most reps, longest hold, best e1RM,
    and the heaviest load for each rep count. Three queries, whatever the size of the log.
    """
    sets = Set.objects.filter(session__user=user)
    e1rm = ExpressionWrapper(
        F("load_kg") * (1 + F("reps") / 30.0),
        output_field=DecimalField(max_digits=20, decimal_places=10),
    )
    bests = {
        (row["session__variation"], row["side"]): row
        for row in sets.values("session__variation", "side").annotate(
            heaviest=Max("load_kg"),
            most_reps=Max("reps"),
            longest_hold=Max("hold_seconds"),
            best_e1rm=Max(e1rm, filter=Q(load_kg__gt=0, reps__lte=12)),
        )
    }
    # Heaviest load for each rep count, per side (a rep-max table).
    rep_maxes: dict[tuple[int, str], dict[int, Decimal]] = {}
    for row in (
        sets.filter(load_kg__gt=0)
        .values("session__variation", "side", "reps")
        .annotate(best=Max("load_kg"))
        .order_by("reps")
    ):
        rep_maxes.setdefault((row["session__variation"], row["side"]), {})[row["reps"]] = row[
            "best"
        ]
    variations = {v.pk: v for v in Variation.objects.filter(pk__in={k[0] for k in bests})}
    result = []
    for variation in sorted(variations.values(), key=lambda v: v.level):
        sides = []
        for side in (Side.LEFT, Side.RIGHT, Side.BOTH):
            row = bests.get((variation.pk, side))
            if row is None:
                continue
            heaviest = row["heaviest"] or None
            sides.append(
                {
                    "side": side,
                    "label": Side(side).label,
                    "heaviest": heaviest,
                    "heaviest_reps": _reps_at_load(
                        rep_maxes.get((variation.pk, side), {}), heaviest
                    ),
                    "most_reps": row["most_reps"],
                    "longest_hold": row["longest_hold"] or None,
                    "best_e1rm": row["best_e1rm"],
                    "rep_maxes": rep_maxes.get((variation.pk, side), {}),
                }
            )
        result.append({"variation": variation, "sides": sides})
    return result


def _reps_at_load(rep_maxes: dict[int, Decimal], load: Decimal | None) -> int | None:
    """The most reps done with `load`, read off the rep-max table."""
    if not load:
        return None
    return max((reps for reps, best in rep_maxes.items() if best == load), default=None)


MAX_CHART_POINTS = 120


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
    # Plain rows, not model instances: a long log has thousands of sessions to chart.
    sessions = [
        SimpleNamespace(**row)
        for row in TrainingSession.objects.for_user(user)
        .with_totals()
        .order_by("date", "pk")
        .values("pk", "date", *TOTAL_FIELDS)
    ]
    changes = list(
        LevelChange.objects.filter(user=user).select_related("to_variation").order_by("changed_at")
    )
    markers = [
        charts.Marker(change.changed_at.date(), f"Level {change.to_variation.level}")
        for change in changes
    ]

    def series(field: str, convert=float) -> list[charts.Series]:
        result = []
        for side, name in ((Side.LEFT, "Left"), (Side.RIGHT, "Right"), (Side.BOTH, "Both legs")):
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

    def in_unit(kg) -> float:
        return float(from_kg(Decimal(kg), unit))

    thinned = len(sessions) > MAX_CHART_POINTS
    load_chart = charts.line_chart(
        series("max_load", in_unit),
        title="Heaviest load per session",
        description="The heaviest load lifted in each session, left and right side.",
        y_label=f"Load ({unit})",
        chart_id="chart-load",
        markers=markers,
    )
    volume_chart = charts.line_chart(
        series("work"),
        title="Work per session",
        description="Reps times load (or reps, for body-weight sets) per session and side.",
        y_label="Reps × kg",
        chart_id="chart-volume",
        markers=markers,
    )
    hold_chart = charts.line_chart(
        series("hold"),
        title="Hold time per session",
        description="Seconds held at the top per session and side.",
        y_label="Seconds",
        chart_id="chart-hold",
        markers=markers,
    )
    balance_rows = []
    for session in reversed(sessions[-30:]):
        balance = session_balance(session)
        if balance is not None:
            balance_rows.append({"session": session, "balance": balance})
    asymmetry_series = (
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
    balance_chart = charts.line_chart(
        asymmetry_series,
        title="Balance between sides",
        description="How far the weaker side's work was behind the stronger side's, per session.",
        y_label="% behind",
        chart_id="chart-balance",
        markers=markers,
    )
    return {
        "load_chart": load_chart,
        "volume_chart": volume_chart,
        "hold_chart": hold_chart,
        "balance_chart": balance_chart,
        "balance_rows": balance_rows,
        "balance_note": balance_note(list(reversed(sessions[-6:]))),
        "session_count": len(sessions),
        "thinned": thinned,
        "has_holds": any(s.left_hold or s.right_hold or s.both_hold for s in sessions),
        "format_load": format_load,
    }
