import math
import xml.etree.ElementTree as ET
from datetime import date, timedelta
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from training.charts import (
    EMPTY_TEXT,
    Marker,
    Series,
    date_ticks,
    format_number,
    line_chart,
    nice_ticks,
    table_rows,
)

SVG = "{http://www.w3.org/2000/svg}"
MAR = [date(2025, 3, day) for day in (3, 5, 7, 10)]
LEFT = Series("Left", tuple(zip(MAR, (10.0, 11.0, 12.0, 12.0), strict=True)), "left")
RIGHT = Series("Right", tuple(zip(MAR, (9.0, 10.0, 12.0, 13.0), strict=True)), "right")


def chart(series=(LEFT, RIGHT), **options):
    arguments = {
        "title": "Reps per session",
        "description": "Reps on each side per session.",
        "y_label": "Reps",
        "chart_id": "reps",
        **options,
    }
    return line_chart(series, **arguments)


def parse(svg: str) -> ET.Element:
    return ET.fromstring(svg)


def find(root: ET.Element, tag: str, *classes: str) -> list[ET.Element]:
    """Elements of `tag` that carry every one of `classes`."""
    return [
        element
        for element in root.iter(SVG + tag)
        if set(classes) <= set(element.get("class", "").split())
    ]


def classes(element: ET.Element) -> set[str]:
    return set(element.get("class", "").split())


def center(element: ET.Element) -> tuple[float, float]:
    """The middle of a point marker, whatever its shape."""
    if element.tag == SVG + "circle":
        return float(element.get("cx")), float(element.get("cy"))
    if element.tag == SVG + "rect":
        half = float(element.get("width")) / 2
        return float(element.get("x")) + half, float(element.get("y")) + half
    corners = [tuple(map(float, pair.split(","))) for pair in element.get("points").split()]
    xs, ys = zip(*corners, strict=True)
    return (min(xs) + max(xs)) / 2, (min(ys) + max(ys)) / 2


def y_tick_labels(root: ET.Element) -> list[str]:
    (axis,) = find(root, "g", "chart-axis--y")
    return [t.text for t in axis.findall(SVG + "text") if t.get("class") != "chart-axis-label"]


def test_the_chart_is_one_labelled_image():
    root = parse(chart())
    assert root.tag == SVG + "svg"
    assert root.get("role") == "img"
    assert root.get("viewBox") == "0 0 640 260"
    assert (root.get("width"), root.get("height")) == ("640", "260")
    assert root.get("aria-labelledby") == "reps-title reps-desc"
    title, desc = list(root)[:2]
    assert (title.tag, title.get("id"), title.text) == (
        SVG + "title",
        "reps-title",
        "Reps per session",
    )
    assert (desc.tag, desc.get("id"), desc.text) == (
        SVG + "desc",
        "reps-desc",
        "Reps on each side per session.",
    )


def test_the_size_can_be_chosen():
    root = parse(chart(width=320, height=200))
    assert (root.get("viewBox"), root.get("width"), root.get("height")) == (
        "0 0 320 200",
        "320",
        "200",
    )


def test_text_is_escaped_and_stays_text():
    evil = '<script>alert("x")</script> & co'
    svg = chart(
        (Series(evil, LEFT.points, "left"),),
        title=evil,
        description=evil,
        y_label=evil,
        markers=[Marker(MAR[1], evil)],
    )
    assert "<script" not in svg
    root = parse(svg)
    assert find(root, "title")[0].text == evil
    assert find(root, "desc")[0].text == evil
    assert find(root, "text", "chart-legend-label")[0].text == evil
    assert find(root, "text", "chart-marker-label")[0].text == evil
    assert find(root, "text", "chart-axis-label")[0].text == evil


def test_an_odd_chart_id_cannot_break_out_of_its_attribute():
    root = parse(chart(chart_id='x" onload="alert(1)'))
    assert root.get("onload") is None
    assert root.get("aria-labelledby") == 'x" onload="alert(1)-title x" onload="alert(1)-desc'


def test_no_inline_styles_anywhere():
    svg = chart(markers=[Marker(MAR[2], "Level 4")])
    root = parse(svg)
    assert not find(root, "style")
    assert all("style" not in element.attrib for element in root.iter())
    assert "style" not in svg


