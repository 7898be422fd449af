"""The report of a run of test conversations (scenarios.py), for Wmo-raad members: Dutch (B1),
accessible (WCAG 2.1 AA) and printable. A standalone page with its style inside (no external
resources: it is mailed and opened from disk), or only its content, for a web page that has its
own h1 and includes REPORT_CSS.

Outcomes are words ("Gelukt", "Mislukt", "Niet uitgevoerd"), never only a colour, and every text
is escaped: a reply may repeat what a resident typed, HTML included.
"""

from datetime import datetime
from typing import Sequence
from zoneinfo import ZoneInfo

from jinja2 import Environment
from markupsafe import Markup

from assistant.content.dutch import dutch_date
from assistant.review.scenarios import Outcome, RunResult, amount

TIME_ZONE = ZoneInfo("Europe/Amsterdam")
TITLE = "Rapport testgesprekken"

# Colours on white, each with a contrast of 7:1 or more; the outcome is also in words and a sign.
REPORT_CSS = """
.tg-rapport { font-family: system-ui, -apple-system, "Segoe UI", Roboto, Arial, sans-serif; font-size: 1rem;
  line-height: 1.5; color: #1b1b1b; overflow-wrap: break-word; }
.tg-rapport h2 { font-size: 1.5rem; margin: 2rem 0 0.75rem; }
.tg-rapport h3 { font-size: 1.25rem; margin: 2rem 0 0.5rem; }
.tg-samenvatting { border: 2px solid #1b1b1b; border-radius: 4px; padding: 0.75rem 1rem; max-width: 48rem; }
.tg-samenvatting h2 { margin-top: 0; }
.tg-samenvatting p { margin: 0 0 0.5rem; }
.tg-kerngetal { font-size: 1.25rem; font-weight: 700; }
.tg-gegevens { display: grid; grid-template-columns: max-content minmax(0, 1fr); gap: 0.25rem 1rem;
  margin: 0.5rem 0 0; }
.tg-gegevens dt { font-weight: 700; }
.tg-gegevens dd { margin: 0; }
.tg-uitslag { display: inline-block; font-weight: 700; border: 2px solid currentColor; border-radius: 4px;
  padding: 0 0.4rem; white-space: nowrap; }
.tg-gelukt { color: #0b5a27; background: #eaf6ee; }
.tg-mislukt { color: #9c1b1b; background: #fdeeee; }
.tg-niet-uitgevoerd { color: #474747; background: #f2f2f2; }
.tg-tabel { overflow-x: auto; max-width: 100%; margin: 0.5rem 0 1.5rem; }
.tg-tabel:focus { outline: 3px solid #1f4fa3; outline-offset: 2px; }
.tg-rapport table { border-collapse: collapse; table-layout: fixed; width: 100%; min-width: 52rem; }
.tg-rapport caption { text-align: left; font-weight: 700; padding: 0.25rem 0; }
.tg-rapport th, .tg-rapport td { border: 1px solid #6b6b6b; padding: 0.4rem 0.5rem; text-align: left;
  vertical-align: top; overflow-wrap: anywhere; }
.tg-rapport thead th { background: #e8e8e8; overflow-wrap: normal; }
.tg-rapport .tg-stap { width: 5rem; }
.tg-rapport .tg-inwoner { width: 22%; }
.tg-rapport .tg-verwacht { width: 22%; }
.tg-rapport .tg-uitslag-kolom { width: 12rem; }
.tg-tekst { white-space: pre-wrap; margin: 0; font-family: inherit; }
.tg-klein { font-size: 0.9rem; color: #474747; }
.tg-rapport ul { margin: 0.25rem 0; padding-left: 1.25rem; }
.tg-rapport a { color: #1f4fa3; }
@media (max-width: 30rem) {
  .tg-gegevens { display: block; }
  .tg-gegevens dd { margin-bottom: 0.5rem; }
}
@media print {
  .tg-rapport { font-size: 10pt; }
  .tg-tabel { overflow: visible; }
  .tg-rapport table { min-width: 0; }
  .tg-rapport tr, .tg-samenvatting { break-inside: avoid; }
  .tg-rapport a { color: inherit; text-decoration: none; }
}
"""

