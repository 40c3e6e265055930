"""A trainee's log leaves as CSV and comes back exactly; Strong and Hevy exports come in too."""

from __future__ import annotations

import csv
import io
from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from coaching.models import FormError, Variation
from imports.csv_io import (
    HIPTHRUST_COLUMNS,
    CsvImportError,
    ImportResult,
    PreviewOutdated,
    duplicates,
    export_csv,
    import_csv,
    preview_csv,
    reading,
)
from imports.csv_io.save import save_preview
from training.forms import SetForm
from training.models import Profile, Set, TrainingSession
from training.units import to_kg

pytestmark = pytest.mark.django_db

HEADER = ",".join(HIPTHRUST_COLUMNS) + "\n"


def lb(pounds: str) -> Decimal:
    return to_kg(Decimal(pounds), "lb")


def export_text(user, **options) -> str:
    out = io.StringIO()
    export_csv(user, out, **options)
    return out.getvalue()


def import_text(user, text: str, **options) -> ImportResult:
    return import_csv(user, io.StringIO(text), **options)


def log_of(user) -> list[tuple]:
    """Everything saved for the user, in log order, without keys."""
    sessions = TrainingSession.objects.filter(user=user).order_by("date", "pk")
    return [
        (
            session.date.isoformat(),
            session.variation.slug,
            session.notes,
            [
                (
                    done.position,
                    done.side,
                    done.reps,
                    done.load_kg,
                    done.hold_seconds,
                    done.tempo,
                    done.rpe,
                    done.rir,
                    sorted(done.form_errors.values_list("slug", flat=True)),
                    done.pain,
                    done.note,
                )
                for done in session.sets.order_by("position")
            ],
        )
        for session in sessions.select_related("variation")
    ]


def sets_of(user) -> list[tuple]:
    """(date, variation, side, reps, load, rpe, note) per set, in log order."""
    return [
        (day, slug, done[1], done[2], done[3], done[6], done[10])
        for day, slug, _notes, sets in log_of(user)
        for done in sets
    ]


def add_session(user, day: str, slug: str, notes: str = "", sets=()) -> TrainingSession:
    session = TrainingSession.objects.create(
        user=user,
        date=date.fromisoformat(day),
        variation=Variation.objects.get(slug=slug),
        notes=notes,
    )
    for position, fields in sets:
        errors = fields.pop("form_errors", [])
        done = Set.objects.create(session=session, position=position, **fields)
        done.form_errors.set(FormError.objects.filter(slug__in=errors))
    return session


@pytest.fixture
def varied_log(user):
    """Several sessions, two on one day, created out of date order, with every kind of field."""
    add_session(
        user,
        "2024-01-15",
        "banded-single-leg-hip-thrust",
        "Band: the red one",
        # positions with a gap, as after a deleted set
        [
            (1, {"side": "left", "reps": 12, "load_kg": Decimal(0), "tempo": "3-0-1-2"}),
            (3, {"side": "right", "reps": 11, "load_kg": Decimal(0), "tempo": "3-0-1-2"}),
        ],
    )
    add_session(
        user,
        "2024-01-10",
        "floor-glute-bridge",
        'Felt good, "really" good\r\nsecond line — ünïcödé 🍑',
        [
            (1, {"side": "both", "reps": 15, "tempo": "2-0-1-1", "rpe": Decimal("7")}),
            (
                2,
                {
                    "side": "both",
                    "reps": 12,
                    "load_kg": Decimal("20"),
                    "rir": 2,
                    "pain": True,
                    "note": "knee, a bit\nthen fine",
                },
            ),
        ],
    )
    add_session(
        user,
        "2024-01-12",
        "single-leg-hip-thrust",
        "",
        [
            (
                1,
                {
                    "side": "left",
                    "reps": 10,
                    "hold_seconds": 3,
                    "rpe": Decimal("8.5"),
                    "form_errors": ["bouncing", "arched-lower-back"],
                    "note": 'said "ouch"',
                },
            ),
            (2, {"side": "right", "reps": 10, "hold_seconds": 3, "rir": 0}),
        ],
    )
    add_session(
        user,
        "2024-01-12",
        "loaded-single-leg-hip-thrust",
        "Pounds from the old gym, kilos from the new",
        [
            (1, {"side": "left", "reps": 8, "load_kg": lb("27.5"), "rpe": Decimal("10")}),
            (2, {"side": "right", "reps": 8, "load_kg": lb("135")}),
            (
                3,
                {
                    "side": "left",
                    "reps": 6,
                    "load_kg": Decimal("12.5"),
                    "pain": True,
                    "form_errors": ["knee-caving-in"],
                },
            ),
            (4, {"side": "right", "reps": 6, "load_kg": Decimal("500"), "hold_seconds": 600}),
        ],
    )
    add_session(user, "2024-01-14", "isometric-hold-single-leg-hip-thrust", "Rest, ran out of time")
    return user


# --- export -------------------------------------------------------------------


def test_export_writes_one_row_per_set_in_date_order_with_plain_values(varied_log):
    assert export_text(varied_log) == (
        HEADER
        + '1,2024-01-10,floor-glute-bridge,"Felt good, ""really"" good\r\nsecond line — ünïcödé'
        ' 🍑",1,both,15,0,0,2-0-1-1,7,,,no,\n'
        '1,2024-01-10,floor-glute-bridge,"Felt good, ""really"" good\r\nsecond line — ünïcödé'
        ' 🍑",2,both,12,20,0,,,2,,yes,"knee, a bit\nthen fine"\n'
        "2,2024-01-12,single-leg-hip-thrust,,1,left,10,0,3,,8.5,,arched-lower-back;bouncing,no,"
        '"said ""ouch"""\n'
        "2,2024-01-12,single-leg-hip-thrust,,2,right,10,0,3,,,0,,no,\n"
        "3,2024-01-12,loaded-single-leg-hip-thrust,"
        '"Pounds from the old gym, kilos from the new",1,left,8,12.473790175,0,,10,,,no,\n'
        "3,2024-01-12,loaded-single-leg-hip-thrust,"
        '"Pounds from the old gym, kilos from the new",2,right,8,61.23496995,0,,,,,no,\n'
        "3,2024-01-12,loaded-single-leg-hip-thrust,"
        '"Pounds from the old gym, kilos from the new",3,left,6,12.5,0,,,,knee-caving-in,yes,\n'
        "3,2024-01-12,loaded-single-leg-hip-thrust,"
        '"Pounds from the old gym, kilos from the new",4,right,6,500,600,,,,,no,\n'
        '4,2024-01-14,isometric-hold-single-leg-hip-thrust,"Rest, ran out of time",,,,,,,,,,,\n'
        "5,2024-01-15,banded-single-leg-hip-thrust,Band: the red one,"
        "1,left,12,0,0,3-0-1-2,,,,no,\n"
        "5,2024-01-15,banded-single-leg-hip-thrust,Band: the red one,"
        "2,right,11,0,0,3-0-1-2,,,,no,\n"
    )


def test_export_returns_the_rows_written_after_the_header(varied_log):
    assert export_csv(varied_log, io.StringIO()) == 11


def test_export_of_an_empty_log_is_the_header_alone(user):
    assert export_text(user) == HEADER


def test_export_holds_only_the_users_own_sessions(varied_log, other_user):
    add_session(other_user, "2024-02-01", "floor-glute-bridge", "not Ada's")
    assert "not Ada's" not in export_text(varied_log)
    assert export_text(other_user).count("\n") == 2


# --- round trip and duplicates ------------------------------------------------------


def test_a_log_exported_and_imported_into_a_fresh_account_exports_identically(
    varied_log, other_user
):
    exported = export_text(varied_log)

    result = import_text(other_user, exported)

    assert result == ImportResult(
        source="hipthrust", sessions=5, sets=10, skipped_rows=0, duplicate_sessions=0, notes=()
    )
    assert export_text(other_user) == exported
    assert log_of(other_user) == [
        (day, slug, notes, [(position, *rest) for position, (_, *rest) in enumerate(sets, start=1)])
        for day, slug, notes, sets in log_of(varied_log)
    ]


def test_importing_the_same_file_twice_adds_nothing_the_second_time(varied_log, other_user):
    exported = export_text(varied_log)
    import_text(other_user, exported)
    saved = log_of(other_user)

    again = import_text(other_user, exported)

    assert (again.sessions, again.sets, again.duplicate_sessions) == (0, 0, 5)
    assert log_of(other_user) == saved


def test_it_exports_a_pound_users_loads_in_pounds_beside_kilograms(user_client, varied_log):
    Profile.objects.filter(user=varied_log).update(unit="lb")
    response = user_client.get(reverse("imports:export"))
    assert response.status_code == 200
    rows = list(csv.DictReader(io.StringIO(response.content.decode())))
    header = response.content.decode().splitlines()[0].split(",")
    assert header[header.index("load_kg") + 1] == "load_lb"
    loaded = [row for row in rows if row["variation"] == "loaded-single-leg-hip-thrust"]
    assert [(row["load_kg"], row["load_lb"]) for row in loaded] == [
        ("12.473790175", "27.5"),
        ("61.23496995", "135"),
        ("12.5", "27.56"),
        ("500", "1102.31"),
    ]
    assert {row["load_lb"] for row in rows if row["load_kg"] == "0"} == {"0"}
    # The session without sets is still one row with every set cell empty.
    assert [row["load_lb"] for row in rows if row["session"] == "4"] == [""]


