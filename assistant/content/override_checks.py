"""The municipalities' own data (overrides) checked against the national facts, and the
coverage report of `./wegwijzer check-overrides`."""

from decimal import Decimal
from typing import List

from assistant.content.answers import topics
from assistant.content.dutch import dutch_date
from assistant.content.facts import load_facts
from assistant.settings import DIRECTORY_URL
from municipalities.directory import Directory
from municipalities.override_versions import OverrideVersions
from municipalities.overrides import OVERRIDES_DIR, OverrideStore, Rules


def override_rules(directory: Directory) -> Rules:
    """The directory's municipalities, the answer topics, and the national maximum per month per year."""
    tariffs = load_facts().tariffs.values()
    maxima = {tariff.year: Decimal(tariff.amount.replace(",", ".")) for tariff in tariffs if tariff.period == "maand"}
    codes = {municipality.cbs_code for municipality in directory.all()}
    return Rules(cbs_codes=codes, topics=set(topics()), national_maximum=maxima)


def override_store(directory: Directory) -> OverrideStore:
    """The files in the repository, with the versions saved in the staff app winning."""
    return OverrideStore(OVERRIDES_DIR, override_rules(directory), OverrideVersions(DIRECTORY_URL.get()))


def coverage_report(directory: Directory, store: OverrideStore) -> str:
    """Problems per file, a table of what each municipality provided, and totals."""
    overrides = store.all()
    lines: List[str] = [
        f"Lokale gegevens (bestanden in {OVERRIDES_DIR.name}/ en opgeslagen in het beheer): "
        f"{len(overrides) + len(store.errors)}, waarvan {len(store.errors)} met fouten."
    ]
    lines += [f"  FOUT {error}" for error in store.errors]
    header = ("Gemeente", "Wmo-loket", "Cliëntondersteuning", "Lagere bijdrage", "Eigen teksten", "Nagekeken")
    rows = [header]
    for code, override in sorted(overrides.items(), key=lambda item: directory.by_code(item[0]).name):
        rows.append(
            (
                f"{directory.by_code(code).name} ({code})",
                "ja" if override.wmo_desk else "-",
                str(len(override.support)) if override.support else "-",
                ", ".join(map(str, override.contribution.years)) if override.contribution else "-",
                str(len(override.answers)) if override.answers else "-",
                dutch_date(override.checked),
            )
        )
    widths = [max(len(row[column]) for row in rows) for column in range(len(header))]
    lines.append("")
    lines += ["  ".join(cell.ljust(width) for cell, width in zip(row, widths)).rstrip() for row in rows]
    total = len(directory)
    checked = sorted(override.checked for override in overrides.values())
    lines += [
        "",
        f"Wmo-loket:           {sum(1 for o in overrides.values() if o.wmo_desk)} van {total} gemeenten",
        f"Cliëntondersteuning: {sum(1 for o in overrides.values() if o.support)} van {total} gemeenten",
        f"Lagere bijdrage:     {sum(1 for o in overrides.values() if o.contribution)} van {total} gemeenten",
        f"Eigen teksten:       {sum(1 for o in overrides.values() if o.answers)} van {total} gemeenten",
    ]
    if checked:
        lines.append(f"Oudste controle: {dutch_date(checked[0])}; nieuwste: {dutch_date(checked[-1])}")
    return "\n".join(lines)
