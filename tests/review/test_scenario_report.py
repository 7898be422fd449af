"""The report of test conversations (assistant/review/scenario_report.py): what it says, that it
escapes every text, shows outcomes in words, and keeps to the accessibility rules a test can see."""

import re
from datetime import datetime, timezone
from html.parser import HTMLParser
from typing import Dict, List, Optional, Tuple

import pytest

from assistant.review.scenario_report import REPORT_CSS, local_time, report_fragment, report_page, seconds
from assistant.review.scenarios import RunResult, parse, run

HEADER = "gesprek;inwoner;knop;moet_noemen;mag_niet_noemen;gemeente;opmerking"
ROWS = (
    "Rolstoel <b>vet</b>;wat moet ik betalen?;;maximaal;;GM0363;Een <i>opmerking</i>",
    ";;Rolstoel;geen eigen bijdrage;;;",
    "Mislukt gesprek;<script>alert(1)</script>;;Tot ziens;Hallo;;",
    ";;Vervoer;;;;",
    ";hallo;;;;;",
)
REPLIES = {
    "wat moet ik betalen?": [
        {"text": "In 2026 betaalt u maximaal € 21,80 per maand.\n\nVoor welke hulp?"},
        {"custom": {"type": "feedback_request"}},
        {"text": "Kies een knop.", "buttons": [{"title": "Rolstoel", "payload": "/rolstoel"}]},
    ],
    "/rolstoel": [{"text": "Voor een rolstoel betaalt u geen eigen bijdrage."}],
    "<script>alert(1)</script>": [{"text": "Hallo <script>alert(2)</script> & <img src=x onerror=alert(3)>"}],
}
VERSION = "model abc123, inhoud <def456>"


def fake_send(sender: str, message: str, metadata: Optional[Dict[str, str]]) -> List[dict]:
    return REPLIES.get(message, [])


@pytest.fixture
def result() -> RunResult:
    scenarios = parse(("\n".join((HEADER, *ROWS)) + "\n").encode(), "gesprekken <1>.csv")
    return run(scenarios, fake_send)


class Page(HTMLParser):
    """The page's elements in order, as (tag, attributes), and its text."""

    def __init__(self, html: str):
        super().__init__()
        self.elements: List[Tuple[str, Dict[str, Optional[str]]]] = []
        self.text: List[str] = []
        self.feed(html)

    def handle_starttag(self, tag: str, attrs: List[Tuple[str, Optional[str]]]) -> None:
        self.elements.append((tag, dict(attrs)))

    def handle_data(self, data: str) -> None:
        self.text.append(data)

    def tags(self, *names: str) -> List[Tuple[str, Dict[str, Optional[str]]]]:
        return [(tag, attrs) for tag, attrs in self.elements if tag in names]


def test_the_summary_at_the_top(result):
    page = report_page(result, VERSION)
    text = " ".join(" ".join(Page(page).text).split())
    assert "<title>Rapport testgesprekken: 2 van 5 stappen gelukt</title>" in page
    assert "Samenvatting 2 van 5 stappen gelukt" in text
    assert "1 van 2 gesprekken helemaal gelukt. 2 stappen mislukt. 1 stap niet uitgevoerd." in text
    assert "Bestand gesprekken <1>.csv" in text
    assert f"Datum en tijd {local_time(result.started)}" in text
    assert "Versie model abc123, inhoud <def456>" in text
    assert "Deze gesprekken gingen niet goed: Mislukt gesprek" in text


def test_a_failing_step_shows_the_reply_beside_the_expectation_and_its_problems(result):
    text = " ".join(" ".join(Page(report_fragment(result, VERSION)).text).split())
    assert "Moet noemen: Tot ziens Mag niet noemen: Hallo Hallo <script>alert(2)</script>" in text
    assert "Het antwoord noemt 'Tot ziens' niet. Het antwoord noemt 'Hallo'. Dat mocht niet." in text
    assert "De knop 'Vervoer' was er niet. Er waren geen knoppen." in text
    assert "Niet verstuurd – Niet uitgevoerd Stap 2 ging mis, dus het gesprek liep anders dan beschreven." in text
    assert "Knoppen: Rolstoel" in text
    assert "Opmerking: Een <i>opmerking</i>" in text
    assert "De widget staat op de website van de gemeente met code GM0363." in text


def test_every_text_is_escaped(result):
    page = report_page(result, VERSION)
    for raw in ("<script>", "<img", "<b>vet", "<i>opmerking", "<def456>", "<1>.csv"):
        assert raw not in page
    assert "&lt;script&gt;alert(2)&lt;/script&gt; &amp; &lt;img src=x onerror=alert(3)&gt;" in page
    assert not Page(page).tags("script", "img", "b", "i")