def test_one_line_and_one_point_per_value_for_each_series():
    root = parse(chart())
    lines = find(root, "polyline")
    assert [line.get("class") for line in lines] == [
        "chart-line chart-line--left",
        "chart-line chart-line--right",
    ]
    assert [len(line.get("points").split()) for line in lines] == [4, 4]
    assert len(find(root, "circle", "chart-point", "chart-point--left")) == 4
    assert len(find(root, "rect", "chart-point", "chart-point--right")) == 4
    assert len([e for e in root.iter() if "chart-point" in e.get("class", "").split()]) == 8


def test_sides_differ_in_shape_and_dash_not_only_colour():
    both = Series("Both legs", LEFT.points, "both")
    root = parse(chart((LEFT, RIGHT, both)))
    left, right, both_line = find(root, "polyline")
    assert left.get("stroke-dasharray") is None
    assert right.get("stroke-dasharray") == "6 4"
    assert both_line.get("stroke-dasharray") is None
    shapes = {
        key: {e.tag for e in root.iter() if {"chart-point", f"chart-point--{key}"} <= classes(e)}
        for key in ("left", "right", "both")
    }
    assert shapes == {"left": {SVG + "circle"}, "right": {SVG + "rect"}, "both": {SVG + "polygon"}}


def test_lines_and_points_read_without_css():
    root = parse(chart())
    for line in find(root, "polyline"):
        assert (line.get("fill"), line.get("stroke")) == ("none", "currentColor")
    assert root.get("fill") == "currentColor"  # text and points inherit it


def test_the_legend_names_each_series_with_its_shape_and_dash():
    root = parse(chart())
    (legend,) = find(root, "g", "chart-legend")
    assert [t.text for t in legend.iter(SVG + "text")] == ["Left", "Right"]
    assert [line.get("stroke-dasharray") for line in legend.iter(SVG + "line")] == [None, "6 4"]
    assert [e.tag for e in legend.iter() if "chart-legend-point" in e.get("class", "")] == [
        SVG + "circle",
        SVG + "rect",
    ]


def test_the_y_axis_starts_at_zero_with_nice_ticks():
    root = parse(chart())
    assert y_tick_labels(root) == ["0", "5", "10", "15"]
    assert len(find(root, "line")) >= 4  # grid lines


def test_the_y_labels_use_the_given_format():
    root = parse(chart(y_format=lambda value: f"{value:g} kg"))
    assert y_tick_labels(root) == ["0 kg", "5 kg", "10 kg", "15 kg"]


def test_the_x_axis_is_labelled_by_date():
    root = parse(chart())
    (axis,) = find(root, "g", "chart-axis--x")
    assert [t.text for t in axis.findall(SVG + "text")] == ["3 Mar", "5 Mar", "7 Mar", "9 Mar"]


def test_markers_are_dashed_vertical_lines_with_labels():
    root = parse(chart(markers=[Marker(MAR[1], "Level 4"), Marker(MAR[3], "Level 5")]))
    lines = find(root, "line", "chart-marker")
    assert len(lines) == 2
    assert all(line.get("x1") == line.get("x2") for line in lines)
    assert all(line.get("stroke-dasharray") for line in lines)
    assert [t.text for t in find(root, "text", "chart-marker-label")] == ["Level 4", "Level 5"]
    # A marker sits on the same x as the session of that day.
    right_points = find(root, "rect", "chart-point", "chart-point--right")
    assert float(lines[0].get("x1")) == pytest.approx(center(right_points[1])[0])


def test_of_two_markers_too_close_for_both_labels_the_later_keeps_its_label():
    # Level 3 and level 4 days apart on a long chart printed one over the other: "Level a".
    days = [date(2025, 1, 1) + timedelta(days=n) for n in range(0, 120, 3)]
    series = Series("Left", tuple((day, 10.0) for day in days), "left")
    near = [Marker(days[20], "Level 3"), Marker(days[21], "Level 4"), Marker(days[-1], "Level 5")]
    root = parse(chart((series,), markers=near))
    assert len(find(root, "line", "chart-marker")) == 3
    assert [t.text for t in find(root, "text", "chart-marker-label")] == ["Level 4", "Level 5"]


def test_labels_at_the_right_edge_end_at_their_tick_instead_of_running_off():
    days = [date(2025, 3, day) for day in range(3, 9)]
    series = Series("Left", tuple((day, 10.0) for day in days), "left")
    root = parse(chart((series,), markers=[Marker(days[-1], "Level 5"), Marker(days[0], "L4")]))
    (axis,) = find(root, "g", "chart-axis--x")
    anchors = [t.get("text-anchor") for t in axis.findall(SVG + "text")]
    assert anchors == [None, None, None, None, None, "end"]  # the rest inherit "middle"
    assert [t.get("text-anchor") for t in find(root, "text", "chart-marker-label")] == ["end", None]