def test_it_reads_back_a_pound_users_export_as_the_same_sets(varied_log, other_user):
    exported = export_text(varied_log, unit="lb")

    result = import_text(other_user, exported, unit="lb")

    assert (result.source, result.sessions, result.sets) == ("hipthrust", 5, 10)
    assert log_of(other_user) == [
        (day, slug, notes, [(position, *rest) for position, (_, *rest) in enumerate(sets, start=1)])
        for day, slug, notes, sets in log_of(varied_log)
    ]
    assert export_text(other_user, unit="lb") == exported
    again = import_text(other_user, exported, unit="lb")
    assert (again.sessions, again.sets, again.duplicate_sessions) == (0, 0, 5)


def test_it_takes_a_load_given_in_load_lb_alone_and_refuses_two_loads_that_differ(user):
    header = HEADER.replace(",load_kg,", ",load_kg,load_lb,")
    row = "1,2024-03-04,loaded-single-leg-hip-thrust,,1,left,8,{kg},{lb},0,,,,,no,\n"
    with pytest.raises(CsvImportError) as caught:
        import_text(user, header + row.format(kg="20", lb="45"), unit="lb")
    assert caught.value.line == 2
    assert caught.value.message == (
        "load_kg and load_lb are different loads: 20 kg is 44.09 lb, not 45 lb. Change one "
        "to match the other, or empty one of them."
    )
    assert not TrainingSession.objects.filter(user=user).exists()

    import_text(user, header + row.format(kg="", lb="45"), unit="lb")
    assert [done[4] for done in sets_of(user)] == [lb("45")]


def test_a_session_with_other_sets_than_the_logged_one_is_not_a_duplicate(user):
    add_session(
        user, "2024-03-04", "single-leg-hip-thrust", "", [(1, {"side": "left", "reps": 12})]
    )
    text = HEADER + (
        "1,2024-03-04,single-leg-hip-thrust,,1,left,12,0,0,,,,,no,\n"
        "2,2024-03-04,single-leg-hip-thrust,,1,left,11,0,0,,,,,no,\n"
        "3,2024-03-04,single-leg-hip-thrust,,1,left,12,0,0,,,,,no,\n"
    )

    result = import_text(user, text)

    # The first matches the logged session; the third would match it too, but it is
    # already accounted for, so the user logged that session twice.
    assert (result.sessions, result.sets, result.duplicate_sessions) == (2, 2, 1)
    assert TrainingSession.objects.filter(user=user).count() == 3


def test_another_users_identical_session_does_not_make_an_import_a_duplicate(
    varied_log, other_user
):
    exported = export_text(varied_log)
    before = log_of(varied_log)

    result = import_text(other_user, exported)

    assert result.duplicate_sessions == 0
    assert log_of(varied_log) == before


def test_import_writes_only_to_the_importing_user(user, other_user):
    add_session(
        other_user,
        "2024-02-01",
        "floor-glute-bridge",
        "Grace's",
        [(1, {"side": "both", "reps": 9})],
    )
    before = log_of(other_user)

    import_text(user, HEADER + "1,2024-02-01,floor-glute-bridge,Grace's,1,both,9,0,0,,,,,no,\n")

    assert log_of(other_user) == before
    assert log_of(user) == [
        (
            "2024-02-01",
            "floor-glute-bridge",
            "Grace's",
            [(1, "both", 9, Decimal(0), 0, "", None, None, [], False, "")],
        )
    ]


def test_positions_follow_file_order_and_tolerant_cells_are_read(user):
    text = HEADER + (
        "7,2024-03-04,single-leg-hip-thrust,Notes,9,Right,12,,,3 - 0 - 1 - 1,8,,"
        " bouncing ; bouncing ;,YES,\n"
        "7,,,,2,LEFT,11,0.00,5,,,,,,\n"
    )

    import_text(user, text)

    assert log_of(user) == [
        (
            "2024-03-04",
            "single-leg-hip-thrust",
            "Notes",
            [
                (
                    1,
                    "right",
                    12,
                    Decimal(0),
                    0,
                    "3-0-1-1",
                    Decimal("8"),
                    None,
                    ["bouncing"],
                    True,
                    "",
                ),
                (2, "left", 11, Decimal(0), 5, "", None, None, [], False, ""),
            ],
        )
    ]


def test_a_byte_order_mark_crlf_and_semicolons_are_tolerated(user):
    text = (
        "\ufeff"
        + HEADER.replace(",", ";")
        + (
            "1;2024-03-04;loaded-single-leg-hip-thrust;;1;left;10;12,5;0;;;;;no;\n"
            "1;2024-03-04;loaded-single-leg-hip-thrust;;2;right;10;12.5;0;;;;;no;\n"
        )
    )

    result = import_text(user, text.replace("\n", "\r\n"))

    assert (result.source, result.sets) == ("hipthrust", 2)
    assert sets_of(user) == [
        ("2024-03-04", "loaded-single-leg-hip-thrust", "left", 10, Decimal("12.5"), None, ""),
        ("2024-03-04", "loaded-single-leg-hip-thrust", "right", 10, Decimal("12.5"), None, ""),
    ]


def test_a_session_dated_tomorrow_is_accepted_for_time_zones_ahead(user):
    tomorrow = (timezone.localdate() + timedelta(days=1)).isoformat()
    import_text(user, HEADER + f"1,{tomorrow},floor-glute-bridge,,1,both,10,0,0,,,,,no,\n")
    assert TrainingSession.objects.get(user=user).date.isoformat() == tomorrow


# --- malformed files ---------------------------------------------------------------

VALID_ROWS = (
    "1,2024-03-04,single-leg-hip-thrust,,1,left,12,0,0,3-0-1-1,8,,,no,\n"
    '1,2024-03-04,single-leg-hip-thrust,,2,right,12,0,0,3-0-1-1,8,,,no,"two\nlines"\n'
)
BAD_LINE = 5  # header, a row, a row over two lines, then the bad one

ROW = {  # a valid row starting session 2; the cases change one cell
    "session": "2",
    "date": "2024-03-05",
    "variation": "single-leg-hip-thrust",
    "session_notes": "",
    "position": "1",
    "side": "left",
    "reps": "12",
    "load_kg": "0",
    "hold_seconds": "0",
    "tempo": "",
    "rpe": "",
    "rir": "",
    "form_errors": "",
    "pain": "no",
    "note": "",
}
assert list(ROW) == HIPTHRUST_COLUMNS


def row(**changes: str) -> str:
    out = io.StringIO()
    csv.writer(out, lineterminator="\n").writerow({**ROW, **changes}.values())
    return out.getvalue()


VARIATIONS = (
    "floor-glute-bridge, two-up-one-down-hip-thrust, single-leg-hip-thrust, "
    "loaded-single-leg-hip-thrust, isometric-hold-single-leg-hip-thrust, "
    "banded-single-leg-hip-thrust, foot-elevated-single-leg-hip-thrust"
)
FUTURE = (timezone.localdate() + timedelta(days=3)).isoformat()

