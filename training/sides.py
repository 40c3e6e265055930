"""Which leg a set is on, and the rules about sides, each written once.

A set is on the left or the right leg of a variation done one leg at a time, on both legs
of one done with both together, or of unknown side: a set imported from an app that
records no side (Strong, Hevy), one leg not yet named. The models' `Side` choices, the
forms, the import, the timer's log, the advice and the video pages read these. A set's
number on its side is `progression.side_numbers` (and its SQL twin,
`training.models.side_number_in_sql`).
"""

from __future__ import annotations

# The legs, the sides a variation is trained on and the orders of a plan are the timer's
# as well: written once, in coaching (sides.LEFT, sides.worked, sides.ORDERS read them).
from coaching.legs import BOTH, LEFT, ORDERS, RIGHT, worked

UNKNOWN = "unknown"
# The sides a set is on once its leg is named, in the order every page lists them.
NAMED = (LEFT, RIGHT, BOTH)


def recordable(one_side_at_a_time: bool) -> frozenset[str]:
    """The sides a set of such a variation may be saved with: an unknown side only where
    a leg should have been named."""
    unknown = (UNKNOWN,) if one_side_at_a_time else ()
    return frozenset((*worked(one_side_at_a_time), *unknown))


def mirror(side: str) -> str | None:
    """The other leg, to copy a set to it; none for both legs or an unknown side."""
    return {LEFT: RIGHT, RIGHT: LEFT}.get(side)


def plan_order(order: str, one_side_at_a_time: bool) -> str:
    """A coach's order of legs as done on the variation: both legs at once ignore it."""
    return order if one_side_at_a_time else BOTH


def in_order(order: str, count: int) -> list[str]:
    """The sides of `count` sets done one after another in `order`."""
    cycle = ORDERS[order]
    return [cycle[index % len(cycle)] for index in range(count)]


def next_leg(left: int, right: int, order: str | None = None) -> str:
    """The leg of the next set after `left` and `right` sets of a one-leg rung: the leg
    behind, else the first of a coach's `order` (every pair starts as the plan does), or
    the left without one."""
    if left != right:
        return RIGHT if left > right else LEFT
    return ORDERS[order][0] if order else LEFT
