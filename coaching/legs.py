"""The legs a rung is trained on and the orders a plan takes them in, written once for the
timer (coaching/forms.py) and the log (training/sides.py, which adds a set's sides)."""

from __future__ import annotations

LEFT, RIGHT, BOTH = "left", "right", "both"

# The ways a timer plan, or the sets it logs, can take the legs.
SIDES = [
    ("left-right", "Left leg, then right"),
    ("right-left", "Right leg, then left"),
    ("alternating", "Alternate legs every rep"),
    ("both", "Both legs together"),
]

# The orders in which sets go from leg to leg, each a cycle: a timer plan's (SIDES), a
# prescription's, and the sides given to imported sets of unknown side.
ORDERS: dict[str, tuple[str, ...]] = {
    "left-right": (LEFT, RIGHT),
    "right-left": (RIGHT, LEFT),
    "alternating": (LEFT, RIGHT),  # legs swap every rep; each is still logged as its own set
    "left": (LEFT,),
    "right": (RIGHT,),
    "both": (BOTH,),
}


def worked(one_side_at_a_time: bool) -> tuple[str, ...]:
    """The sides a variation is trained on, in the order they come: each leg in turn, or
    both together. What a clip of a whole side can be of, and what the advice asks for."""
    return (LEFT, RIGHT) if one_side_at_a_time else (BOTH,)


def order_fits(order: str, one_side_at_a_time: bool) -> bool:
    """Whether a plan's order of legs can be done on such a variation."""
    return set(ORDERS[order]) <= set(worked(one_side_at_a_time))


def orders_for(one_side_at_a_time: bool) -> list[tuple[str, str]]:
    """The timer's orders of legs (SIDES) such a variation can be done in, to offer."""
    return [(order, label) for order, label in SIDES if order_fits(order, one_side_at_a_time)]
