"""The one lookup of each of a trainee's own objects for a view, built on
`LogQuerySet.for_user`: anyone else's session or set does not exist for them (404); and
their own profile.

One of their own deleted since their page was drawn (in another tab, on another device, a
form sent twice) is said to be gone, with the way back (`GoneSaying`), when the request
carries the mark their page was drawn with (`had_mark`): signed for that trainee and that
row, it proves the row was theirs, so nobody else learns whether any row exists (a request
without one, or with another's, is the plain 404)."""

from __future__ import annotations

import base64
import functools
import hashlib
import hmac
import re

from django.conf import settings
from django.db.models import OuterRef, Subquery
from django.http import Http404, HttpRequest
from django.urls import reverse

from coaching.caching import ladder, with_rungs
from core.not_found import GoneSaying
from core.prepared import PreparedWith
from training.models import Profile, Set, TrainingSession


def get_session_for_user(request: HttpRequest, pk: int, **annotations) -> TrainingSession:
    """The session, with what its page asks of it besides (`annotations`) in the same query.

    The owner's unit (owner_unit; None without a profile) always comes along: every page of
    a session shows its weights in it, and a subquery here spares a query of its own. Its
    variation comes from the kept ladder, not a join. Each page's query is compiled once
    (core.prepared): the pages that add a set ask it on every set."""
    found = with_rungs(_SESSIONS.raw(annotations, pk, request.user.pk), rungs=ladder(request))
    if not found:
        raise Http404("No session matches the given query.")
    return found[0]


_SESSIONS = PreparedWith(
    lambda pk, user_id: (
        TrainingSession.objects.for_user(user_id)
        .filter(pk=pk)
        .annotate(
            owner_unit=Subquery(
                Profile.objects.filter(user_id=OuterRef("user_id")).values("unit")[:1]
            )
        )
    )
)


def get_profile_for_user(request: HttpRequest, **annotations) -> Profile:
    """The user's profile with their level and its tempo (from the kept ladder), which
    advice and level pages read, and what the page asks of it besides (`annotations`) in the
    same query, compiled once (core.prepared)."""
    found = _PROFILES.raw(annotations, request.user.pk)
    if not found:  # a user restored without one
        Profile.objects.get_or_create(user=request.user)
        found = _PROFILES.raw(annotations, request.user.pk)
    (profile,) = with_rungs(found, "level", rungs=ladder(request))
    profile.user = request.user  # the advice reads it: no second query for the same row
    return profile


_PROFILES = PreparedWith(lambda user_id: Profile.objects.filter(user_id=user_id))


SET_GONE = (
    "This set was deleted (in another tab or on another device), so it can no longer be "
    "changed; nothing was saved."
)


class SetGone(GoneSaying):
    """One of the trainee's sets, deleted since: `session_id` is its session while that is
    still theirs (where the way back goes), else None."""

    def __init__(self, session_id: int | None) -> None:
        if session_id is None:
            super().__init__(SET_GONE, reverse("training:log"), "Go to your log")
        else:
            url = reverse("training:session-detail", args=[session_id])
            super().__init__(SET_GONE, url, "Back to the session")
        self.session_id = session_id


def get_set_for_user(request: HttpRequest, pk: int) -> Set:
    found = (
        Set.objects.for_user(request.user)
        .select_related("session__variation__tempo")
        .filter(pk=pk)
        .first()
    )
    if found is not None:
        return found
    session_id = had(request, "set", pk)
    if session_id is None:
        raise Http404("No set matches the given query.")
    theirs = TrainingSession.objects.for_user(request.user).filter(pk=session_id).exists()
    raise SetGone(session_id if theirs else None)


# What a page gives with a link or form about one of the trainee's rows ("had=..."): its
# place (`where`, the set's session, say) and a MAC of the trainee, the kind of row, the row
# and that place. A MAC with a key made once, not django.core.signing's: a session page
# draws one for each set, where signing's 9 µs a row would cost more than the row.
HAD = "had"
_HAD_MARK = re.compile(r"([0-9]{1,12})\.([A-Za-z0-9_-]{22})")


def had_mark(kind: str, user_id: int, pk: int, where: int = 0) -> str:
    """The mark that `user_id` had the row `pk` of `kind` ("set", "import"), at `where`."""
    return f"{where}.{_mac(kind, user_id, pk, where)}"


def had(request: HttpRequest, kind: str, pk: int) -> int | None:
    """The place of the row the request's mark says its user had, or None without a mark of
    theirs for that row."""
    sent = request.POST.get(HAD) or request.GET.get(HAD) or ""
    match = _HAD_MARK.fullmatch(sent)
    if match is None:
        return None
    where = int(match[1])
    expected = _mac(kind, request.user.pk, pk, where)
    return where if hmac.compare_digest(match[2], expected) else None


def _mac(kind: str, user_id: int, pk: int, where: int) -> str:
    message = f"{kind}:{user_id}:{pk}:{where}".encode()
    digest = hmac.new(_had_key(settings.SECRET_KEY), message, hashlib.sha256).digest()
    return base64.urlsafe_b64encode(digest[:16]).decode().rstrip("=")


@functools.lru_cache(maxsize=4)
def _had_key(secret: str) -> bytes:
    return hashlib.sha256(b"training.lookups.had" + secret.encode()).digest()
