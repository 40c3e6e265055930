"""The coach's review flags and compliance: plain rules over numbers the views gather.

The balance between sides and when a side lags live here too: the athlete's own balance
note (progress.py), the coach's lag flag and the level advice's move up
(training/progression.py) judge by the same rule.
"""

from __future__ import annotations

import datetime
import re
from collections.abc import Iterable
from dataclasses import dataclass, replace
from decimal import Decimal

# A weaker side lags when more than this many percent behind: our own choice
# (coaching.ours.OUR_DEFAULT), the guide gives no number.
LAG_PERCENT = Decimal("10")
STALL_DAYS = 21
PAIN_DAYS = 14


@dataclass(frozen=True)
class Balance:
    """Work done by the left and the right side, over one session or several."""

    left: Decimal
    right: Decimal

    @property
    def asymmetry(self) -> Decimal | None:
        """How far the weaker side is behind the stronger, as a percentage."""
        stronger = max(self.left, self.right)
        if not stronger:
            return None
        return ((stronger - min(self.left, self.right)) / stronger * 100).quantize(Decimal("0.1"))

    @property
    def weaker(self) -> str | None:
        if self.left == self.right:
            return None
        return "left" if self.left < self.right else "right"


def set_work(reps: int, load_kg: Decimal) -> Decimal:
    """A set's work, as the kept totals count it (training.models.work_total): its reps
    times its load when it has one, else its reps."""
    return reps * load_kg if load_kg > 0 else Decimal(reps)


def between(left_work: Decimal, right_work: Decimal) -> Balance | None:
    """The balance of a session whose sides did this work; None unless both did some:
    holds alone do no work to compare (a side held for 30 s is not 100% behind one that
    did 12 reps)."""
    if not (left_work and right_work):
        return None
    return Balance(left_work, right_work)


def combined(balances: Iterable[Balance]) -> Balance:
    """The balance over several sessions: each side's work added up."""
    balances = list(balances)
    return Balance(
        sum((b.left for b in balances), Decimal(0)), sum((b.right for b in balances), Decimal(0))
    )


def lags(asymmetry: Decimal | None) -> bool:
    """Whether a weaker side this many percent behind lags: more than LAG_PERCENT does."""
    return asymmetry is not None and asymmetry > LAG_PERCENT


@dataclass(frozen=True)
class AthleteStats:
    today: datetime.date
    first_session: datetime.date | None
    last_session: datetime.date | None
    sessions_7d: int = 0
    sessions_30d: int = 0
    sessions_per_week: int | None = None  # from the prescription in force, if any
    prescribed_on: datetime.date | None = None  # that prescription's day
    lag_percent: Decimal | None = None  # the weaker side's lag over recent sessions
    lagging_side: str | None = None
    form_error_sessions: int = 0  # among the three most recent sessions
    pain_session_id: int | None = None  # the latest session with pain in the last 14 days
    # The painful sets of the last 14 days: how many, and the newest (the flag's subject).
    pain_sets: int = 0
    pain_set_id: int | None = None
    best_recent: tuple[Decimal, int, int] = (Decimal(0), 0, 0)  # load, reps, hold (21 days)
    best_before: tuple[Decimal, int, int] = (Decimal(0), 0, 0)  # the same, before that
    promotion_waiting: bool = False
    latest_session_id: int | None = None  # the newest session of the last 30 days
    told_to_stop: bool = False  # the level advice says to stop this exercise (for pain)
    # The newer of the day they joined and the day a current coaching link began: nobody is
    # idle for three weeks before they have been here, or coached, that long.
    active_since: datetime.date | None = None


# Every kind of flag the queue raises: a flag named in an address is one of them.
FLAG_KINDS = ("stop", "lag", "form-errors", "pain", "stalled", "inactive", "promotion")
# Flags no review closes: they stay open, first, while their cause lasts (the athlete told to
# stop the exercise for pain: a coach who saw the pain still sees that).
STAYS_OPEN = ("stop",)


@dataclass(frozen=True)
class Flag:
    kind: str  # one of FLAG_KINDS
    text: str
    severity: int  # higher is more urgent; the queue sorts on it
    # What raised it: a review covers this flag for this subject only, so another painful
    # set, in a new session or an old one (or any newer session, for the other kinds),
    # opens the flag again.
    subject: str = ""

    @property
    def reviewable(self) -> bool:
        return self.kind not in STAYS_OPEN


