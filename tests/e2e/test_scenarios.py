"""The project's test conversations (tests/scenarios, the files the Wmo-raad reads and extends) against the
real servers: every step must pass. A failure prints what the report would say, step by step."""

from pathlib import Path

import pytest

from assistant.review.scenarios import CSV_SUFFIXES, YAML_SUFFIXES, Outcome, load, rest_send, run, summary_lines

SCENARIOS = sorted(
    path
    for path in (Path(__file__).resolve().parents[1] / "scenarios").iterdir()
    if path.suffix in (*CSV_SUFFIXES, *YAML_SUFFIXES)
)


@pytest.mark.parametrize("path", SCENARIOS, ids=[path.name for path in SCENARIOS])
def test_every_step_of_the_project_set_passes(path, servers):
    result = run(load(path), rest_send(servers["url"]))
    assert result.passed, "\n".join(summary_lines(result))


def test_the_failing_sample_fails_on_its_second_step_only(servers):
    """tests/review/fixtures/een_fout.csv shows the staff pages' browser test a failing report."""
    sample = Path(__file__).resolve().parents[1] / "review" / "fixtures" / "een_fout.csv"
    (conversation,) = run(load(sample), rest_send(servers["url"])).conversations
    assert [step.outcome for step in conversation.steps] == [Outcome.PASSED, Outcome.FAILED, Outcome.PASSED]
