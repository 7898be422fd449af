"""Charts of the figures page (assistant/staff/charts.py), parsed as XML: labelled images, one
bar per value in proportion, escaped text, no style attributes (the CSP forbids them), the empty
chart, shortened labels, thinned labels and the nice value axis."""

import math
import xml.etree.ElementTree as ET

import pytest

from assistant.staff.charts import NO_DATA, Bar, axis_ticks, bar_chart, column_chart, format_number

SVG = "{http://www.w3.org/2000/svg}"
CHARTS = [column_chart, bar_chart]


def parse(markup: str) -> ET.Element:
    return ET.fromstring(markup)


def rects(svg: ET.Element) -> list:
    return svg.findall(f"{SVG}rect")


def texts(svg: ET.Element, css_class: str = "beheer-grafiek__tekst") -> list:
    return [element.text for element in svg.iter(f"{SVG}text") if element.get("class") == css_class]


def size(rect: ET.Element, attribute: str) -> float:
    return float(rect.get(attribute))


def days(values) -> list:
    return [Bar(f"{day} dec", value) for day, value in enumerate(values, start=1)]


@pytest.mark.parametrize("chart", CHARTS)
def test_a_chart_is_an_image_named_by_its_title_and_described_by_a_summary(chart):
    svg = parse(chart("Gesprekken per dag", days([3, 12, 5]), "gesprekken", chart_id="dagen"))
    assert svg.tag == f"{SVG}svg"
    assert svg.get("role") == "img" and svg.get("focusable") == "false"
    assert "beheer-grafiek" in svg.get("class").split()
    assert svg.get("viewBox").startswith("0 0 ") and svg.get("preserveAspectRatio")
    title = svg.find(f"{SVG}title")
    assert svg.get("aria-labelledby") == title.get("id") == "dagen-titel"
    assert title.text == "Gesprekken per dag"
    desc = svg.find(f"{SVG}desc")
    assert svg.get("aria-describedby") == desc.get("id")
    assert "Hoogste waarde: 12 gesprekken" in desc.text and "2 dec" in desc.text
    assert "Totaal: 20 gesprekken." in desc.text


def test_the_column_chart_says_which_period_it_covers():
    desc = parse(column_chart("Gesprekken", days([1, 2, 3]))).find(f"{SVG}desc").text
    assert desc == "Van 1 dec tot en met 3 dec. Hoogste waarde: 3 op 3 dec. Totaal: 6."


def test_columns_are_in_order_and_in_proportion():
    columns = rects(parse(column_chart("Gesprekken", days([12, 6, 0, 3]))))
    assert len(columns) == 4
    heights = [size(rect, "height") for rect in columns]
    assert heights[1] == pytest.approx(heights[0] / 2) and heights[3] == pytest.approx(heights[0] / 4)
    assert heights[2] == 0
    bottoms = {round(size(rect, "y") + size(rect, "height"), 1) for rect in columns}
    assert len(bottoms) == 1  # all stand on the axis
    xs = [size(rect, "x") for rect in columns]
    assert xs == sorted(xs)


def test_the_tallest_column_reaches_the_top_gridline_when_the_maximum_is_nice():
    svg = parse(column_chart("Gesprekken", days([40, 10])))
    tallest = rects(svg)[0]
    top_gridline = min(size(line, "y1") for line in svg.iter(f"{SVG}line") if "raster" in line.get("class"))
    assert size(tallest, "y") == pytest.approx(top_gridline)


def test_bars_are_ranked_highest_first_and_in_proportion():
    svg = parse(bar_chart("Onderwerpen", [Bar("Zorg", 5), Bar("Huurtoeslag", 10), Bar("Afval", 5)]))
    bars = rects(svg)
    widths = [size(rect, "width") for rect in bars]
    assert widths[1] == pytest.approx(widths[0] / 2) == pytest.approx(widths[2])
    assert texts(svg)[-3:] == ["Huurtoeslag", "Zorg", "Afval"]  # ties keep their order
    assert texts(svg, "beheer-grafiek__waarde") == ["10", "5", "5"]
    assert [size(rect, "y") for rect in bars] == sorted(size(rect, "y") for rect in bars)


@pytest.mark.parametrize("chart", CHARTS)
def test_every_bar_has_a_title_with_its_description_or_label_and_value(chart):
    bars = [Bar("3 dec", 12, "3 december 2026: 12 gesprekken"), Bar("4 dec", 2.5)]
    titles = [rect.find(f"{SVG}title").text for rect in rects(parse(chart("Gesprekken", bars, "uur")))]
    assert titles == ["3 december 2026: 12 gesprekken", "4 dec: 2,5 uur"]


@pytest.mark.parametrize("chart", CHARTS)
def test_labels_and_titles_are_escaped(chart):
    markup = chart("A & B <i>", [Bar("<script>", 3, 'x" onload="y'), Bar("Zorg & Wmo", 1)], "<b>")
    svg = parse(markup)  # well-formed: nothing broke out of its element or attribute
    assert "<script>" not in markup and "<i>" not in markup
    assert not [element for element in svg.iter() if element.tag in (f"{SVG}script", "script", f"{SVG}i")]
    assert svg.find(f"{SVG}title").text == "A & B <i>"
    assert any(text == "<script>" for text in texts(svg))
    assert rects(svg)[0].find(f"{SVG}title").text == 'x" onload="y'
    assert all("onload" not in element.attrib for element in svg.iter())


def test_the_chart_id_is_escaped_too():
    svg = parse(column_chart("Gesprekken", days([1]), chart_id='a"b'))
    assert svg.find(f"{SVG}title").get("id") == 'a"b-titel'


