"""Bar charts for the figures page of the staff app, drawn on the server as inline SVG: the page
needs no JavaScript and no chart library, and works under the strict Content-Security-Policy
(style-src 'self', script-src 'self'), so there is no style attribute, <style> or <script> here.

- Screen readers: the <svg> is role="img", named by its <title> and described by a <desc> that
  sums the figures up (highest value, total), because a screen reader does not walk through
  the bars of an image. Every bar has a <title> too, a tooltip for mouse users. The page should
  still show the same figures in a table.
- Colours, lines and font sizes come from CSS classes in web/public/beheer/grafieken.css, which
  also covers printing and forced colours (Windows high contrast).
- Every text is escaped: the markup goes into a template with |safe, and labels are topic
  names that may contain anything.
- The value axis runs from 0 to a "nice" maximum: 3 to 5 steps of 1, 2 or 5 × 10^n.
"""

import math
from dataclasses import dataclass
from html import escape
from typing import List, Sequence, Tuple

NO_DATA = "Geen gegevens in deze periode."
WIDTH = 560  # viewBox units: 16-unit text is still 8 px high when the chart is 288 px wide
FONT_SIZE = 16  # as in grafieken.css
CHAR_WIDTH = 0.55 * FONT_SIZE  # an estimate: SVG cannot measure text before it is drawn
STEP_MANTISSAS = (1, 2, 5)
AXIS_INTERVALS = (3, 4, 5)
MAX_COLUMN_LABELS = 8
COLUMN_LABEL_LENGTH = 12  # "week 49", "3 dec", "ma 3 dec"
BAR_LABEL_LENGTH = 28  # topic names; the full name stays in the bar's title

# Column chart: value axis on the left, labels under the columns.
COLUMN_TOP, COLUMN_PLOT_HEIGHT, COLUMN_BOTTOM, COLUMN_RIGHT = 16, 220, 40, 16
# Bar chart: labels on the left (28 characters), value after each bar, value axis at the bottom.
BAR_LABELS_WIDTH, BAR_ROW, BAR_HEIGHT, BAR_TOP, BAR_BOTTOM = 256, 32, 20, 8, 36


@dataclass(frozen=True)
class Bar:
    label: str  # shown under or beside the bar: "3 dec", "week 49", a topic name
    value: float  # >= 0
    description: str = ""  # the bar's title, "3 december 2026: 12 gesprekken"; default "label: value unit"

    def __post_init__(self) -> None:
        if not math.isfinite(self.value) or self.value < 0:
            raise ValueError(f"A bar's value must be a finite number >= 0, not {self.value!r}.")


def column_chart(title: str, bars: Sequence[Bar], unit: str = "", chart_id: str = "grafiek") -> str:
    """Vertical bars over time (days or weeks), left to right; only every n-th column is labelled
    when labels would overlap. chart_id must be unique on the page (it makes the ids)."""
    if not any(bar.value for bar in bars):
        return _empty_chart(title, chart_id)
    ticks, decimals = axis_ticks(max(bar.value for bar in bars), _counts(bars))
    left, body = _column_axis(ticks, decimals)
    right, bottom = WIDTH - COLUMN_RIGHT, COLUMN_TOP + COLUMN_PLOT_HEIGHT
    slot, scale = (right - left) / len(bars), COLUMN_PLOT_HEIGHT / ticks[-1]
    width = min(slot * 0.7, 48)
    for index, bar in enumerate(bars):
        height = bar.value * scale
        body.append(_rect(left + index * slot + (slot - width) / 2, bottom - height, width, height, bar, unit))
    body.append(_line(left, bottom, right, bottom, "beheer-grafiek__as"))
    body.extend(_column_labels(bars, left, slot, bottom + 24))
    desc = _summary(bars, unit, "op")
    if len(bars) > 1:
        desc = f"Van {bars[0].label} tot en met {bars[-1].label}. {desc}"
    return _svg(title, desc, chart_id, bottom + COLUMN_BOTTOM, "kolommen", body)