@pytest.mark.parametrize(
    "series",
    [
        pytest.param((), id="no series"),
        pytest.param((Series("Left", (), "left"), Series("Right", (), "right")), id="no points"),
    ],
)
def test_an_empty_chart_says_so(series):
    root = parse(chart(series, markers=[Marker(MAR[0], "Level 1")]))
    assert [t.text for t in find(root, "text")] == [EMPTY_TEXT]
    assert EMPTY_TEXT == "No sessions logged yet"
    assert find(root, "title")[0].text == "Reps per session"
    assert root.get("role") == "img"
    assert not find(root, "polyline")


def test_a_single_point_still_shows():
    root = parse(chart((Series("Left", ((MAR[0], 12.0),), "left"),)))
    (point,) = find(root, "circle", "chart-point")
    assert find(root, "polyline")[0].get("points").count(",") == 1
    x, _ = center(point)
    assert x == pytest.approx((56 + 596) / 2)  # a single day sits in the middle


def test_an_empty_series_next_to_a_full_one_is_left_out():
    root = parse(chart((LEFT, Series("Right", (), "right"))))
    assert len(find(root, "polyline")) == 1
    assert [t.text for t in find(root, "text", "chart-legend-label")] == ["Left"]


def test_the_same_day_on_both_sides_aligns():
    root = parse(chart())
    left_x = [center(p)[0] for p in find(root, "circle", "chart-point", "chart-point--left")]
    right_x = [center(p)[0] for p in find(root, "rect", "chart-point", "chart-point--right")]
    assert left_x == pytest.approx(right_x)
    assert left_x == sorted(left_x)


def test_points_are_drawn_in_date_order_whatever_order_they_came_in():
    shuffled = Series("Left", tuple(reversed(LEFT.points)), "left")
    assert chart((shuffled,)) == chart((LEFT,))


@given(st.lists(st.floats(min_value=0, max_value=10_000, allow_nan=False), min_size=1, max_size=30))
def test_a_higher_value_is_drawn_higher(values):
    start = date(2025, 1, 1)
    points = tuple((start + timedelta(days=i), value) for i, value in enumerate(values))
    root = parse(chart((Series("Left", points, "left"),)))
    ys = [center(p)[1] for p in find(root, "circle", "chart-point")]
    for (a, ya), (b, yb) in zip(
        zip(values, ys, strict=True), zip(values[1:], ys[1:], strict=True), strict=False
    ):
        if a < b:
            assert ya >= yb
        elif a > b:
            assert ya <= yb
    bottom, top = 260 - 36, 40
    assert all(top - 0.05 <= y <= bottom + 0.05 for y in ys)


def test_five_thousand_points_render():
    start = date(2010, 1, 1)
    points = tuple((start + timedelta(days=i), float(i % 40)) for i in range(5_000))
    svg = chart((Series("Left", points, "left"), Series("Right", points, "right")))
    root = parse(svg)
    assert [len(line.get("points").split()) for line in find(root, "polyline")] == [5_000, 5_000]
    assert len(find(root, "circle", "chart-point")) == 5_000
    assert len(find(root, "rect", "chart-point")) == 5_000
    assert len(svg) < 1_000_000  # about 90 bytes a point for both sides
    (axis,) = find(root, "g", "chart-axis--x")
    assert len(axis.findall(SVG + "text")) <= 6


@pytest.mark.parametrize(
    ("value", "message"),
    [(-1.0, "not negative"), (math.nan, "finite"), (math.inf, "finite")],
)
def test_values_below_the_axis_or_not_numbers_are_refused(value, message):
    with pytest.raises(ValueError, match=message):
        chart((Series("Left", ((MAR[0], value),), "left"),))


@pytest.mark.parametrize(
    ("highest", "ticks"),
    [
        (12, [0, 5, 10, 15]),
        (10, [0, 2, 4, 6, 8, 10]),
        (11, [0, 5, 10, 15]),
        (87.5, [0, 20, 40, 60, 80, 100]),
        (1234, [0, 500, 1000, 1500]),
        (0.3, [0, 0.1, 0.2, 0.3]),
        (0.6, [0, 0.2, 0.4, 0.6]),
        (1, [0, 0.2, 0.4, 0.6, 0.8, 1]),
        (0, [0, 0.2, 0.4, 0.6, 0.8, 1]),
        (3, [0, 1, 2, 3]),
        (49, [0, 10, 20, 30, 40, 50]),
        (99, [0, 20, 40, 60, 80, 100]),
        (100, [0, 20, 40, 60, 80, 100]),
        (101, [0, 50, 100, 150]),
        (9.99, [0, 2, 4, 6, 8, 10]),
        (5e-324, [0, 0.2, 0.4, 0.6, 0.8, 1]),  # float noise counts as zero
    ],
)
def test_y_ticks_are_one_two_or_five_times_a_power_of_ten(highest, ticks):
    assert nice_ticks(highest) == ticks