@pytest.mark.parametrize("chart", CHARTS)
@pytest.mark.parametrize("values", [[], [12, 3], [0, 0]])
def test_no_style_attribute_style_element_or_script(chart, values):
    markup = chart("Gesprekken", days(values))
    assert "style=" not in markup
    for element in parse(markup).iter():
        assert "style" not in element.attrib
        assert element.tag not in (f"{SVG}style", f"{SVG}script")
        assert not any(name.startswith("on") for name in element.attrib)


@pytest.mark.parametrize("chart", CHARTS)
@pytest.mark.parametrize("values", [[], [0], [0, 0, 0]])
def test_without_data_the_chart_says_so(chart, values):
    svg = parse(chart("Gesprekken per dag", days(values), "gesprekken", chart_id="leeg"))
    assert svg.get("role") == "img" and svg.get("aria-labelledby") == "leeg-titel"
    assert svg.find(f"{SVG}title").text == "Gesprekken per dag"
    assert svg.find(f"{SVG}desc").text == NO_DATA == "Geen gegevens in deze periode."
    assert texts(svg) == [NO_DATA]
    assert rects(svg) == []


def test_long_topic_names_are_shortened_but_kept_whole_in_the_title():
    long_name = "Bijzondere bijstand voor duurzame gebruiksgoederen"  # 50 characters
    svg = parse(bar_chart("Onderwerpen", [Bar(long_name, 4), Bar("Afval", 2)]))
    shown = texts(svg)[-2]
    assert shown.endswith("…") and len(shown) <= 28 and long_name.startswith(shown[:-1])
    assert rects(svg)[0].find(f"{SVG}title").text == f"{long_name}: 4"
    assert "Afval" in texts(svg)
    assert long_name in svg.find(f"{SVG}desc").text


def test_a_name_of_exactly_28_characters_is_shown_whole():
    name = "Vervoer naar dagbesteding Wm"  # 28 characters
    assert len(name) == 28 and name in texts(parse(bar_chart("Onderwerpen", [Bar(name, 1)])))


def test_many_columns_get_every_nth_label_but_each_its_title():
    values = [day % 7 + 1 for day in range(60)]
    svg = parse(column_chart("Gesprekken", [Bar(str(day), value) for day, value in enumerate(values, 1)]))
    assert len(rects(svg)) == 60
    assert [rect.find(f"{SVG}title").text for rect in rects(svg)][:2] == ["1: 1", "2: 2"]
    numbers = [int(text) for text in texts(svg)[len(axis_ticks(7)[0]) :]]
    assert 4 <= len(numbers) <= 8
    assert numbers[0] == 1 and len({b - a for a, b in zip(numbers, numbers[1:])}) == 1  # evenly spaced


def test_long_column_labels_are_thinned_so_they_do_not_overlap():
    svg = parse(column_chart("Gesprekken", [Bar(f"week {week} 2026", 1) for week in range(40, 48)]))
    labels = [text for text in svg.iter(f"{SVG}text") if text.text.startswith("week")]
    assert 1 < len(labels) < 8
    xs = [size(label, "x") for label in labels]
    assert min(b - a for a, b in zip(xs, xs[1:])) >= len("week 40 2026") * 0.55 * 16


def test_a_week_of_short_labels_is_labelled_in_full():
    labels = [label for label in texts(parse(column_chart("Gesprekken", days([1] * 7)))) if "dec" in label]
    assert labels == [f"{day} dec" for day in range(1, 8)]


@pytest.mark.parametrize(
    "maximum, top, steps",
    [(37, 40, 4), (40, 40, 4), (1, 1, 5), (0.3, 0.3, 3), (0.31, 0.4, 4), (12, 15, 3), (101, 150, 3), (2500, 2500, 5)],
)
def test_the_axis_ends_at_the_smallest_nice_maximum(maximum, top, steps):
    ticks, _ = axis_ticks(maximum)
    assert ticks[0] == 0 and ticks[-1] == pytest.approx(top) and len(ticks) == steps + 1
    step = ticks[1]
    assert all(b - a == pytest.approx(step) for a, b in zip(ticks, ticks[1:]))
    mantissa = step / 10 ** math.floor(math.log10(step))
    assert round(mantissa, 6) in (1, 2, 5)


def test_axis_numbers_are_written_the_dutch_way():
    svg = parse(column_chart("Gemiddelde", days([0.8, 0.3])))
    assert ["0", "0,2", "0,4", "0,6", "0,8"] == [text for text in texts(svg) if "dec" not in text]
    svg = parse(bar_chart("Gesprekken", [Bar("Zorg", 2500)]))
    assert texts(svg)[:6] == ["0", "500", "1.000", "1.500", "2.000", "2.500"]


@pytest.mark.parametrize(
    "value, text", [(12, "12"), (12.0, "12"), (2.5, "2,5"), (2 / 3, "0,67"), (1234.5, "1.234,5"), (0.004, "0")]
)
def test_numbers_have_a_decimal_comma_and_no_needless_decimals(value, text):
    assert format_number(value) == text


@pytest.mark.parametrize("value", [-1, float("nan"), float("inf")])
def test_a_bar_needs_a_finite_value_of_at_least_zero(value):
    with pytest.raises(ValueError):
        Bar("fout", value)


def test_counts_get_whole_gridlines():
    assert axis_ticks(1, whole=True) == ([0.0, 1.0, 2.0, 3.0], 0)
    assert axis_ticks(2, whole=False)[1] == 1  # 0,5 steps for measured values
    assert "0,2" not in column_chart("Gesprekken", [Bar("1 dec", 1), Bar("2 dec", 0)])