MALFORMED = [
    (
        "bad reps",
        row(reps="0"),
        "reps: Reps must be at least 1; 0 reps is only for a hold, with its seconds in Hold. "
        "(got “0”)",
    ),
    ("reps over 100", row(reps="101"), "reps: Reps must be at most 100. (got “101”)"),
    ("fractional reps", row(reps="8.5"), "reps: Enter a whole number. (got “8.5”)"),
    ("negative load", row(load_kg="-5"), "load_kg: Load cannot be negative. (got “-5”)"),
    (
        "a load that is not a number",
        row(load_kg="heavy"),
        "load_kg must be a number of kilograms, 0 or more (got “heavy”).",
    ),
    (
        "load over 500",
        row(load_kg="500.5"),
        "load_kg: That is more than 500 kg; check the number. (got “500.5”)",
    ),
    (
        "load with more than two decimals",
        row(load_kg="22.499999"),
        "load_kg: A load has at most two decimals (12.25). (got “22.499999”)",
    ),
    (
        "hold over 600",
        row(hold_seconds="601"),
        "hold_seconds: A hold can be at most 10 minutes (600 s). (got “601”)",
    ),
    (
        "unknown variation",
        row(variation="kickback"),
        f"variation “kickback” does not exist; use one of {VARIATIONS}.",
    ),
    (
        "bad tempo",
        row(tempo="3-0-1"),
        "tempo “3-0-1” is not valid. Write the tempo as four numbers of seconds joined by "
        "dashes, like 3-0-1-2.",
    ),
    (
        "impossible tempo",
        row(tempo="3-0-0-1"),
        "tempo “3-0-0-1” is not valid. Lowering and lifting each take at least one second.",
    ),
    (
        "unreal date",
        row(date="2024-02-30"),
        "date must be a real date written like 2024-03-05 (got “2024-02-30”).",
    ),
    (
        "ancient date",
        row(date="1989-12-31"),
        "the date “1989-12-31” is too far in the past; the log starts in 1990.",
    ),
    (
        "future date",
        row(date=FUTURE),
        f"the date “{FUTURE}” is in the future; only past sessions can be logged.",
    ),
    ("rpe 7.3", row(rpe="7.3"), "rpe must be from 6 to 10 in half steps, like 7.5 (got “7.3”)."),
    (
        "rir 11",
        row(rir="11"),
        "rir must be one of 0 to 5, as when a set is logged by hand (got “11”).",
    ),
    (
        "rpe and rir",
        row(rpe="8", rir="2"),
        "give rpe or rir for a set, not both (got rpe “8” and rir “2”).",
    ),
    (
        "both on a single-leg rung",
        row(side="both"),
        "side “both” does not fit single-leg-hip-thrust, which is done one leg at a time; "
        "use “left”, “right” or “unknown”.",
    ),
    (
        "left on the floor bridge",
        row(variation="floor-glute-bridge"),
        "side “left” does not fit floor-glute-bridge, which is done on both legs; use “both”.",
    ),
    (
        "unknown side",
        row(side="middle"),
        "side must be left, right, both or unknown (got “middle”).",
    ),
    (
        "unknown form error",
        row(form_errors="bouncing;wobbling"),
        "form error “wobbling” does not exist; use one of arched-lower-back, bouncing, "
        "knee-caving-in, pushing-through-toes, separated by “;”.",
    ),
    ("pain maybe", row(pain="maybe"), "pain must be “yes” or “no” (got “maybe”)."),
    (
        "too-long note",
        row(note="x" * 501),
        "note: Ensure this value has at most 500 characters (it has 501).",
    ),
    (
        "a NUL in a note",
        row(note="a\x00b"),
        "this line holds a control character (U+0000), which is not text; remove it (or export "
        "the file again) and import it again.",
    ),
    (
        "too-long session notes",
        row(session_notes="x" * 2001),
        "session_notes: Ensure this value has at most 2000 characters (it has 2001).",
    ),
    (
        "ragged row",
        "2,2024-03-05,single-leg-hip-thrust,,1,left,12,0,0,,,,,no\n",
        "this row has 14 columns but the header has 15; a separator or a quote may be missing "
        "or extra.",
    ),
    (
        "broken quotes",
        row(note="").rstrip("\n") + '"oops"x\n',
        "this row is not valid CSV (',' expected after '\"'); check its quotes.",
    ),
    (
        "no session label",
        row(session=""),
        "session is empty; every row needs the number of its session.",
    ),
    (
        "a session changing date",
        row(session="1", date="2024-03-05"),
        "session “1” is dated 2024-03-04 on line 2; all its rows need the same date.",
    ),
    (
        "a session changing variation",
        row(session="1", date="2024-03-04", variation="banded-single-leg-hip-thrust"),
        "session “1” is of single-leg-hip-thrust on line 2; all its rows need the same variation.",
    ),
    (
        "a set-less row in a session with sets",
        row(
            session="1",
            date="2024-03-04",
            side="",
            reps="",
            load_kg="",
            position="",
            hold_seconds="",
            pain="",
        ),
        "this row has no set, but session “1” has other rows.",
    ),
]


@pytest.fixture
def logged(user):
    add_session(
        user,
        "2024-01-02",
        "floor-glute-bridge",
        "Already here",
        [(1, {"side": "both", "reps": 15})],
    )
    return user


@pytest.mark.parametrize(
    ("bad_row", "message"), [case[1:] for case in MALFORMED], ids=[case[0] for case in MALFORMED]
)
def test_a_malformed_row_is_reported_by_line_and_nothing_is_saved(logged, bad_row, message):
    before = log_of(logged)
    text = HEADER + VALID_ROWS + bad_row + row(session="3")

    with pytest.raises(CsvImportError) as caught:
        import_text(logged, text)

    assert caught.value.line == BAD_LINE
    assert str(caught.value) == f"Line {BAD_LINE}: {message}"
    assert log_of(logged) == before
    assert (TrainingSession.objects.count(), Set.objects.count()) == (1, 1)


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("", "the file is empty; it should start with a header row naming the columns."),
        ("\n\n", "the file is empty; it should start with a header row naming the columns."),
        ("date,reps,weight\n2024-03-04,10,20\n", "the first row is not a header we know."),
        ("\ufeffsession,date\n", "the first row is not a header we know."),
    ],
    ids=["empty file", "blank lines", "unknown header", "our header cut short"],
)
def test_a_file_without_a_known_header_fails_on_line_one(logged, text, message):
    before = log_of(logged)

    with pytest.raises(CsvImportError) as caught:
        import_text(logged, text)

    assert caught.value.line == 1
    assert str(caught.value).startswith(f"Line 1: {message}")
    assert log_of(logged) == before


def test_the_unknown_header_message_names_every_format_accepted(user):
    with pytest.raises(CsvImportError, match=r"from hipthrust .* from Strong .* from Hevy"):
        import_text(user, "a,b\n")


def test_the_rows_of_a_session_must_be_together(logged):
    text = HEADER + row(session="1") + row(session="2") + row(session="1")

    with pytest.raises(CsvImportError) as caught:
        import_text(logged, text)

    assert str(caught.value) == (
        "Line 4: session “1” started on line 2 and other rows came between; keep the rows of a "
        "session together."
    )
    assert TrainingSession.objects.count() == 1


def test_a_bad_last_row_of_a_long_file_saves_nothing(logged):
    good = "".join(row(session=str(n), reps="10") for n in range(2, 302))
    with pytest.raises(CsvImportError) as caught:
        import_text(logged, HEADER + good + row(session="999", reps="101"))
    assert caught.value.line == 302
    assert TrainingSession.objects.count() == 1


def test_a_file_over_the_row_limit_is_refused(logged, monkeypatch):
    monkeypatch.setattr(reading, "MAX_ROWS", 3)
    text = HEADER + "".join(row(session=str(n)) for n in range(4))

    with pytest.raises(CsvImportError) as caught:
        import_text(logged, text)

    assert str(caught.value) == (
        "Line 5: the file has more than 3 rows; split it into smaller files and import them "
        "one after another."
    )
    assert TrainingSession.objects.count() == 1


def test_an_unknown_unit_is_a_programming_error(user):
    with pytest.raises(ValueError, match="unit must be"):
        import_text(user, HEADER, unit="stone")


# --- Strong -----------------------------------------------------------------------

STRONG = """\
Date,Workout Name,Duration,Exercise Name,Set Order,Weight,Reps,Distance,Seconds,Notes,Workout Notes,RPE
2024-03-05 07:30:12,Glute day,45m,Squat (Barbell),1,135.0,8,0,0,,"Gym busy, bench by the window",
2024-03-05 07:30:12,Glute day,45m,Glute Bridge,W,0.0,20,0,0,,"Gym busy, bench by the window",
2024-03-05 07:30:12,Glute day,45m,Glute Bridge,1,0.0,20,0,30,,"Gym busy, bench by the window",
2024-03-05 07:30:12,Glute day,45m,Single Leg Hip Thrust (Dumbbell),1,25.0,10,0,0,left leg,"Gym busy, bench by the window",8
2024-03-05 07:30:12,Glute day,45m,Single Leg Hip Thrust (Dumbbell),2,25.0,10,0,0,Right leg,"Gym busy, bench by the window",8.5
2024-03-05 07:30:12,Glute day,45m,Single Leg Hip Thrust (Dumbbell),3,0.0,12,0,0,,"Gym busy, bench by the window",7.3
2024-03-05 07:30:12,Glute day,45m,Hip Thrust (Barbell),1,185.0,8,0,0,,"Gym busy, bench by the window",
2024-03-05 07:30:12,Glute day,45m,Single Leg Glute Bridge,1,0.0,15,0,0,,"Gym busy, bench by the window",
2024-03-07 18:02:45,Evening,30m,Single-Leg Hip Thrust,1,0.0,12,0,0,,,
2024-03-07 18:02:45,Evening,30m,Single-Leg Hip Thrust,2,0.0,12,0,0,,,
2024-03-07 18:02:45,Evening,30m,Single-Leg Hip Thrust,3,0.0,11,0,0,,,
2024-03-07 18:02:45,Evening,30m,Romanian Deadlift (Barbell),1,2000.0,10,0,0,,,
2024-03-07 18:02:45,Evening,30m,Single-Leg Hip Thrust,Rest Timer,0.0,0,0,90,,,
"""  # noqa: E501

STRONG_SEMICOLONS = """\
Date;Workout Name;Duration;Exercise Name;Set Order;Weight;Reps;Distance;Seconds;Notes;Workout Notes;RPE
"2024-03-05 07:30:12";"Glute day";"45m";"Squat (Barbell)";"1";"135,0";"8";"0";"0";"";"Gym busy, bench by the window";""
"2024-03-05 07:30:12";"Glute day";"45m";"Glute Bridge";"W";"0";"20";"0";"0";"";"Gym busy, bench by the window";""
"2024-03-05 07:30:12";"Glute day";"45m";"Glute Bridge";"1";"0";"20";"0";"30";"";"Gym busy, bench by the window";""
"2024-03-05 07:30:12";"Glute day";"45m";"Single Leg Hip Thrust (Dumbbell)";"1";"25,0";"10";"0";"0";"left leg";"Gym busy, bench by the window";"8"
"2024-03-05 07:30:12";"Glute day";"45m";"Single Leg Hip Thrust (Dumbbell)";"2";"25,0";"10";"0";"0";"Right leg";"Gym busy, bench by the window";"8,5"
"2024-03-05 07:30:12";"Glute day";"45m";"Single Leg Hip Thrust (Dumbbell)";"3";"0";"12";"0";"0";"";"Gym busy, bench by the window";"7,3"
"2024-03-05 07:30:12";"Glute day";"45m";"Hip Thrust (Barbell)";"1";"185";"8";"0";"0";"";"Gym busy, bench by the window";""
"2024-03-05 07:30:12";"Glute day";"45m";"Single Leg Glute Bridge";"1";"0";"15";"0";"0";"";"Gym busy, bench by the window";""
"2024-03-07 18:02:45";"Evening";"30m";"Single-Leg Hip Thrust";"1";"0";"12";"0";"0";"";"";""
"2024-03-07 18:02:45";"Evening";"30m";"Single-Leg Hip Thrust";"2";"0";"12";"0";"0";"";"";""
"2024-03-07 18:02:45";"Evening";"30m";"Single-Leg Hip Thrust";"3";"0";"11";"0";"0";"";"";""
"2024-03-07 18:02:45";"Evening";"30m";"Romanian Deadlift (Barbell)";"1";"2000";"10";"0";"0";"";"";""
"2024-03-07 18:02:45";"Evening";"30m";"Single-Leg Hip Thrust";"Rest Timer";"0";"0";"0";"90";"";"";""
"""  # noqa: E501