FRAGMENT = """\
<div class="tg-rapport">
<section class="tg-samenvatting" aria-labelledby="tg-samenvatting-kop">
  <h2 id="tg-samenvatting-kop">Samenvatting</h2>
  <p class="tg-kerngetal">{{ totals.passed }} van {{ count(totals.steps, "stap", "stappen") }} gelukt</p>
  <p>{{ totals.conversations_passed }} van {{ count(totals.conversations, "gesprek", "gesprekken") }} helemaal gelukt.
    {%- if totals.failed %} {{ count(totals.failed, "stap", "stappen") }} mislukt.{% endif %}
    {%- if totals.not_run %} {{ count(totals.not_run, "stap", "stappen") }} niet uitgevoerd.{% endif %}</p>
  {% if failed %}
  <p>Deze gesprekken gingen niet goed:</p>
  <ul>
    {% for conversation in failed %}
    <li><a href="#{{ anchors[conversation.sender_id] }}">{{ conversation.name }}</a></li>
    {% endfor %}
  </ul>
  {% endif %}
  <dl class="tg-gegevens">
    <dt>{{ "Bestand" if result.files|length == 1 else "Bestanden" }}</dt><dd>{{ result.files|join(", ") }}</dd>
    <dt>Datum en tijd</dt><dd>{{ when }}</dd>
    <dt>Duur</dt><dd>{{ seconds(result.seconds) }}</dd>
    <dt>Versie</dt><dd>{{ version }}</dd>
  </dl>
</section>

<h2>Gesprekken</h2>
{% for conversation in result.conversations %}
{% set anchor = anchors[conversation.sender_id] %}
<section class="tg-gesprek" aria-labelledby="{{ anchor }}">
  <h3 id="{{ anchor }}">{{ conversation.name }}: {{ outcome(passed if conversation.passed else failed_outcome) }}</h3>
  <p class="tg-klein">
    {% if conversation.municipality %}
    De widget staat op de website van de gemeente met code {{ conversation.municipality }}.
    {% else %}
    De widget staat op een website zonder gemeente.
    {% endif %}
    Bestand {{ conversation.scenario.source }}, vanaf regel {{ conversation.scenario.line }}.
    Gespreksnummer: {{ conversation.sender_id }}.
  </p>
  <div class="tg-tabel" role="region" tabindex="0" aria-labelledby="{{ anchor }}-tabel">
  <table>
    <caption id="{{ anchor }}-tabel">Stappen van het gesprek ‘{{ conversation.name }}’</caption>
    <thead>
      <tr>
        <th scope="col" class="tg-stap">Stap</th>
        <th scope="col" class="tg-inwoner">De inwoner</th>
        <th scope="col" class="tg-verwacht">Verwacht</th>
        <th scope="col">Antwoord van Wegwijzer</th>
        <th scope="col" class="tg-uitslag-kolom">Uitslag</th>
      </tr>
    </thead>
    <tbody>
    {% for done in conversation.steps %}
      {% set step = done.step %}
      <tr>
        <th scope="row">{{ loop.index }}<br><span class="tg-klein">regel {{ step.line }}</span></th>
        <td>
          {% if step.button is not none %}
          klikt op de knop <strong>{{ step.button }}</strong>
          {% else %}
          typt: <p class="tg-tekst">{{ step.text }}</p>
          {% endif %}
          {% if step.note %}<p class="tg-klein">Opmerking: {{ step.note }}</p>{% endif %}
        </td>
        <td>
          {{ phrases("Moet noemen:", step.must_mention) }}
          {{ phrases("Mag niet noemen:", step.must_not_mention) }}
          {% if not step.must_mention and not step.must_not_mention %}<span class="tg-klein">Niets</span>{% endif %}
        </td>
        <td>
          {% if done.outcome == not_run %}
          <span class="tg-klein">Niet verstuurd</span>
          {% elif done.reply %}
          <p class="tg-tekst">{{ done.reply }}</p>
          {% else %}
          <span class="tg-klein">Geen tekst</span>
          {% endif %}
          {% if done.buttons %}<p class="tg-klein">Knoppen: {{ done.buttons|join(" · ") }}</p>{% endif %}
        </td>
        <td>
          {{ outcome(done.outcome) }}
          {{ phrases("", done.problems) }}
          {% if done.outcome != not_run %}<p class="tg-klein">{{ seconds(done.seconds) }}</p>{% endif %}
        </td>
      </tr>
    {% endfor %}
    </tbody>
  </table>
  </div>
</section>
{% endfor %}

{% if result.coverage %}
<section class="tg-bereik" aria-labelledby="tg-bereik-kop">
  <h2 id="tg-bereik-kop">Wat de gesprekken niet bereikten</h2>
  <p>De gesprekken bereikten {{ result.coverage.reached }} van de {{ result.coverage.total }} delen van Wegwijzer.
  Hieronder staat per soort wat geen enkel gesprek bereikte.</p>
  {% for group in result.coverage.groups %}
  <h3>{{ group.heading }}: {{ group.reached }} van {{ group.total }} bereikt ({{ percent(group.share) }})</h3>
  {% if group.missed %}
  <ul>
    {% for id, title in group.missed %}<li>{{ title }} <span class="tg-klein">({{ id }})</span></li>{% endfor %}
  </ul>
  {% else %}
  <p>Alles bereikt.</p>
  {% endif %}
  {% endfor %}
</section>
{% endif %}
</div>
"""