def bar_chart(title: str, bars: Sequence[Bar], unit: str = "", chart_id: str = "grafiek") -> str:
    """Horizontal bars for a ranked list (top topics), highest first (ties keep their order), label
    left of the bar and the value at its end, so the exact figures can be read without the axis.
    chart_id must be unique on the page (it makes the ids)."""
    if not any(bar.value for bar in bars):
        return _empty_chart(title, chart_id)
    bars = sorted(bars, key=lambda bar: -bar.value)
    values = [format_number(bar.value) for bar in bars]
    ticks, decimals = axis_ticks(bars[0].value, _counts(bars))
    left, right = BAR_LABELS_WIDTH, WIDTH - 16 - CHAR_WIDTH * max(len(value) for value in values)
    bottom, scale = BAR_TOP + len(bars) * BAR_ROW, (right - left) / ticks[-1]
    body = _bar_axis(ticks, decimals, left, scale, bottom)
    for index, (bar, value) in enumerate(zip(bars, values)):
        middle, width = BAR_TOP + (index + 0.5) * BAR_ROW, bar.value * scale
        body.append(_rect(left, middle - BAR_HEIGHT / 2, width, BAR_HEIGHT, bar, unit))
        body.append(_text(left - 8, middle, _shorten(bar.label, BAR_LABEL_LENGTH), anchor="end"))
        body.append(_text(left + width + 6, middle, value, "beheer-grafiek__waarde", "start"))
    body.append(_line(left, BAR_TOP, left, bottom, "beheer-grafiek__as"))
    return _svg(title, _summary(bars, unit, "bij"), chart_id, bottom + BAR_BOTTOM, "staven", body)


def axis_ticks(maximum: float, whole: bool = False) -> Tuple[List[float], int]:
    """The values of the gridlines from 0 up to the smallest "nice" maximum >= maximum (3 to 5
    steps of 1, 2 or 5 × 10^n: 37 → 0-40, 1 → 0-1, 0.3 → 0-0,3), and the decimals they need.
    For counts (`whole`) a step is at least 1: "0,2 gesprekken" means nothing."""
    top = math.floor(math.log10(maximum))
    lowest = max(top - 2, 0) if whole else top - 2
    candidates = [
        (mantissa * intervals * 10.0**exponent, mantissa, exponent, intervals)
        for exponent in range(lowest, max(top + 2, lowest + 1))
        for mantissa in STEP_MANTISSAS
        for intervals in AXIS_INTERVALS
    ]
    _, mantissa, exponent, intervals = min(c for c in candidates if c[0] >= maximum * (1 - 1e-9))
    return [_power(mantissa * step, exponent) for step in range(intervals + 1)], max(0, -exponent)


def _counts(bars: Sequence[Bar]) -> bool:
    return all(float(bar.value).is_integer() for bar in bars)


def format_number(value: float, decimals: int = 2) -> str:
    """Dutch notation, 1.234,5: a decimal comma, a point between thousands, no trailing zeros."""
    text = f"{value:,.{decimals}f}"
    if decimals:
        text = text.rstrip("0").rstrip(".")
    return _dutch(text)


def _tick_text(value: float, decimals: int) -> str:
    """Axis numbers keep the same decimals (0,5 / 1,0 / 1,5), which is easier to scan."""
    return _dutch(f"{value:,.{decimals}f}") if value else "0"


def _dutch(text: str) -> str:
    return text.replace(",", " ").replace(".", ",").replace(" ", ".")


def _power(mantissa: int, exponent: int) -> float:
    """mantissa × 10^exponent without float noise: 3 × 10^-1 is 0.3, not 0.30000000000000004."""
    return float(mantissa * 10**exponent) if exponent >= 0 else mantissa / 10**-exponent


def _with_unit(value: float, unit: str) -> str:
    return f"{format_number(value)} {unit}" if unit else format_number(value)


def _summary(bars: Sequence[Bar], unit: str, preposition: str) -> str:
    highest = max(bars, key=lambda bar: bar.value)  # the first one on a tie
    total = sum(bar.value for bar in bars)
    return (
        f"Hoogste waarde: {_with_unit(highest.value, unit)} {preposition} {highest.label}. "
        f"Totaal: {_with_unit(total, unit)}."
    )


def _shorten(label: str, length: int) -> str:
    return label if len(label) <= length else label[: length - 1].rstrip() + "…"