GYM = "Gym busy, bench by the window"


@pytest.mark.parametrize("text", [STRONG, STRONG_SEMICOLONS], ids=["commas", "semicolons"])
def test_a_strong_export_in_pounds_brings_in_the_bridges_and_single_leg_thrusts(user, text):
    result = import_text(user, text, unit="lb")

    assert result == ImportResult(
        source="strong",
        sessions=4,
        sets=7,
        skipped_rows=6,
        duplicate_sessions=0,
        notes=(
            "4 sets have no side recorded: they are logged with the side unknown. Set their "
            "sides on each session's page; until then balance and progression leave them out.",
            "Skipped 1 set of two-legged hip thrusts, which are not on the ladder.",
            "Skipped 1 set of single-leg glute bridges, which are not on the ladder.",
            "Skipped 1 set of warm-ups.",
            "RPE was left out for 1 set: it was not from 6 to 10 in half steps.",
        ),
    )
    dumbbell = Decimal("11.33980925")  # 25 lb
    assert [(day, slug, notes) for day, slug, notes, _ in log_of(user)] == [
        ("2024-03-05", "floor-glute-bridge", GYM),
        ("2024-03-05", "loaded-single-leg-hip-thrust", GYM),
        ("2024-03-05", "single-leg-hip-thrust", GYM),
        ("2024-03-07", "single-leg-hip-thrust", ""),
    ]
    assert sets_of(user) == [
        ("2024-03-05", "floor-glute-bridge", "both", 20, Decimal(0), None, ""),
        (
            "2024-03-05",
            "loaded-single-leg-hip-thrust",
            "left",
            10,
            dumbbell,
            Decimal("8"),
            "left leg",
        ),
        (
            "2024-03-05",
            "loaded-single-leg-hip-thrust",
            "right",
            10,
            dumbbell,
            Decimal("8.5"),
            "Right leg",
        ),
        # No note names a side, so none is made up from the order of the sets.
        ("2024-03-05", "single-leg-hip-thrust", "unknown", 12, Decimal(0), None, ""),
        ("2024-03-07", "single-leg-hip-thrust", "unknown", 12, Decimal(0), None, ""),
        ("2024-03-07", "single-leg-hip-thrust", "unknown", 12, Decimal(0), None, ""),
        ("2024-03-07", "single-leg-hip-thrust", "unknown", 11, Decimal(0), None, ""),
    ]
    # Strong's seconds are the set's time: the bridge's 30 s are its hold.
    holds = Set.objects.exclude(hold_seconds=0).values_list("reps", "hold_seconds")
    assert list(holds) == [(20, 30)]


@pytest.mark.parametrize(
    ("note", "side"),
    [
        ("L", "left"),
        ("r.", "right"),
        ("links", "left"),
        ("Rechts Bein", "right"),
        ("jambe gauche", "left"),
        ("pierna derecha", "right"),
        ("sinistra", "left"),
        ("L and R", "unknown"),  # no one side
        ("Lunges after", "unknown"),  # a word that starts alike names no side
        ("left then right", "unknown"),
        ("L - knee caved", "left"),  # the letter, then a dash: the side, then a remark
        ("R: felt strong", "right"),
        # Where something was felt says nothing of the leg the set was on.
        ("Right knee a bit sore today", "unknown"),
        ("rodilla derecha molesta", "unknown"),
        ("left leg and right hip tight", "left"),
    ],
)
def test_a_side_written_as_its_letter_or_in_another_language_is_read(user, note, side):
    import_text(user, STRONG.replace(",left leg,", f",{note},"), unit="lb")
    loaded = Set.objects.filter(session__variation__slug="loaded-single-leg-hip-thrust")
    assert loaded.order_by("position").first().side == side


@pytest.mark.parametrize(
    "name",
    ["Single Legged Hip Thrust", "SL Hip Thrust", "1-Leg Hip Thrust", "One-Legged Hip Thrust"],
)
def test_the_ways_people_name_a_single_leg_hip_thrust_are_read_as_one(user, name):
    result = import_text(user, STRONG.replace("Single-Leg Hip Thrust,", f"{name},"), unit="lb")
    assert result.sets == 7
    evening = Set.objects.filter(session__date=date(2024, 3, 7))
    assert list(evening.values_list("reps", flat=True)) == [12, 12, 11]


def test_strong_weights_are_kilograms_for_a_user_in_kilograms(user):
    import_text(user, STRONG)
    loaded = Set.objects.filter(session__variation__slug="loaded-single-leg-hip-thrust")
    assert list(loaded.values_list("load_kg", flat=True)) == [Decimal(25), Decimal(25)]


def test_importing_a_strong_export_twice_adds_nothing(user):
    import_text(user, STRONG, unit="lb")
    saved = log_of(user)

    again = import_text(user, STRONG, unit="lb")

    assert (again.sessions, again.sets, again.duplicate_sessions) == (0, 0, 4)
    assert log_of(user) == saved


@pytest.mark.parametrize("source", ["strong", "hevy"])
def test_a_workout_imported_before_is_not_added_again_after_its_sets_were_edited(user, source):
    text = {"strong": STRONG, "hevy": HEVY}[source]  # Hevy's is written further down
    import_text(user, text, unit="lb")
    # As the preview asks: the sides set on each session's page; and a rep count corrected.
    Set.objects.filter(side="unknown").update(side="left")
    Set.objects.filter(pk=Set.objects.order_by("pk")[0].pk).update(reps=7)
    edited = log_of(user)

    again = import_text(user, text, unit="lb")

    assert (again.sessions, again.sets) == (0, 0)
    assert again.duplicate_sessions == TrainingSession.objects.count()
    assert log_of(user) == edited


def test_a_workout_deleted_from_the_log_comes_back_with_the_next_import(user):
    import_text(user, STRONG, unit="lb")
    complete = log_of(user)
    TrainingSession.objects.order_by("pk").first().delete()

    again = import_text(user, STRONG, unit="lb")

    assert again.sessions == 1
    assert sorted(log_of(user)) == sorted(complete)


def test_a_bad_hip_thrust_row_in_a_strong_export_is_reported_by_line(logged):
    text = STRONG.replace("Thrust (Dumbbell),2,25.0,10", "Thrust (Dumbbell),2,25.0,ten")

    with pytest.raises(CsvImportError) as caught:
        import_text(logged, text, unit="lb")

    assert str(caught.value) == "Line 6: Reps: Enter a whole number. (got “ten”)"
    assert TrainingSession.objects.count() == 1


@pytest.mark.parametrize(
    ("day", "reason"),
    [
        (FUTURE, "is in the future; only past sessions can be logged."),
        ("1989-12-31", "is too far in the past; the log starts in 1990."),
    ],
)
def test_a_strong_date_outside_the_log_says_why_not_that_it_is_unreadable(logged, day, reason):
    text = STRONG.replace("2024-03-07 18:02:45", f"{day} 18:02:45")
    with pytest.raises(CsvImportError) as caught:
        import_text(logged, text, unit="lb")
    assert str(caught.value) == f"Line 10: the date “{day} 18:02:45” {reason}"
    assert TrainingSession.objects.count() == 1


def test_a_strong_weight_over_the_limit_is_checked_after_conversion(logged):
    text = STRONG.replace("Thrust (Dumbbell),1,25.0", "Thrust (Dumbbell),1,1103")
    with pytest.raises(CsvImportError) as caught:
        import_text(logged, text, unit="lb")
    assert str(caught.value) == (
        "Line 5: Weight: That is more than 1102.31 lb; check the number. (got “1103”)"
    )


# --- Hevy -------------------------------------------------------------------------

