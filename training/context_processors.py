from functools import partial

from django.http import HttpRequest

from training.roles import can_coach


def navigation(request: HttpRequest) -> dict:
    # A callable: the template calls it only where it asks, for a signed-in visitor.
    return {"can_coach": partial(can_coach, request.user)}