@given(st.floats(min_value=1e-6, max_value=1e9, allow_nan=False))
def test_y_ticks_always_start_at_zero_cover_the_data_and_stay_few(highest):
    ticks = nice_ticks(highest)
    assert ticks[0] == 0
    assert ticks[-1] >= highest * (1 - 1e-9)
    assert 2 <= len(ticks) <= 6
    step = Decimal(repr(ticks[1]))
    mantissa = step.scaleb(-step.adjusted())
    assert mantissa in {1, 2, 5}
    assert all(Decimal(repr(t)) == step * i for i, t in enumerate(ticks))


@pytest.mark.parametrize(
    ("first", "last", "labels"),
    [
        (date(2025, 3, 3), date(2025, 3, 3), ["3 Mar"]),
        (
            date(2025, 3, 3),
            date(2025, 3, 8),
            ["3 Mar", "4 Mar", "5 Mar", "6 Mar", "7 Mar", "8 Mar"],
        ),
        (date(2025, 3, 3), date(2025, 3, 10), ["3 Mar", "5 Mar", "7 Mar", "9 Mar"]),
        (date(2025, 3, 3), date(2025, 3, 31), ["3 Mar", "10 Mar", "17 Mar", "24 Mar", "31 Mar"]),
        (date(2025, 1, 5), date(2025, 5, 20), ["Feb", "Mar", "Apr", "May"]),
        (date(2025, 1, 1), date(2025, 12, 31), ["Jan", "Mar", "May", "Jul", "Sep", "Nov"]),
        (
            date(2024, 12, 20),
            date(2025, 1, 10),
            ["20 Dec 2024", "27 Dec 2024", "3 Jan 2025", "10 Jan 2025"],
        ),
        (
            date(2024, 1, 5),
            date(2025, 5, 20),
            ["Apr 2024", "Jul 2024", "Oct 2024", "Jan 2025", "Apr 2025"],
        ),
        (date(2015, 1, 5), date(2025, 5, 20), ["2016", "2018", "2020", "2022", "2024"]),
    ],
)
def test_date_ticks_fall_on_calendar_steps(first, last, labels):
    assert [label for _, label in date_ticks(first, last)] == labels


@given(
    st.dates(min_value=date(2000, 1, 1), max_value=date(2100, 1, 1)),
    st.integers(min_value=0, max_value=20_000),
)
def test_there_are_one_to_six_date_ticks_inside_the_span(first, days):
    last = first + timedelta(days=days)
    ticks = [day for day, _ in date_ticks(first, last)]
    assert 1 <= len(ticks) <= 6
    assert all(first <= day <= last for day in ticks)
    assert ticks == sorted(set(ticks))


@pytest.mark.parametrize(
    ("value", "text"),
    [(0, "0"), (12, "12"), (2.5, "2.5"), (1000, "1,000"), (0.6000000000000001, "0.6"), (-0.0, "0")],
)
def test_default_numbers_have_no_trailing_zeros(value, text):
    assert format_number(value) == text


def test_the_values_stand_at_both_ends_so_a_chart_scrolled_to_its_newest_end_reads():
    root = parse(chart((Series("Left", ((MAR[0], 12.0), (MAR[1], 30.0)), "left"),)))
    (left,), (right,) = find(root, "g", "chart-axis--y"), find(root, "g", "chart-axis--y-end")
    said = [t.text for t in left.iter(SVG + "text")][:-1]  # less the name
    again = [t.text for t in right.iter(SVG + "text")]
    assert said == again
    assert right.get("aria-hidden") == "true"
    assert all(float(t.get("x")) > 596 for t in right.iter(SVG + "text"))


def test_it_lays_a_charts_series_side_by_side_for_its_table_newest_day_first():
    day = date(2026, 11, 2)
    later = date(2026, 11, 5)
    left = [(day, 20), (day, 25), (later, 30)]  # two sessions on the 2nd
    right = [(day, 22)]
    assert table_rows([left, right]) == [
        (later, (30, None)),
        (day, (20, 22)),
        (day, (25, None)),
    ]
    assert table_rows([]) == []