HEVY = """\
"title","start_time","end_time","description","exercise_title","superset_id","exercise_notes","set_index","set_type","weight_kg","reps","distance_km","duration_seconds","rpe"
"Lower A","5 Mar 2024, 07:30","5 Mar 2024, 08:25","Short on time","Hip Thrust (Barbell)",,"",0,"warmup",40,10,,,
"Lower A","5 Mar 2024, 07:30","5 Mar 2024, 08:25","Short on time","Single Leg Hip Thrust (Left)",,"",0,"warmup",0,15,,,
"Lower A","5 Mar 2024, 07:30","5 Mar 2024, 08:25","Short on time","Single Leg Hip Thrust (Left)",,"",1,"normal",10,10,,,8
"Lower A","5 Mar 2024, 07:30","5 Mar 2024, 08:25","Short on time","Single Leg Hip Thrust (Right)",,"",0,"normal",10,10,,,9
"Lower A","5 Mar 2024, 07:30","5 Mar 2024, 08:25","Short on time","Glute Bridge",,"Band above knees",0,"normal",,20,,45,
"Lower A","5 Mar 2024, 07:30","5 Mar 2024, 08:25","Short on time","Squat (Barbell)",,"",0,"normal",100,5,,,
"Upper B","2024-03-07T18:00:00+00:00","2024-03-07T18:40:00+00:00","","Single Leg Hip Thrust",,"",0,"normal",0,12,,,
"Upper B","2024-03-07T18:00:00+00:00","2024-03-07T18:40:00+00:00","","Single Leg Hip Thrust",,"",1,"failure",0,12,,,
"Upper B","2024-03-07T18:00:00+00:00","2024-03-07T18:40:00+00:00","","Single Leg Hip Thrust",,"",2,"normal",0,11,,,
"""  # noqa: E501


def test_a_hevy_export_skips_warm_ups_and_reads_kilograms(user):
    result = import_text(user, HEVY, unit="lb")  # Hevy's weight_kg is kilograms whatever the unit

    assert result == ImportResult(
        source="hevy",
        sessions=3,
        sets=6,
        skipped_rows=3,
        duplicate_sessions=0,
        notes=(
            "3 sets have no side recorded: they are logged with the side unknown. Set their "
            "sides on each session's page; until then balance and progression leave them out.",
            "Skipped 1 set of two-legged hip thrusts, which are not on the ladder.",
            "Skipped 1 set of warm-ups.",
        ),
    )
    assert [(day, slug, notes) for day, slug, notes, _ in log_of(user)] == [
        ("2024-03-05", "loaded-single-leg-hip-thrust", "Short on time"),
        ("2024-03-05", "floor-glute-bridge", "Short on time\n\nBand above knees"),
        ("2024-03-07", "single-leg-hip-thrust", ""),
    ]
    assert sets_of(user) == [
        ("2024-03-05", "loaded-single-leg-hip-thrust", "left", 10, Decimal(10), Decimal(8), ""),
        ("2024-03-05", "loaded-single-leg-hip-thrust", "right", 10, Decimal(10), Decimal(9), ""),
        ("2024-03-05", "floor-glute-bridge", "both", 20, Decimal(0), None, ""),
        ("2024-03-07", "single-leg-hip-thrust", "unknown", 12, Decimal(0), None, ""),
        ("2024-03-07", "single-leg-hip-thrust", "unknown", 12, Decimal(0), None, "Failure set"),
        ("2024-03-07", "single-leg-hip-thrust", "unknown", 11, Decimal(0), None, ""),
    ]
    # duration_seconds is the set's time: the bridge's 45 s are its hold.
    holds = Set.objects.exclude(hold_seconds=0).values_list("reps", "hold_seconds")
    assert list(holds) == [(20, 45)]


def test_a_hevy_date_that_cannot_be_read_is_reported_by_line(logged):
    text = HEVY.replace('"Upper B","2024-03-07T18:00:00+00:00"', '"Upper B","yesterday"')

    with pytest.raises(CsvImportError) as caught:
        import_text(logged, text)

    assert str(caught.value) == (
        "Line 8: start_time must be a date and time like 2024-03-05 07:30:12 (got “yesterday”)."
    )
    assert TrainingSession.objects.count() == 1


def test_a_date_a_spreadsheet_wrote_day_dot_month_is_read(user):
    text = STRONG.replace("2024-03-07 18:02:45,", "07.03.2024 18:02,")
    import_text(user, text, unit="lb")
    assert TrainingSession.objects.filter(date=date(2024, 3, 7)).exists()


def test_a_date_with_slashes_is_refused_as_either_day_or_month_first(logged):
    text = STRONG.replace("2024-03-07 18:02:45,", "3/7/2024 18:02,")
    with pytest.raises(CsvImportError) as caught:
        import_text(logged, text)
    assert "may be day/month or month/day: import the file as the app exported it" in str(
        caught.value
    )


# --- cost -------------------------------------------------------------------------


def big_file(sessions: int, sets_per_session: int) -> str:
    rows = [
        row(
            session=str(n),
            date=f"2023-{1 + n % 12:02}-{1 + n % 28:02}",
            position=str(p),
            side="left" if p % 2 else "right",
            reps=str(1 + p),
            load_kg=f"{n}.25",
            form_errors="bouncing;knee-caving-in",
            note=f"set {p}",
        )
        for n in range(sessions)
        for p in range(1, sets_per_session + 1)
    ]
    return HEADER + "".join(rows)


def queries_to_import(user, text: str) -> int:
    with CaptureQueriesContext(connection) as queries:
        import_text(user, text)
    return len(queries)


def test_import_takes_a_fixed_number_of_queries_however_long_the_file(
    user, other_user, django_assert_max_num_queries, django_capture_on_commit_callbacks
):
    # 12, the check that the log did not change since the preview, the import's own row,
    # the look-up of imports too old to undo (once committed), and on SQLite one more INSERT
    # of sets (a set has one column more to bind), on PostgreSQL the lock on the trainee's
    # points; 6 more keep the log's summaries (training/summaries.py), whatever the file's
    # length.
    with django_assert_max_num_queries(22), django_capture_on_commit_callbacks(execute=True):
        result = import_text(user, big_file(20, 10))

    assert (result.sessions, result.sets) == (20, 200)
    assert Set.form_errors.through.objects.count() == 400
    # SQLite takes a few more INSERTs for a big batch (it limits the parameters of one
    # query), but not one per session or per set.
    one_set = queries_to_import(other_user, big_file(1, 1))
    assert queries_to_import(other_user, big_file(40, 10)) <= one_set + 10


def test_export_takes_a_fixed_number_of_queries(user, django_assert_max_num_queries):
    import_text(user, big_file(20, 10))
    with django_assert_max_num_queries(4):
        assert export_csv(user, io.StringIO()) == 200


# --- real exports of Strong and Hevy, as they are written today ---------------------

NNBSP = "\u202f"  # Strong's current export puts a narrow no-break space before AM/PM
POUNDS_25 = Decimal("11.33980925")  # 25 lb, exactly

STRONG_OLD_HEADER = (
    "Date;Workout Name;Exercise Name;Set Order;Weight;Weight Unit;Reps;RPE;Distance;"
    "Distance Unit;Seconds;Notes;Workout Notes;Workout Duration\n"
)
STRONG_OLD = STRONG_OLD_HEADER + (
    '"2021-05-03 07:30:12";"Glutes";"Single Leg Hip Thrust (Dumbbell)";"1";"25";"lbs";"10";'
    '"8";"";"";"";"";"Home gym";"45m"\n'
    '"2021-05-03 07:30:12";"Glutes";"Single Leg Hip Thrust (Dumbbell)";"2";"25";"lbs";"10";'
    '"";"";"";"";"left leg";"Home gym";"45m"\n'
    '"2021-05-03 07:30:12";"Glutes";"Single Leg Hip Thrust (Dumbbell)";"3";"20";"kg";"8";'
    '"";"";"";"";"Right";"Home gym";"45m"\n'
    '"2021-05-03 07:30:12";"Glutes";"Single Leg Hip Thrust";"1";"0";"kg";"0";"";"";"";'
    '"30";"";"Home gym";"45m"\n'
)


@pytest.mark.parametrize("unit", ["kg", "lb"])
def test_strongs_older_semicolon_export_takes_each_rows_own_weight_unit(user, unit):
    result = import_text(user, STRONG_OLD, unit=unit)

    assert (result.source, result.sessions, result.sets) == ("strong", 2, 4)
    assert log_of(user) == [
        (
            "2021-05-03",
            "loaded-single-leg-hip-thrust",
            "Home gym",
            [
                (1, "unknown", 10, POUNDS_25, 0, "", Decimal(8), None, [], False, ""),
                (2, "left", 10, POUNDS_25, 0, "", None, None, [], False, "left leg"),
                (3, "right", 8, Decimal(20), 0, "", None, None, [], False, "Right"),
            ],
        ),
        (
            "2021-05-03",
            "single-leg-hip-thrust",
            "Home gym",
            # a timed row without reps is a hold
            [(1, "unknown", 0, Decimal(0), 30, "", None, None, [], False, "")],
        ),
    ]


def test_a_strong_weight_unit_that_is_not_kg_or_lbs_is_refused(logged):
    text = STRONG_OLD.replace('"25";"lbs"', '"25";"stone"', 1)
    with pytest.raises(CsvImportError) as caught:
        import_text(logged, text)
    assert str(caught.value) == "Line 2: Weight Unit must be “kg” or “lbs” (got “stone”)."
    assert TrainingSession.objects.count() == 1


STRONG_NOW = (
    "Date,Workout Name,Duration,Exercise Name,Set Order,Weight,Reps,Distance,Seconds,Notes,"
    "Workout Notes,RPE\n"
    f"2025-09-02 6:12:45{NNBSP}PM,Evening Workout,1h 5m,Single Leg Hip Thrust (Dumbbell),1,25,"
    "10,0,0,,,8\n"
    f"2025-09-02 6:12:45{NNBSP}PM,Evening Workout,1h 5m,Single Leg Hip Thrust (Dumbbell),2,25,"
    "9,0,0,right side,,\n"
    f"2025-09-02 6:12:45{NNBSP}PM,Evening Workout,1h 5m,Single Leg Hip Thrust (Dumbbell),D,15,"
    "12,0,0,,,\n"
    "2025-09-03 11:05:00 AM,Morning,32m,Glute Bridge,1,0,20,0,0,,,\n"
    "2025-09-03 11:05:00 AM,Morning,32m,Glute Bridge,2,0,0,0,45,,,\n"
    "2025-09-03 11:05:00 AM,Morning,32m,Glute Bridge,3,0,0,0,0,,,\n"
)