def _column_axis(ticks: List[float], decimals: int) -> Tuple[float, List[str]]:
    """Horizontal gridlines with their numbers on the left; returns where the plot starts, just
    right of the widest number."""
    texts = [_tick_text(tick, decimals) for tick in ticks]
    left = 16 + CHAR_WIDTH * max(len(text) for text in texts)
    bottom, scale = COLUMN_TOP + COLUMN_PLOT_HEIGHT, COLUMN_PLOT_HEIGHT / ticks[-1]
    body = []
    for tick, text in zip(ticks, texts):
        y = bottom - tick * scale
        if tick:
            body.append(_line(left, y, WIDTH - COLUMN_RIGHT, y, "beheer-grafiek__raster"))
        body.append(_text(left - 8, y, text, anchor="end"))
    return left, body


def _bar_axis(ticks: List[float], decimals: int, left: float, scale: float, bottom: float) -> List[str]:
    """Vertical gridlines with their numbers under the bars."""
    body = []
    for tick in ticks:
        x = left + tick * scale
        if tick:
            body.append(_line(x, BAR_TOP, x, bottom, "beheer-grafiek__raster"))
        body.append(_text(x, bottom + 20, _tick_text(tick, decimals)))
    return body


def _column_labels(bars: Sequence[Bar], left: float, slot: float, y: float) -> List[str]:
    """Every n-th label, so that they neither overlap nor exceed MAX_COLUMN_LABELS; each stays
    inside the chart."""
    labels = [_shorten(bar.label, COLUMN_LABEL_LENGTH) for bar in bars]
    longest = max(len(label) for label in labels) * CHAR_WIDTH
    every = max(1, math.ceil((longest + 8) / slot), math.ceil(len(bars) / MAX_COLUMN_LABELS))
    texts = []
    for index in range(0, len(bars), every):
        half = len(labels[index]) * CHAR_WIDTH / 2
        x = min(max(left + (index + 0.5) * slot, half), WIDTH - half)
        texts.append(_text(x, y, labels[index]))
    return texts


def _empty_chart(title: str, chart_id: str) -> str:
    return _svg(title, NO_DATA, chart_id, 64, "leeg", [_text(WIDTH / 2, 32, NO_DATA)])


def _svg(title: str, desc: str, chart_id: str, height: float, kind: str, body: List[str]) -> str:
    """The outer element: an image named by its title and described by its summary."""
    chart_id = escape(chart_id)
    return "\n".join(
        [
            f'<svg xmlns="http://www.w3.org/2000/svg" class="beheer-grafiek beheer-grafiek--{kind}"'
            f' viewBox="0 0 {WIDTH} {_n(height)}" preserveAspectRatio="xMidYMin meet" role="img"'
            f' aria-labelledby="{chart_id}-titel" aria-describedby="{chart_id}-beschrijving" focusable="false">',
            f'<title id="{chart_id}-titel">{escape(title)}</title>',
            f'<desc id="{chart_id}-beschrijving">{escape(desc)}</desc>',
            *body,
            "</svg>",
        ]
    )


def _rect(x: float, y: float, width: float, height: float, bar: Bar, unit: str) -> str:
    tooltip = bar.description or f"{bar.label}: {_with_unit(bar.value, unit)}"
    return (
        f'<rect class="beheer-grafiek__staaf" x="{_n(x)}" y="{_n(y)}" width="{_n(width)}" height="{_n(height)}">'
        f"<title>{escape(tooltip)}</title></rect>"
    )


def _line(x1: float, y1: float, x2: float, y2: float, css_class: str) -> str:
    return f'<line class="{css_class}" x1="{_n(x1)}" y1="{_n(y1)}" x2="{_n(x2)}" y2="{_n(y2)}"/>'


def _text(x: float, y: float, text: str, css_class: str = "beheer-grafiek__tekst", anchor: str = "middle") -> str:
    """text-anchor and dy are attributes, not CSS: the layout must hold even without the stylesheet."""
    return f'<text class="{css_class}" x="{_n(x)}" y="{_n(y)}" dy="0.35em" text-anchor="{anchor}">{escape(text)}</text>'


def _n(number: float) -> str:
    """A coordinate with at most 2 decimals, in SVG notation (a decimal point)."""
    return f"{number:.2f}".rstrip("0").rstrip(".")
