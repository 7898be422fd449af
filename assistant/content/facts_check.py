"""`./wegwijzer check-facts`: every dated fact a resident reads, with its source and check
date; which were checked more than a year ago; and whether this year and next year have an
abonnementstarief. So that a content editor sees in December what January needs.

Plain Python over the facts file and the local data files; the command line prints the
report and exits with 1 when this year has no abonnementstarief.
"""

from dataclasses import dataclass
from datetime import date
from typing import Iterable, List, Mapping, Optional, Tuple

from assistant.content.dutch import dutch_date
from assistant.content.facts import Facts, Source
from municipalities.overrides import Override
from municipalities.zorgkantoren import Zorgkantoor


@dataclass(frozen=True)
class DatedFact:
    kind: str  # "abonnementstarief", "feit", "bron", "lokaal"
    name: str  # "2026", "telefoon_cak", "cak_2026", "GM0363.yml"
    value: str  # what a resident reads, or what the source is about
    source: str  # the organisation and the URL
    checked: date


@dataclass(frozen=True)
class FactsReport:
    today: date
    facts: Tuple[DatedFact, ...]
    missing_years: Tuple[int, ...]  # this year and/or next year, without an abonnementstarief

    @property
    def stale(self) -> Tuple[DatedFact, ...]:
        """Facts whose source was checked more than a year before today."""
        limit = year_before(self.today)
        return tuple(fact for fact in self.facts if fact.checked < limit)

    @property
    def this_year_missing(self) -> bool:
        return self.today.year in self.missing_years

    @property
    def exit_code(self) -> int:
        return 1 if self.this_year_missing else 0

    def render(self) -> str:
        stale = set(self.stale)
        lines = [f"Feiten met een datum, nagekeken op {dutch_date(self.today)}:"]
        for kind, title in KINDS:
            rows = [fact for fact in self.facts if fact.kind == kind]
            if not rows:
                continue
            lines += ["", f"{title}:"]
            lines += [
                f"  {'OUD ' if fact in stale else '    '}{fact.name}: {fact.value}; {fact.source}; "
                f"nagekeken {dutch_date(fact.checked)}"
                for fact in rows
            ]
        lines += ["", "Samenvatting:"] + [f"  - {line}" for line in self.summary()]
        return "\n".join(lines)

    def summary(self) -> List[str]:
        stale = len(self.stale)
        age = (
            f"{stale} meer dan een jaar geleden nagekeken (OUD): kijk ze opnieuw na."
            if stale
            else "alle in het afgelopen jaar nagekeken."
        )
        lines = [f"{len(self.facts)} feiten en bronnen; {age}"]
        for year in self.missing_years:
            if year == self.today.year:
                lines.append(
                    f"FOUT: het abonnementstarief voor {year} (dit jaar) ontbreekt in facts.yml. Wegwijzer zegt nu "
                    f"dat het bedrag voor {year} nog niet bekend is. Zet het bedrag erin zodra het CAK of de "
                    f"Rijksoverheid het noemt, met de bron."
                )
            else:
                lines.append(
                    f"Let op: het abonnementstarief voor {year} (volgend jaar) ontbreekt nog. Vanaf 1 januari {year} "
                    f"zegt Wegwijzer dat het bedrag nog niet bekend is, tot het in facts.yml staat."
                )
        return lines


KINDS = (
    ("abonnementstarief", "Abonnementstarief (maximale eigen bijdrage Wmo per huishouden)"),
    ("feit", "Losse feiten (termijnen, telefoonnummers, websites)"),
    ("bron", "Bronnen van de antwoorden"),
    ("lokaal", "Lokale gegevens (gemeenten en zorgkantoorregio's)"),
)


def year_before(day: date) -> date:
    """The same day one year earlier; 29 February becomes 28 February."""
    if (day.month, day.day) == (2, 29):
        return date(day.year - 1, 2, 28)
    return day.replace(year=day.year - 1)


def national_facts(facts: Facts) -> List[DatedFact]:
    """The tariffs, the single facts, and the sources the answers name, from facts.yml."""
    dated = [
        DatedFact(
            "abonnementstarief",
            str(year),
            f"€ {tariff.amount} per {tariff.period}",
            _cite(tariff.source),
            tariff.source.checked,
        )
        for year, tariff in sorted(facts.tariffs.items())
    ]
    dated += [
        DatedFact("feit", name, fact.text, _cite(fact.source), fact.source.checked)
        for name, fact in facts.facts.items()
    ]
    dated += [
        DatedFact("bron", name, source.organisation, source.url, source.checked)
        for name, source in facts.sources.items()
    ]
    return dated


def local_facts(overrides: Mapping[str, Override], zorgkantoren: Iterable[Zorgkantoor]) -> List[DatedFact]:
    """One line per municipality's own data file and per zorgkantoor region."""
    dated = [
        DatedFact("lokaal", f"{code}.yml", "lokale gegevens van de gemeente", override.source, override.checked)
        for code, override in sorted(overrides.items())
    ]
    regions = sorted(set(zorgkantoren), key=lambda item: item.region)
    dated += [
        DatedFact("lokaal", f"zorgkantoorregio {region.region}", region.name, region.source, region.checked)
        for region in regions
    ]
    return dated


def check_facts(facts: Facts, today: date, local: Optional[List[DatedFact]] = None) -> FactsReport:
    missing = tuple(year for year in (today.year, today.year + 1) if facts.tariff(year) is None)
    return FactsReport(today, tuple(national_facts(facts) + (local or [])), missing)


def _cite(source: Source) -> str:
    return f"{source.organisation}, {source.url}"