def test_strongs_current_export_with_12_hour_times_and_a_duration_imports(user):
    result = import_text(user, STRONG_NOW, unit="lb")  # this export is in the account's unit

    assert (result.source, result.sessions, result.sets, result.skipped_rows) == (
        "strong",
        2,
        5,
        1,
    )
    assert log_of(user) == [
        (
            "2025-09-02",
            "loaded-single-leg-hip-thrust",
            "",
            [
                (1, "unknown", 10, POUNDS_25, 0, "", Decimal(8), None, [], False, ""),
                (2, "right", 9, POUNDS_25, 0, "", None, None, [], False, "right side"),
                (3, "unknown", 12, lb("15"), 0, "", None, None, [], False, "Drop set"),
            ],
        ),
        (
            "2025-09-03",
            "floor-glute-bridge",
            "",
            [
                (1, "both", 20, Decimal(0), 0, "", None, None, [], False, ""),
                (2, "both", 0, Decimal(0), 45, "", None, None, [], False, ""),
            ],
        ),
    ]
    assert "Skipped 1 set of hip thrusts or bridges without reps or a hold." in result.notes


def test_a_midnight_and_a_noon_on_strongs_12_hour_clock_are_the_right_days(user):
    text = STRONG_NOW.replace(f"6:12:45{NNBSP}PM", f"12:10:00{NNBSP}AM").replace(
        "11:05:00 AM", "12:00:00 PM"
    )
    import_text(user, text, unit="lb")
    days = list(TrainingSession.objects.order_by("date").values_list("date", flat=True))
    assert days == [date(2025, 9, 2), date(2025, 9, 3)]


STRONG_HEADER = STRONG_NOW.splitlines(keepends=True)[0]


def strong_rows(*rows: tuple[str, str, str, str, str]) -> str:
    """A Strong export of one workout: (exercise, set order, weight, reps, seconds) a row."""
    return STRONG_HEADER + "".join(
        f"2025-09-03 11:05:00 AM,Morning,32m,{name},{order},{weight},{reps},0,{seconds},,,\n"
        for name, order, weight, reps, seconds in rows
    )


@pytest.mark.parametrize(
    ("name", "weight"),
    [
        ("Glute Bridge (Barbell)", "100"),
        ("Glute Bridge (Barbell)", "0"),  # the name says a bar, whatever the cell
        ("Glute Bridge (Smith Machine)", "60"),
        ("Glute Bridge (Dumbbell)", "20"),
        ("Glute Bridge", "40"),  # the cell says a weight, whatever the name
    ],
)
def test_a_loaded_glute_bridge_is_skipped_not_logged_as_the_floor_glute_bridge(user, name, weight):
    result = import_text(user, strong_rows((name, "1", weight, "10", "0")))

    assert (result.sessions, result.sets, result.skipped_rows) == (0, 0, 1)
    assert result.notes == (
        "Skipped 1 set of floor glute bridges with a weight, which are not on the ladder "
        "(that rung takes none).",
    )
    assert not TrainingSession.objects.exists()


@pytest.mark.parametrize(
    ("name", "rung"),
    [
        ("Glute Bridge (Band)", "floor glute bridge"),
        ("Banded Glute Bridge", "floor glute bridge"),
        ("Two Up One Down Hip Thrust (Band)", "two up, one down hip thrust"),
    ],
)
def test_a_banded_glute_bridge_is_skipped_not_logged_as_the_floor_glute_bridge(user, name, rung):
    result = import_text(user, strong_rows((name, "1", "0", "15", "0")))

    assert (result.sessions, result.sets, result.skipped_rows) == (0, 0, 1)
    assert result.notes == (
        f"Skipped 1 set of {rung}s with a band, which are not on the ladder (that rung is done "
        "without one).",
    )
    assert not TrainingSession.objects.exists()


@pytest.mark.parametrize(
    "name", ["Hip Thrust (Barbell)", "B-Stance Hip Thrust", "Hip Thrust (Machine)"]
)
def test_a_two_legged_hip_thrust_is_skipped(user, name):
    result = import_text(user, strong_rows((name, "1", "100", "10", "0")))
    assert (result.sets, result.skipped_rows) == (0, 1)
    assert result.notes == (
        "Skipped 1 set of two-legged hip thrusts, which are not on the ladder.",
    )


def test_a_staggered_glute_bridge_is_not_the_floor_glute_bridge(user):
    result = import_text(user, strong_rows(("B-Stance Glute Bridge", "1", "0", "12", "0")))
    assert (result.sets, result.skipped_rows) == (0, 1)
    assert not TrainingSession.objects.exists()


@pytest.mark.parametrize(
    ("name", "weight", "reps", "seconds", "slug"),
    [
        ("Single Leg Hip Thrust (Band)", "0", "12", "0", "banded-single-leg-hip-thrust"),
        ("Banded Single Leg Hip Thrust", "0", "12", "0", "banded-single-leg-hip-thrust"),
        (
            "Single Leg Hip Thrust - Feet Elevated",
            "0",
            "12",
            "0",
            "foot-elevated-single-leg-hip-thrust",
        ),
        ("Single Leg Hip Thrust Hold", "0", "0", "45", "isometric-hold-single-leg-hip-thrust"),
        # The top-hold rung is done with or without a weight.
        ("Single Leg Hip Thrust Hold", "10", "0", "45", "isometric-hold-single-leg-hip-thrust"),
        # A pause said to be at the top is the top hold.
        (
            "Single Leg Hip Thrust (Pause at Top)",
            "0",
            "8",
            "5",
            "isometric-hold-single-leg-hip-thrust",
        ),
        ("Two Up One Down Hip Thrust", "0", "10", "0", "two-up-one-down-hip-thrust"),
        ("Single Leg Hip Thrust", "0", "12", "0", "single-leg-hip-thrust"),
        ("Single Leg Hip Thrust (Barbell)", "40", "8", "0", "loaded-single-leg-hip-thrust"),
    ],
)
def test_a_single_leg_hip_thrust_lands_on_the_rung_its_name_says(
    user, name, weight, reps, seconds, slug
):
    result = import_text(user, strong_rows((f"{name} (Left)", "1", weight, reps, seconds)))

    assert (result.sets, result.skipped_rows) == (1, 0)
    saved = Set.objects.select_related("session__variation").get()
    assert saved.session.variation.slug == slug
    assert (saved.side, saved.reps, saved.hold_seconds, saved.load_kg) == (
        "left",
        int(reps),
        int(seconds),
        Decimal(weight),
    )


@pytest.mark.parametrize(
    ("name", "weight", "slug"),
    [
        ("Paused Single Leg Hip Thrust", "0", "single-leg-hip-thrust"),
        ("Paused Single Leg Hip Thrust", "10", "loaded-single-leg-hip-thrust"),
        ("Single Leg Hip Thrust (Bottom Hold)", "0", "single-leg-hip-thrust"),
    ],
)
def test_a_paused_single_leg_hip_thrust_is_the_plain_rung_by_its_load_not_the_top_hold(
    user, name, weight, slug
):
    text = STRONG_HEADER + (
        f"2025-09-03 11:05:00 AM,Morning,32m,{name},1,{weight},8,0,0,left - pause at bottom,,\n"
    )

    result = import_text(user, text)

    assert (result.sets, result.skipped_rows) == (1, 0)
    saved = Set.objects.select_related("session__variation").get()
    assert saved.session.variation.slug == slug
    assert (saved.side, saved.reps, saved.hold_seconds, saved.load_kg, saved.note) == (
        "left",
        8,
        0,
        Decimal(weight),
        "left - pause at bottom",
    )
    assert result.notes == (
        "The pause of 1 set named paused is not recorded: only a hold at the top is a rung of "
        "its own, and the file does not say how long the pause was. Those sets are logged on "
        "the rung the rest of the name and the load say; add the pause to their tempo on each "
        "session's page.",
    )


@pytest.mark.parametrize(
    ("name", "weight", "rung"),
    [
        ("Single Leg Hip Thrust (Band)", "20", "banded single leg hip thrust"),
        (
            "Single Leg Hip Thrust (Dumbbell) - Feet Elevated",
            "0",
            "foot-elevated single leg hip thrust",
        ),
        ("Two Up One Down Hip Thrust (Barbell)", "60", "two up, one down hip thrust"),
    ],
)
def test_a_weight_on_a_rung_that_takes_none_is_skipped(user, name, weight, rung):
    result = import_text(user, strong_rows((name, "1", weight, "10", "0")))
    assert (result.sets, result.skipped_rows) == (0, 1)
    assert result.notes[-1] == (
        f"Skipped 1 set of {rung}s with a weight, which are not on the ladder (that rung takes "
        "none)."
    )