def test_outcomes_are_words_not_only_colours(result):
    sign_and_word = r'<span class="tg-uitslag (tg-[a-z-]+)"><span aria-hidden="true">.</span> ([A-Za-z ]+)</span>'
    labels = re.findall(sign_and_word, report_page(result, VERSION))
    assert ("tg-gelukt", "Gelukt") in labels
    assert ("tg-mislukt", "Mislukt") in labels
    assert ("tg-niet-uitgevoerd", "Niet uitgevoerd") in labels
    assert {word for _, word in labels} == {"Gelukt", "Mislukt", "Niet uitgevoerd"}


def test_the_page_is_accessible_as_far_as_a_test_can_see(result):
    html = report_page(result, VERSION)
    page = Page(html)
    assert html.startswith('<!doctype html>\n<html lang="nl">')
    headings = [int(tag[1]) for tag, _ in page.tags("h1", "h2", "h3", "h4", "h5", "h6")]
    assert headings.count(1) == 1 and headings[0] == 1
    assert all(later <= earlier + 1 for earlier, later in zip(headings, headings[1:]))  # no level skipped
    tables, captions = page.tags("table"), page.tags("caption")
    assert len(tables) == len(captions) == 2
    assert all(attrs.get("scope") in ("col", "row") for _, attrs in page.tags("th"))
    ids = [attrs["id"] for _, attrs in page.elements if "id" in attrs]
    assert len(ids) == len(set(ids))
    regions = [attrs for tag, attrs in page.tags("div") if attrs.get("class") == "tg-tabel"]
    assert len(regions) == 2
    for region in regions:
        assert region["tabindex"] == "0" and region["role"] == "region" and region["aria-labelledby"] in ids
    assert page.tags("meta") and any(attrs.get("name") == "viewport" for _, attrs in page.tags("meta"))


def test_the_page_needs_nothing_from_elsewhere_and_prints(result):
    html = report_page(result, VERSION)
    assert "<style>" in html and "@media print" in html and "white-space: pre-wrap" in html
    assert not Page(html).tags("link", "script", "img", "iframe")
    assert "url(" not in html and "@import" not in html


def contrast(foreground: str, background: str) -> float:
    def luminance(colour: str) -> float:
        channels = [int(colour[index : index + 2], 16) / 255 for index in (1, 3, 5)]
        linear = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
        return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]

    lighter, darker = sorted((luminance(foreground), luminance(background)), reverse=True)
    return (lighter + 0.05) / (darker + 0.05)


def test_every_text_colour_has_enough_contrast():
    rules = re.findall(r"([^{}]+)\{([^{}]*)\}", REPORT_CSS)
    checked = 0
    for selector, body in rules:
        colour = re.search(r"(?<![-\w])color:\s*(#[0-9a-f]{6})", body)
        if colour:
            background = re.search(r"background:\s*(#[0-9a-f]{6})", body)
            assert contrast(colour.group(1), background.group(1) if background else "#ffffff") >= 4.5, selector
            checked += 1
    assert checked >= 5


def test_the_fragment_is_only_the_content(result):
    fragment = str(report_fragment(result, VERSION))
    assert fragment.startswith('<div class="tg-rapport">')
    assert "<html" not in fragment and "<h1" not in fragment and "<style" not in fragment
    assert "2 van 5 stappen gelukt" in fragment


def test_the_coverage_by_kind():
    scenarios = parse(f"{HEADER}\nEen;hallo;;;;;\n".encode(), "een.csv")
    everything = {"antwoord/a": "Antwoord A", "antwoord/b": "Antwoord <B>", "kennis/c": "Vraag C"}
    result = run(scenarios, fake_send, lambda senders: {"antwoord/a", "kennis/c"}, everything)
    text = " ".join(" ".join(Page(report_page(result, VERSION)).text).split())
    assert "De gesprekken bereikten 2 van de 3 delen van Wegwijzer." in text
    assert "Antwoorden: 1 van 2 bereikt (50%) Antwoord <B> (antwoord/b)" in text
    assert "Kennisbank: 1 van 1 bereikt (100%) Alles bereikt." in text


def test_without_coverage_no_such_section(result):
    assert "bereikten" not in report_page(result, VERSION)


def test_times_as_read_in_the_netherlands():
    assert local_time(datetime(2026, 12, 5, 13, 5, tzinfo=timezone.utc)) == "5 december 2026 om 14:05"
    assert (seconds(1.24), seconds(42.3)) == ("1,2 seconden", "42 seconden")
