import datetime as dt
import re
from pathlib import Path

from quiz.charts import HEIGHT, LEFT, NARROW_FONT, TOP, WIDTH, percentage_chart

DAY = dt.datetime(2026, 3, 1, 9, 30, tzinfo=dt.UTC)


def test_no_results_make_an_empty_chart():
    chart = percentage_chart([])
    assert chart.points == () and chart.polyline == ""
    assert chart.summary == "No finished quizzes yet."
    assert len(chart.y_ticks) == 5


def test_one_result_sits_in_the_middle():
    chart = percentage_chart([(DAY, 100)])
    (point,) = chart.points
    assert point.y == TOP
    assert point.x == LEFT + (WIDTH - LEFT - 16) / 2
    assert chart.x_labels[0][2] == "middle"


def test_points_spread_across_and_scale_to_the_plot():
    results = [(DAY + dt.timedelta(days=n), value) for n, value in enumerate([0, 50, 100])]
    chart = percentage_chart(results)
    xs = [point.x for point in chart.points]
    ys = [point.y for point in chart.points]
    assert xs[0] == LEFT and xs[-1] == WIDTH - 16
    assert xs[1] - xs[0] == xs[2] - xs[1]
    assert ys[0] == HEIGHT - 40 and ys[2] == TOP and ys[1] == (ys[0] + ys[2]) / 2
    assert chart.polyline.count(",") == 3
    assert chart.summary == "3 quizzes: first 0%, latest 100%, best 100%."
    assert [label for _, label, _ in chart.x_labels] == ["01 Mar 2026", "03 Mar 2026"]
    assert chart.points[1].label == "02 Mar 2026 09:30: 50%"


def test_the_left_margin_fits_the_widest_tick_label_at_the_phone_size():
    # "100%" in a sans face: digits about 0.6em wide, the percent sign about 0.9em; 6 units gap.
    assert LEFT - 6 >= (3 * 0.6 + 0.9) * NARROW_FONT


def test_the_stylesheet_uses_the_phone_size_the_margin_was_made_for():
    css = (Path(__file__).resolve().parent.parent / "static/css/quiz.css").read_text()
    sizes = re.findall(r"\.score-chart text \{[^}]*?font-size: (\d+)px", css)
    assert sizes and max(int(size) for size in sizes) == NARROW_FONT