def test_a_single_leg_hip_thrust_of_two_rungs_at_once_is_skipped(user):
    result = import_text(
        user, strong_rows(("Single Leg Hip Thrust (Band) - Feet Elevated", "1", "0", "10", "0"))
    )
    assert (result.sets, result.skipped_rows) == (0, 1)
    assert not TrainingSession.objects.exists()


COPY_NOTE = (
    "Skipped 1 set copied from an earlier row of the same set (Strong writes each set once): "
    "each is imported once."
)


def test_a_row_a_strong_export_holds_twice_is_imported_once_and_named(user):
    text = strong_rows(
        ("Single Leg Hip Thrust (Left)", "1", "0", "12", "0"),
        ("Single Leg Hip Thrust (Left)", "2", "0", "12", "0"),
        ("Single Leg Hip Thrust (Left)", "2", "0", "12", "0"),  # the same row again
        ("Single Leg Hip Thrust (Left)", "3", "0", "12", "0"),  # the next set, alike
        ("Single Leg Hip Thrust (Right)", "1", "0", "11", "0"),
    )

    result = import_text(user, text)

    assert (result.sessions, result.sets, result.skipped_rows) == (1, 4, 1)
    assert result.notes == (COPY_NOTE,)
    assert [row[2:4] for row in sets_of(user)] == [("left", 12)] * 3 + [("right", 11)]


def test_a_strong_row_copied_is_flagged_in_the_preview_with_its_line(user):
    text = strong_rows(
        ("Single Leg Hip Thrust (Left)", "1", "0", "12", "0"),
        ("Single Leg Hip Thrust (Left)", "2", "0", "12", "0"),
        ("Single Leg Hip Thrust (Left)", "2", "0", "12", "0"),
    )

    preview = preview_csv(user, text)

    assert [len(session.sets) for session in preview.new] == [2]
    assert [(row.line, row.reason, row.exercise) for row in preview.skipped] == [
        (
            4,
            "a copy of an earlier row of the same set (Strong writes each set once), so its set "
            "is imported once",
            "Single Leg Hip Thrust (Left)",
        )
    ]
    assert not TrainingSession.objects.exists()


THRUST = "Single Leg Hip Thrust"


@pytest.mark.parametrize(
    "orders",
    [
        ["1", "2", "3", "1", "2", "3"],  # three sets a side, no notes: each block from 1
        ["1", "1"],  # one set a side
        ["1", "2", "squat", "1", "2"],  # the exercise added again after another
    ],
    ids=["three sets a side", "one set a side", "again after another exercise"],
)
def test_two_blocks_alike_of_one_exercise_in_a_strong_workout_are_both_imported(user, orders):
    text = strong_rows(
        *(
            ("Squat (Barbell)", "1", "100", "5", "0")
            if order == "squat"
            else (THRUST, order, "0", "12", "0")
            for order in orders
        )
    )

    result = import_text(user, text)

    thrusts = len(orders) - orders.count("squat")
    assert (result.sessions, result.sets, result.skipped_rows) == (
        1,
        thrusts,
        len(orders) - thrusts,
    )
    assert COPY_NOTE not in result.notes
    assert [row[2:4] for row in sets_of(user)] == [("unknown", 12)] * thrusts


def test_a_strong_workout_given_again_after_another_is_imported_once(user):
    morning = strong_rows((THRUST, "1", "0", "12", "0"), (THRUST, "2", "0", "10", "0"))
    evening = strong_rows((THRUST, "1", "0", "8", "0")).replace(
        "11:05:00 AM,Morning", "6:00:00 PM,Evening"
    )
    rows = morning.removeprefix(STRONG_HEADER)
    # Two exports joined: the morning's rows again after the evening's.
    text = morning + evening.removeprefix(STRONG_HEADER) + rows

    result = import_text(user, text)

    assert (result.sessions, result.sets, result.skipped_rows) == (2, 3, 2)
    assert [row[2:4] for row in sets_of(user)] == [("unknown", 12), ("unknown", 10), ("unknown", 8)]


HEVY_HEADER = (
    "title,start_time,end_time,description,exercise_title,superset_id,exercise_notes,"
    "set_index,set_type,{weight},reps,{distance},duration_seconds,rpe\n"
)


def hevy(weight: str, distance: str, rows: str) -> str:
    return HEVY_HEADER.format(weight=weight, distance=distance) + rows


HEVY_ROWS = (
    '"Legs","2 Sep 2025, 18:00","2 Sep 2025, 18:50","","Single Leg Hip Thrust (Dumbbell)",,'
    '"",0,"warmup",10,15,,,\n'
    '"Legs","2 Sep 2025, 18:00","2 Sep 2025, 18:50","","Single Leg Hip Thrust (Dumbbell)",,'
    '"",1,"normal",25,10,,,8\n'
    '"Legs","2 Sep 2025, 18:00","2 Sep 2025, 18:50","","Single Leg Hip Thrust (Dumbbell)",,'
    '"",2,"failure",25,7,,,\n'
    '"Legs","2 Sep 2025, 18:00","2 Sep 2025, 18:50","","Single Leg Hip Thrust (Dumbbell)",,'
    '"",3,"dropset",15,9,,,\n'
    '"Legs","2 Sep 2025, 18:00","2 Sep 2025, 18:50","","Single Leg Hip Thrust",,'
    '"left leg only",0,"normal",,,,40,\n'
)


def test_a_hevy_export_in_pounds_stores_exact_kilograms_holds_and_flags(user):
    text = hevy("weight_lbs", "distance_miles", HEVY_ROWS)

    result = import_text(user, text)  # the file says pounds; the profile unit does not matter

    assert (result.source, result.sessions, result.sets, result.skipped_rows) == (
        "hevy",
        2,
        4,
        1,
    )
    assert "Skipped 1 set of warm-ups." in result.notes
    assert log_of(user) == [
        (
            "2025-09-02",
            "loaded-single-leg-hip-thrust",
            "",
            [
                (1, "unknown", 10, POUNDS_25, 0, "", Decimal(8), None, [], False, ""),
                (2, "unknown", 7, POUNDS_25, 0, "", None, None, [], False, "Failure set"),
                (3, "unknown", 9, lb("15"), 0, "", None, None, [], False, "Drop set"),
            ],
        ),
        (
            "2025-09-02",
            "single-leg-hip-thrust",
            "left leg only",
            [(1, "left", 0, Decimal(0), 40, "", None, None, [], False, "")],
        ),
    ]


def test_a_hevy_exercise_note_shared_by_its_sets_names_no_sides(user):
    # Hevy writes one note per exercise, repeated on each of its sets: "start with left leg"
    # is true of the whole exercise, and says nothing of which set was on which leg.
    text = hevy(
        "weight_kg",
        "distance_km",
        "".join(
            '"Legs","2 Sep 2025, 18:00","2 Sep 2025, 18:50","","Single Leg Hip Thrust",,'
            f'"start with left leg",{index},"{kind}",,12,,,\n'
            for index, kind in enumerate(["warmup", "normal", "normal", "normal"])
        ),
    )

    result = import_text(user, text)

    assert [done[2] for done in sets_of(user)] == ["unknown", "unknown", "unknown"]
    assert result.notes[0].startswith("3 sets have no side recorded")
    # The note is still the session's.
    assert log_of(user)[0][2] == "start with left leg"


def test_it_puts_each_hevy_block_a_side_on_the_side_its_note_names(user):
    # One block of the exercise a side, each with its note repeated on its sets, as Hevy
    # writes it: "Left" is the side of the first block's sets, "right leg" of the second's.
    # A later workout whose one block says "start with left leg" still names no side, nor
    # does one with a block noted "Left" beside a block whose note names no leg.
    def block(start: str, note: str, reps: list[int]) -> str:
        return "".join(
            f'"Legs","{start}","{start}","","Single Leg Hip Thrust",,"{note}",{index},"normal",,'
            f"{count},,,\n"
            for index, count in enumerate(reps)
        )

    text = hevy(
        "weight_kg",
        "distance_km",
        block("2 Sep 2025, 18:00", "Left", [12, 11])
        + block("2 Sep 2025, 18:00", "right leg", [12, 10])
        + block("4 Sep 2025, 18:00", "start with left leg", [12, 12])
        + block("6 Sep 2025, 18:00", "Left", [9, 9])
        + block("6 Sep 2025, 18:00", "", [8, 8]),
    )

    result = import_text(user, text)

    assert [(done[0], done[2], done[3]) for done in sets_of(user)] == [
        ("2025-09-02", "left", 12),
        ("2025-09-02", "left", 11),
        ("2025-09-02", "right", 12),
        ("2025-09-02", "right", 10),
        ("2025-09-04", "unknown", 12),
        ("2025-09-04", "unknown", 12),
        *[("2025-09-06", "unknown", reps) for reps in (9, 9, 8, 8)],
    ]
    assert result.notes[0].startswith("6 sets have no side recorded")


def test_a_hevy_export_in_kilograms_reads_weight_kg(user):
    text = hevy("weight_kg", "distance_km", HEVY_ROWS)
    import_text(user, text, unit="lb")
    loads = Set.objects.order_by("session__variation__level", "position")
    assert list(loads.values_list("load_kg", flat=True)) == [
        Decimal(0),
        Decimal(25),
        Decimal(25),
        Decimal(15),
    ]