_PAIN_SUBJECT = re.compile(r"^painful sets (\d+), newest (\d+)$")


def _subject(stats: AthleteStats, kind: str) -> str:
    if kind == "pain":
        return f"painful sets {stats.pain_sets}, newest {stats.pain_set_id}"
    if kind == "inactive" or stats.latest_session_id is None:
        return f"last {stats.last_session.isoformat() if stats.last_session else 'never'}"
    return f"session {stats.latest_session_id}"


def pain_covered_by(subject: str, reviewed: str) -> bool:
    """Whether a review of the pain flag as `reviewed` still covers it as `subject`: no set
    newer than the newest reviewed is painful, nor more sets than were. Fewer (a set's pain
    taken back, old sets out of the two weeks) is no news."""
    now, then = _PAIN_SUBJECT.match(subject), _PAIN_SUBJECT.match(reviewed)
    if now is None or then is None:
        return subject == reviewed
    return all(int(a) <= int(b) for a, b in zip(now.groups(), then.groups(), strict=True))


def flag_session_id(stats: AthleteStats, flag: Flag) -> int | None:
    """The session a flag opens (pain: the newest painful one); none where no session raised
    it (inactive, or none in the last 30 days) or the athlete's page says more (told to
    stop: what they are told, beside their prescription)."""
    if flag.kind in ("inactive", "stop"):
        return None
    return stats.pain_session_id if flag.kind == "pain" else stats.latest_session_id


def compliance(stats: AthleteStats, days: int) -> int | None:
    """Sessions done over the last `days` as a percentage of those prescribed: None without
    a prescription, or with one younger than `days` (a plan given today is not 12% kept)."""
    per_week = stats.sessions_per_week
    if not per_week or stats.prescribed_on is None:
        return None
    if (stats.today - stats.prescribed_on).days < days:
        return None
    done = stats.sessions_7d if days == 7 else stats.sessions_30d
    expected = Decimal(per_week) * days / 7
    return round(Decimal(done) / expected * 100)


def flags(stats: AthleteStats) -> list[Flag]:
    result: list[Flag] = []
    if stats.told_to_stop:
        result.append(Flag("stop", "Told to stop this exercise for pain", 6))
    if stats.pain_session_id is not None:
        result.append(Flag("pain", "Pain flagged in the last two weeks", 5))
    if stats.form_error_sessions >= 2:
        result.append(
            Flag(
                "form-errors",
                f"Form errors in {stats.form_error_sessions} of the last 3 sessions",
                3,
            )
        )
    if lags(stats.lag_percent):
        result.append(
            Flag(
                "lag",
                f"{(stats.lagging_side or 'one').capitalize()} side {stats.lag_percent}% behind",
                2,
            )
        )
    if stats.promotion_waiting:
        result.append(Flag("promotion", "Ready to move up: promotion waiting", 4))
    window = stats.today - datetime.timedelta(days=STALL_DAYS)
    quiet_since = max(filter(None, (stats.last_session, stats.active_since)), default=None)
    if quiet_since is None or quiet_since < window:
        result.append(Flag("inactive", "No session in three weeks", 2))
    elif (
        # Judged on sessions within the window (best_recent's, after its first day): none
        # there, as for one who joined or linked lately after a long absence, is no stall.
        stats.last_session is not None
        and stats.last_session > window
        and stats.first_session is not None
        and stats.first_session <= window
        and all(r <= b for r, b in zip(stats.best_recent, stats.best_before, strict=True))
    ):
        result.append(Flag("stalled", "No progress in load, reps or holds for three weeks", 1))
    result = [replace(flag, subject=_subject(stats, flag.kind)) for flag in result]
    return sorted(result, key=lambda flag: -flag.severity)


def split_reviewed(flags_: Iterable[Flag], reviewed: dict[tuple[str, str], object]) -> tuple:
    """(open flags, [(flag, its review)]): a flag is reviewed when its kind and subject are,
    one that stays open (STAYS_OPEN) never."""
    open_, done = [], []
    for flag in flags_:
        found = reviewed.get((flag.kind, flag.subject)) if flag.reviewable else None
        if found is None:
            open_.append(flag)
        else:
            done.append((flag, found))
    return open_, done