PAGE = """\
<!doctype html>
<html lang="nl">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{{ title }}: {{ totals.passed }} van {{ totals.steps }} stappen gelukt</title>
<style>
body { margin: 0; padding: 1rem; background: #ffffff; }
main { max-width: 80rem; margin: 0 auto; }
h1 { font-family: system-ui, -apple-system, "Segoe UI", Roboto, Arial, sans-serif; font-size: 2rem; margin: 0 0 1rem;
  color: #1b1b1b; }
{{ css }}
</style>
</head>
<body>
<main>
<h1>{{ title }}</h1>
{{ fragment }}
</main>
</body>
</html>
"""

SIGNS = {Outcome.PASSED: "✓", Outcome.FAILED: "✗", Outcome.NOT_RUN: "–"}
CLASSES = {Outcome.PASSED: "tg-gelukt", Outcome.FAILED: "tg-mislukt", Outcome.NOT_RUN: "tg-niet-uitgevoerd"}

templates = Environment(autoescape=True, trim_blocks=True, lstrip_blocks=True)
FRAGMENT_TEMPLATE, PAGE_TEMPLATE = templates.from_string(FRAGMENT), templates.from_string(PAGE)


def outcome_label(outcome: Outcome) -> Markup:
    """The outcome in words, with a sign that screen readers skip: never a colour alone."""
    return Markup('<span class="tg-uitslag {}"><span aria-hidden="true">{}</span> {}</span>').format(
        CLASSES[outcome], SIGNS[outcome], outcome.value
    )


def phrases(heading: str, items: Sequence[str]) -> Markup:
    """A list with a heading in front ("Moet noemen:"); nothing for no items."""
    if not items:
        return Markup("")
    rows = Markup("").join(Markup("<li>{}</li>").format(item) for item in items)
    return Markup("{}<ul>{}</ul>").format(heading, rows)


def seconds(value: float) -> str:
    """1.24 -> "1,2 seconden" (the Dutch decimal comma); 42.3 -> "42 seconden"."""
    shown = f"{value:.1f}".replace(".", ",") if value < 10 else f"{value:.0f}"
    return f"{shown} seconden"


def percent(share: float) -> str:
    return f"{round(share * 100)}%"


def local_time(moment: datetime) -> str:
    """ "5 december 2026 om 14:05", as the clock in the Netherlands shows it."""
    local = moment.astimezone(TIME_ZONE)
    return f"{dutch_date(local.date())} om {local:%H:%M}"


def report_fragment(result: RunResult, version: str) -> Markup:
    """The report without page: a summary and a section per conversation (h2 and h3), for a
    page that has its own h1 and includes REPORT_CSS."""
    anchors = {conversation.sender_id: f"gesprek-{conversation.sender_id}" for conversation in result.conversations}
    return Markup(
        FRAGMENT_TEMPLATE.render(
            result=result,
            totals=result.totals,
            failed=[conversation for conversation in result.conversations if not conversation.passed],
            anchors=anchors,
            when=local_time(result.started),
            version=version,
            outcome=outcome_label,
            passed=Outcome.PASSED,
            failed_outcome=Outcome.FAILED,
            not_run=Outcome.NOT_RUN,
            seconds=seconds,
            percent=percent,
            phrases=phrases,
            count=amount,
        )
    )


def report_page(result: RunResult, version: str) -> str:
    """The whole report as one HTML page, its style inside."""
    return PAGE_TEMPLATE.render(
        title=TITLE, totals=result.totals, css=Markup(REPORT_CSS), fragment=report_fragment(result, version)
    )