@pytest.mark.parametrize(
    "text",
    [STRONG_OLD, STRONG_NOW, hevy("weight_lbs", "distance_miles", HEVY_ROWS)],
    ids=["strong-older", "strong-current", "hevy-pounds"],
)
def test_reimporting_a_real_export_adds_nothing(user, text):
    first = import_text(user, text, unit="lb")
    saved = log_of(user)

    again = import_text(user, text, unit="lb")

    assert (again.sessions, again.sets, again.duplicate_sessions) == (0, 0, first.sessions)
    assert log_of(user) == saved


def test_sides_are_never_inferred_from_set_order_and_the_result_says_so(user):
    result = import_text(user, STRONG_OLD)
    assert not any("inferred" in note for note in result.notes)
    assert (
        "2 sets have no side recorded: they are logged with the side unknown. Set their sides "
        "on each session's page; until then balance and progression leave them out."
    ) in result.notes


# --- every row passes the rules a set typed by hand passes ---------------------------


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"rir": "7"}, "rir must be one of 0 to 5, as when a set is logged by hand (got “7”)."),
        (
            {"reps": "0"},
            "reps: Reps must be at least 1; 0 reps is only for a hold, with its seconds "
            "in Hold. (got “0”)",
        ),
        ({"reps": "8.5"}, "reps: Enter a whole number. (got “8.5”)"),
        (
            {"hold_seconds": "601"},
            "hold_seconds: A hold can be at most 10 minutes (600 s). (got “601”)",
        ),
        ({"side": "unknown", "variation": "floor-glute-bridge"}, "side “unknown” does not fit"),
    ],
    ids=[
        "rir above the form's",
        "0 reps without a hold",
        "fractional reps",
        "long hold",
        "unknown on both legs",
    ],
)
def test_an_import_refuses_what_the_set_form_refuses(logged, changes, message):
    with pytest.raises(CsvImportError) as caught:
        import_text(logged, HEADER + row(**changes))
    assert str(caught.value).startswith(f"Line 2: {message}")
    assert TrainingSession.objects.count() == 1


LONG_TEMPO = "3   -   0   -   1   -   1"  # a tempo Tempo reads, longer than the form's field


def test_an_import_refuses_a_tempo_longer_than_the_set_forms_field(logged):
    typed = SetForm(
        {"side": "left", "reps": "12", "tempo": LONG_TEMPO},
        session=TrainingSession(variation=Variation.objects.get(slug="single-leg-hip-thrust")),
        unit="kg",
    )
    assert "tempo" in typed.errors

    with pytest.raises(CsvImportError) as caught:
        import_text(logged, HEADER + row(tempo=LONG_TEMPO))

    assert str(caught.value) == (
        f"Line 2: tempo “{LONG_TEMPO}” is not valid. Ensure this value has at most 20 "
        "characters (it has 25)."
    )
    assert TrainingSession.objects.count() == 1


def test_our_format_takes_the_kilograms_of_a_load_typed_in_pounds_to_the_digit(user):
    # What the set form stores for 45 lb, and the export writes to the digit.
    typed = SetForm(
        {"side": "left", "reps": "12", "load": "45"},
        session=TrainingSession(variation=Variation.objects.get(slug="single-leg-hip-thrust")),
        unit="lb",
    )
    assert typed.is_valid(), typed.errors
    assert typed.cleaned_data["load"] == Decimal("20.41165665")

    # -0 is 0, and 12.500 is 12.5: a load is judged by its value.
    rows = [row(load_kg="20.41165665"), row(load_kg="-0"), row(load_kg="12.500")]
    import_text(user, HEADER + "".join(rows))

    loads = [Decimal("20.41165665"), Decimal(0), Decimal("12.5")]
    assert [done[4] for done in sets_of(user)] == loads


def _typed_in_pounds(load: str) -> SetForm:
    """The set form as a trainee in pounds fills it for a set of 10 reps at `load`."""
    return SetForm(
        {"side": "left", "reps": "10", "load": load},
        session=TrainingSession(
            variation=Variation.objects.get(slug="loaded-single-leg-hip-thrust")
        ),
        unit="lb",
    )


def test_a_load_in_pounds_with_more_than_two_decimals_is_refused_as_the_set_form_does(logged):
    typed = _typed_in_pounds("25.125")
    assert typed.errors["load"] == ["A load has at most two decimals (12.25)."]
    text = STRONG.replace("Thrust (Dumbbell),1,25.0", "Thrust (Dumbbell),1,25.125")

    with pytest.raises(CsvImportError) as caught:
        import_text(logged, text, unit="lb")

    assert str(caught.value) == (
        "Line 5: Weight: A load has at most two decimals (12.25). (got “25.125”)"
    )
    assert TrainingSession.objects.count() == 1


def test_a_load_in_pounds_is_stored_as_the_set_form_stores_it(user):
    typed = _typed_in_pounds("45.37")
    assert typed.is_valid(), typed.errors

    import_text(
        user, STRONG.replace("Thrust (Dumbbell),1,25.0", "Thrust (Dumbbell),1,45.37"), unit="lb"
    )

    assert Set.objects.get(note="left leg").load_kg == typed.cleaned_data["load"]


def test_our_format_takes_unknown_sides_and_hold_only_sets(user):
    import_text(user, HEADER + row(side="unknown", reps="0", hold_seconds="30"))
    assert sets_of(user) == [
        ("2024-03-05", "single-leg-hip-thrust", "unknown", 0, Decimal(0), None, "")
    ]
    assert Set.objects.get().hold_seconds == 30


# --- formulas in exported cells -------------------------------------------------------

FORMULA_NOTES = ["=1+1", "+1", "-1", "@SUM(1+1)", "\tx", "\rx", "'quoted", "''twice", "plain"]


def test_export_neutralises_cells_a_spreadsheet_would_run_as_formulas(user):
    add_session(
        user,
        "2024-01-10",
        "floor-glute-bridge",
        '=HYPERLINK("http://evil")',
        [
            (n, {"side": "both", "reps": 10, "note": note})
            for n, note in enumerate(FORMULA_NOTES, 1)
        ],
    )

    exported = list(csv.reader(io.StringIO(export_text(user))))[1:]

    assert {line[3] for line in exported} == {'\'=HYPERLINK("http://evil")'}
    assert [line[-1] for line in exported] == [
        "'=1+1",
        "'+1",
        "'-1",
        "'@SUM(1+1)",
        "'\tx",
        "'\rx",
        "''quoted",
        "'''twice",
        "plain",
    ]
    assert [line[7] for line in exported] == ["0"] * len(FORMULA_NOTES)  # numbers stay numbers


def test_neutralised_cells_round_trip_exactly(user, other_user):
    add_session(
        user,
        "2024-01-10",
        "floor-glute-bridge",
        "-session note",
        [
            (n, {"side": "both", "reps": 10, "note": note})
            for n, note in enumerate(FORMULA_NOTES, 1)
        ],
    )
    exported = export_text(user)

    import_text(other_user, exported)

    assert log_of(other_user) == log_of(user)
    assert export_text(other_user) == exported


# --- the write is short and all at once ------------------------------------------------


def test_the_import_reads_and_checks_everything_before_one_short_write(user):
    add_session(user, "2023-01-01", "floor-glute-bridge", "", [(1, {"side": "both", "reps": 9})])
    with CaptureQueriesContext(connection) as queries:
        import_text(user, big_file(5, 4))

    # The lock on the trainee's points (PostgreSQL, training/summaries.py) reads nothing.
    statements = [
        q["sql"].lstrip().split()[0].upper()
        for q in queries.captured_queries
        if "pg_advisory_xact_lock" not in q["sql"]
    ]
    start = next(i for i, word in enumerate(statements) if word in {"BEGIN", "SAVEPOINT"})
    end = max(i for i, word in enumerate(statements) if word in {"COMMIT", "RELEASE"})
    inside = statements[start + 1 : end]
    # No reading, parsing or duplicate check while the write lock is held: only writes.
    assert inside
    assert set(inside) <= {"INSERT", "UPDATE"}, inside
    assert statements.count("SAVEPOINT") + statements.count("BEGIN") == 1


def test_a_session_deleted_between_the_check_and_the_write_is_checked_again(user, monkeypatch):
    """The import's check notices a deleted session too, not only an added one."""
    import_text(user, big_file(2, 2))  # two of the file's three sessions are in the log
    text = big_file(3, 2)
    original = duplicates.drop_duplicates

    def racing(who, planned):
        found = original(who, planned)
        # Deleted in another tab, between the look-up and the write.
        TrainingSession.objects.filter(user=user).order_by("pk").first().delete()
        return found

    monkeypatch.setattr(duplicates, "drop_duplicates", racing)
    preview = preview_csv(user, text)
    monkeypatch.setattr(duplicates, "drop_duplicates", original)
    assert (len(preview.new), len(preview.logged)) == (1, 2)

    with pytest.raises(PreviewOutdated):
        save_preview(user, preview)
    assert TrainingSession.objects.filter(user=user).count() == 1


def test_a_log_changed_between_the_check_and_the_write_is_checked_again(user, monkeypatch):
    text = big_file(3, 2)
    original = duplicates.drop_duplicates
    calls = []

    def racing(who, planned):
        calls.append(len(planned))
        found = original(who, planned)
        if len(calls) == 1:  # the same file, imported in between by a second tab
            import_text(user, text)
        return found

    monkeypatch.setattr(duplicates, "drop_duplicates", racing)

    result = import_text(user, text)

    assert (result.sessions, result.duplicate_sessions) == (0, 3)
    assert TrainingSession.objects.filter(user=user).count() == 3
