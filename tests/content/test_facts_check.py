"""`./wegwijzer check-facts` against a small facts file of its own (tests/fixtures), on
frozen days: what is listed, what is old, and the exit code when this year has no
abonnementstarief."""

import subprocess
import sys
from datetime import date

import pytest

from assistant.content.facts import Facts, load_facts
from assistant.content.facts_check import DatedFact, check_facts, local_facts, year_before
from assistant.settings import PROJECT_ROOT
from municipalities.overrides import Override
from municipalities.zorgkantoren import load_zorgkantoren

FIXTURE = PROJECT_ROOT / "tests" / "fixtures" / "facts_until_2026.yml"
FACTS = Facts.from_file(FIXTURE)


def run_command(today: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "assistant", "check-facts", "--facts", str(FIXTURE), "--today", today],
        cwd=PROJECT_ROOT,
        capture_output=True,
        text=True,
        timeout=300,
    )


def test_every_tariff_fact_and_source_is_listed_with_its_check_date():
    report = check_facts(FACTS, date(2026, 12, 4))
    names = {(fact.kind, fact.name) for fact in report.facts}
    assert names == {
        ("abonnementstarief", "2025"),
        ("abonnementstarief", "2026"),
        ("feit", "telefoon_cak"),
        ("feit", "website_cak"),
        ("bron", "cak"),
        ("bron", "oude_bron"),
    }
    rendered = report.render()
    assert "2026: € 21,80 per maand; CAK, https://www.hetcak.nl/voorbeeld; nagekeken 22 november 2026" in rendered
    assert "telefoon_cak: 0800 1925; gemeente Voorbeeld" in rendered


def test_in_december_next_years_missing_amount_is_a_warning_not_an_error():
    report = check_facts(FACTS, date(2026, 12, 31))
    assert report.missing_years == (2027,) and report.exit_code == 0
    assert "het abonnementstarief voor 2027 (volgend jaar) ontbreekt nog" in report.render()
    assert "FOUT" not in report.render()


@pytest.mark.parametrize("today", [date(2027, 1, 1), date(2028, 6, 1)])
def test_a_year_without_an_amount_is_an_error(today):
    report = check_facts(FACTS, today)
    assert report.this_year_missing and report.exit_code == 1
    assert f"FOUT: het abonnementstarief voor {today.year} (dit jaar) ontbreekt" in report.render()


def test_a_fact_checked_more_than_a_year_ago_is_marked_old():
    report = check_facts(FACTS, date(2026, 7, 1))
    assert {fact.name for fact in report.stale} == {"telefoon_cak", "oude_bron"}
    assert "OUD telefoon_cak" in report.render() and "OUD website_cak" not in report.render()
    assert "2 meer dan een jaar geleden nagekeken (OUD)" in report.render()
    assert check_facts(FACTS, date(2026, 6, 30)).stale == ()


def test_one_year_before_a_leap_day():
    assert year_before(date(2028, 2, 29)) == date(2027, 2, 28)
    assert year_before(date(2027, 1, 1)) == date(2026, 1, 1)


def test_local_data_files_and_zorgkantoor_regions_are_listed():
    override = Override("GM0363", "https://www.amsterdam.nl/wmo", date(2025, 1, 2))
    zorgkantoren = load_zorgkantoren().values()
    local = local_facts({"GM0363": override}, zorgkantoren)
    assert (
        DatedFact(
            "lokaal", "GM0363.yml", "lokale gegevens van de gemeente", "https://www.amsterdam.nl/wmo", date(2025, 1, 2)
        )
        in local
    )
    assert len(local) == 1 + len(set(zorgkantoren))
    report = check_facts(FACTS, date(2026, 12, 4), local)
    assert "OUD GM0363.yml" in report.render()


def test_the_real_facts_file_is_listed_whole():
    facts = load_facts()
    report = check_facts(facts, date(2026, 12, 4))
    assert len(report.facts) == len(facts.tariffs) + len(facts.facts) + len(facts.sources)


def test_the_command_exits_with_1_when_this_year_has_no_amount():
    january = run_command("2027-01-01")
    assert january.returncode == 1, january.stderr
    assert "FOUT: het abonnementstarief voor 2027 (dit jaar) ontbreekt" in january.stdout
    assert "Lokale gegevens" in january.stdout  # the municipalities' own files too
    december = run_command("2026-12-31")
    assert december.returncode == 0, december.stderr
    assert "2027 (volgend jaar) ontbreekt nog" in december.stdout
