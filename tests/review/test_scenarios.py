"""Test conversations (assistant/review/scenarios.py): reading CSV and YAML with Dutch errors that
name the line, running against a fake assistant, coverage, Rasa's REST channel and the command line.
No Rasa server: `send` is a fake, and the REST tests talk to a small local HTTP server."""

import json
import re
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Dict, Iterator, List, Optional, Tuple

import pytest

from assistant.review import scenarios
from assistant.review.scenarios import (
    MAX_CELL,
    MAX_ERRORS,
    MAX_FILE_BYTES,
    MAX_STEPS,
    Outcome,
    ScenarioFileError,
    SendFailed,
    load,
    main,
    parse,
    rest_send,
    run,
)

HEADER = "gesprek;inwoner;knop;moet_noemen;mag_niet_noemen;gemeente;opmerking"
QUESTION = {"text": "Voor welke hulp uit de Wmo wilt u het weten?", "buttons": [
    {"title": "Huishoudelijke hulp", "payload": "Huishoudelijke hulp"},
    {"title": "Rolstoel", "payload": "/rolstoel"},
]}  # fmt: skip
FEEDBACK = {"custom": {"type": "feedback_request"}}


class FakeAssistant:
    """Answers each message from a table, and remembers what it was sent."""

    def __init__(self, replies: Dict[str, List[dict]]):
        self.replies = replies
        self.sent: List[Tuple[str, str, Optional[Dict[str, str]]]] = []

    def __call__(self, sender: str, message: str, metadata: Optional[Dict[str, str]]) -> List[dict]:
        self.sent.append((sender, message, metadata))
        return self.replies.get(message, [{"text": "Dat begreep ik niet."}])


ASSISTANT = {
    "wat moet ik betalen?": [{"text": "In 2026 betaalt u maximaal € 21,80 per maand."}, FEEDBACK, QUESTION],
    "/rolstoel": [{"text": "Voor een rolstoel uit de Wmo betaalt u geen eigen bijdrage."}, FEEDBACK],
    "hallo": [{"text": "Hallo, ik ben Wegwijzer."}],
}


def csv_file(*rows: str, header: str = HEADER) -> bytes:
    return ("\n".join([header, *rows]) + "\n").encode("utf-8")


def errors_of(data: bytes, name: str = "gesprekken.csv") -> List[str]:
    with pytest.raises(ScenarioFileError) as caught:
        parse(data, name)
    return [str(error) for error in caught.value.errors]


# --- Reading ---------------------------------------------------------------------------------


def test_a_csv_with_semicolons_and_excels_byte_order_mark():
    data = "\ufeff".encode() + csv_file(
        "Rolstoel;wat moet ik betalen?;;Voor welke hulp | maximaal;;gm0363;De eerste vraag",
        ";;Rolstoel;geen eigen bijdrage;Over welk jaar;;",
        "",
        "Groet;hallo;;Hallo;;;",
    )
    first, second = parse(data, "eigen_bijdrage.csv")
    assert (first.name, first.line, first.municipality, first.source) == ("Rolstoel", 2, "GM0363", "eigen_bijdrage.csv")
    ask, click = first.steps
    assert (ask.line, ask.text, ask.button, ask.note) == (2, "wat moet ik betalen?", None, "De eerste vraag")
    assert ask.must_mention == ("Voor welke hulp", "maximaal")
    assert (click.button, click.must_mention, click.must_not_mention) == (
        "Rolstoel",
        ("geen eigen bijdrage",),
        ("Over welk jaar",),
    )
    assert (second.name, second.line, second.municipality) == ("Groet", 5, None)


def test_a_csv_with_commas_quotes_and_a_line_break_in_a_cell():
    data = csv_file(
        '"Een gesprek, met komma";"hallo, Wegwijzer";Hallo',
        '"Tweede";"een vraag',
        'over twee regels";',
        "Derde;hallo;",
        header=" Gesprek , INWONER,moet_noemen ",
    )
    data = data.replace(b";", b",")
    one, two, three = parse(data, "komma.csv")
    assert (one.name, one.steps[0].text, one.steps[0].must_mention) == (
        "Een gesprek, met komma",
        "hallo, Wegwijzer",
        ("Hallo",),
    )
    assert (two.line, two.steps[0].text) == (3, "een vraag\nover twee regels")
    assert three.line == 5  # the line in the file, after the cell over two lines


def test_the_name_may_be_repeated_on_every_row_of_a_conversation():
    data = csv_file("Groet;hallo;;;;GM0363;", "Groet;hallo;;;;GM0363;", "Anders;hallo;;;;;")
    first, second = parse(data, "herhaald.csv")
    assert (len(first.steps), first.municipality, second.name) == (2, "GM0363", "Anders")


def test_yaml_conversations_with_a_phrase_or_a_list_of_phrases():
    data = """\
- gesprek: Rolstoel
  gemeente: GM0363
  stappen:
    - inwoner: wat moet ik betalen?
      moet_noemen: Voor welke hulp | maximaal
    - knop: Rolstoel
      moet_noemen:
        - geen eigen bijdrage
      mag_niet_noemen: [Over welk jaar]
      opmerking: Geen vragen meer
- gesprek: Ja
  stappen:
    - inwoner: nee
""".encode()
    first, second = parse(data, "gesprekken.yaml")
    assert (first.name, first.line, first.municipality) == ("Rolstoel", 1, "GM0363")
    ask, click = first.steps
    assert (ask.line, ask.must_mention) == (4, ("Voor welke hulp", "maximaal"))
    assert (click.line, click.button, click.must_mention, click.must_not_mention, click.note) == (
        6,
        "Rolstoel",
        ("geen eigen bijdrage",),
        ("Over welk jaar",),
        "Geen vragen meer",
    )
    assert (second.name, second.steps[0].text) == ("Ja", "nee")  # YAML's yes and no stay text


def test_load_reads_a_file(tmp_path):
    path = tmp_path / "groet.csv"
    path.write_bytes(csv_file("Groet;hallo;;Hallo;;;"))
    assert [scenario.name for scenario in load(path)] == ["Groet"]


# --- Mistakes, in Dutch, with the line -----------------------------------------------------------


def test_an_unknown_column_is_named_with_the_allowed_ones():
    assert errors_of(csv_file("Groet;hallo", header="gesprek;inwonr")) == [
        "Regel 1: de kolom 'inwonr' ken ik niet. Gebruik: gesprek, inwoner, knop, moet_noemen, mag_niet_noemen, "
        "gemeente, opmerking.",
        "Regel 1: de kolom 'inwoner' ontbreekt. Zet in de eerste regel de namen van de kolommen.",
    ]


def test_a_column_twice():
    assert errors_of(csv_file("Groet;hallo;hoi", header="gesprek;inwoner;Inwoner")) == [
        "Regel 1: de kolom 'inwoner' staat er twee keer in."
    ]


def test_the_mistakes_of_every_row_at_once():
    data = csv_file(
        ";hallo;;;;;",  # no conversation yet
        "Groet;;Rolstoel;;;;",  # a button first
        "Anders;hallo;Rolstoel;;;;",
        ";;;;;;Alleen een opmerking",
        "Vreemd;hallo;;;;GM363;",
        ";hallo;;;;GM0363;",
        "Groet;hallo;;;;;",
    )
    assert errors_of(data) == [
        "Regel 2: vul bij 'gesprek' de naam van het gesprek in.",
        "Regel 3: een gesprek kan niet met een knop beginnen. Begin met wat de inwoner typt.",
        "Regel 4: vul 'inwoner' of 'knop' in, niet allebei.",
        "Regel 5: vul 'inwoner' of 'knop' in.",
        "Regel 6: 'GM363' is geen gemeentecode. Een code is GM met vier cijfers, bijvoorbeeld GM0363.",
        "Regel 7: vul 'gemeente' alleen in op de eerste regel van een gesprek.",
        "Regel 8: er is al een gesprek 'Groet' (regel 3). Geef elk gesprek een eigen naam.",
    ]


def test_text_in_a_column_without_a_name():
    assert errors_of(csv_file("Groet;hallo;;x", header="gesprek;inwoner;;")) == [
        "Regel 2: in kolom 4 staat iets, maar die kolom heeft geen naam in regel 1."
    ]


def test_a_cell_too_long():
    long = "a" * (MAX_CELL + 1)
    assert errors_of(csv_file(f"Groet;{long};;;;;")) == [
        f"Regel 2: de tekst bij 'inwoner' is te lang ({MAX_CELL + 1} tekens). Gebruik hoogstens {MAX_CELL} tekens."
    ]


def test_too_many_steps():
    rows = [f"Gesprek {number};hallo;;;;;" for number in range(MAX_STEPS + 1)]
    assert errors_of(csv_file(*rows)) == [
        f"Het bestand heeft meer dan {MAX_STEPS} stappen. Verdeel de gesprekken over meer bestanden."
    ]


def test_a_file_too_big(tmp_path):
    data = csv_file(*["Groet;hallo;;;;;" * 1] * (MAX_FILE_BYTES // 10))
    assert errors_of(data) == ["Het bestand is groter dan 1 MB. Verdeel de gesprekken over meer bestanden."]
    path = tmp_path / "groot.csv"
    path.write_bytes(data)
    with pytest.raises(ScenarioFileError, match="groter dan 1 MB"):
        load(path)


@pytest.mark.parametrize(
    "data, error",
    [
        (b"", "Het bestand is leeg."),
        (b"\xef\xbb\xbf \n\n", "Het bestand is leeg."),
        (csv_file(), "Het bestand heeft geen stappen. Schrijf minstens één gesprek met één stap."),
        (csv_file(";;;;;;"), "Het bestand heeft geen stappen. Schrijf minstens één gesprek met één stap."),
    ],
)
def test_an_empty_file_or_one_without_steps(data, error):
    assert errors_of(data) == [error]


def test_a_file_that_is_not_utf8_names_the_line():
    data = csv_file("Groet;hallo;;;;;", "Café;hallo;;;;;").replace("Café".encode(), "Café".encode("cp1252"))
    (error,) = errors_of(data)
    assert error.startswith("Regel 3: hier staat een teken dat ik niet kan lezen. Het bestand is geen UTF-8.")


def test_only_csv_and_yaml():
    assert errors_of(b"...", "gesprekken.xlsx") == [
        "Ik kan alleen .csv, .yml en .yaml lezen. Sla het bestand in Excel op als 'CSV UTF-8'."
    ]


def test_more_than_the_maximum_of_mistakes_says_so():
    rows = [f"Gesprek {number};;;;;;" for number in range(MAX_ERRORS + 5)]
    with pytest.raises(ScenarioFileError) as caught:
        parse(csv_file(*rows), "fouten.csv")
    assert len(caught.value.errors) == MAX_ERRORS and caught.value.more
    assert str(caught.value).splitlines()[-1] == (
        f"Er zijn meer fouten. Ik laat de eerste {MAX_ERRORS} zien. Verbeter die eerst."
    )


def test_a_yaml_syntax_error_names_its_line():
    data = b"- gesprek: Groet\n  stappen:\n    - inwoner: hallo\n   moet_noemen: Hallo\n"
    (error,) = errors_of(data, "fout.yml")
    assert error.startswith("Regel 4: hier klopt de opmaak van het bestand niet.")


def test_the_mistakes_of_a_yaml_file():
    data = """\
gesprek: Groet
""".encode()
    assert errors_of(data, "fout.yml") == [
        "Regel 1: het bestand moet een lijst van gesprekken zijn. Begin elk gesprek met '- gesprek: naam'."
    ]
    data = """\
- gesprek: Groet
  stapen:
    - inwoner: hallo
- gesprek: Leeg
- stappen:
    - inwoner: hallo
- gesprek: Fout
  gemeente: Amsterdam
  stappen:
    - inwoner: hallo
      knop: Ja
    - hallo
    - inwoner: [hallo]
      moet_nomen: Hallo
- gesprek: Geen lijst
  stappen: hallo
""".encode()
    assert errors_of(data, "fout.yaml") == [
        "Regel 2: 'stapen' ken ik niet. Gebruik: gesprek, gemeente, stappen.",
        "Regel 4: het gesprek 'Leeg' heeft geen stappen.",
        "Regel 5: dit gesprek heeft geen naam. Vul 'gesprek' in.",
        "Regel 8: 'Amsterdam' is geen gemeentecode. Een code is GM met vier cijfers, bijvoorbeeld GM0363.",
        "Regel 10: vul 'inwoner' of 'knop' in, niet allebei.",
        "Regel 12: dit is geen stap. Gebruik: inwoner, knop, moet_noemen, mag_niet_noemen, opmerking.",
        "Regel 13: bij 'inwoner' hoort een tekst.",
        "Regel 14: 'moet_nomen' ken ik niet. Gebruik: inwoner, knop, moet_noemen, mag_niet_noemen, opmerking.",
        "Regel 16: bij 'stappen' hoort een lijst. Begin elke stap met een streepje (-).",
    ]


# --- Running -------------------------------------------------------------------------------------


def scenario_file(*rows: str) -> List[scenarios.Scenario]:
    return parse(csv_file(*rows), "test.csv")


def test_a_conversation_that_passes():
    assistant = FakeAssistant(ASSISTANT)
    result = run(
        scenario_file(
            "Rolstoel;wat moet ik betalen?;;voor WELKE   hulp|maximaal;Over welk jaar;GM0363;",
            ";;rolstoel;Geen eigen bijdrage;;;",
        ),
        assistant,
    )
    (conversation,) = result.conversations
    assert result.passed and conversation.passed
    assert re.fullmatch(r"testgesprek-[0-9a-f]{12}", conversation.sender_id)
    assert (conversation.name, conversation.municipality) == ("Rolstoel", "GM0363")
    ask, click = conversation.steps
    assert ask.reply == "In 2026 betaalt u maximaal € 21,80 per maand.\nVoor welke hulp uit de Wmo wilt u het weten?"
    assert ask.buttons == ("Huishoudelijke hulp", "Rolstoel")
    assert (click.outcome, click.problems, click.buttons) == (Outcome.PASSED, (), ())
    assert all(step.seconds >= 0 for step in conversation.steps)
    # the button's payload is sent, and the municipality with every message
    assert [(message, metadata) for _, message, metadata in assistant.sent] == [
        ("wat moet ik betalen?", {"gemeente": "GM0363"}),
        ("/rolstoel", {"gemeente": "GM0363"}),
    ]
    assert result.totals == scenarios.Totals(
        steps=2, passed=2, failed=0, not_run=0, conversations=1, conversations_passed=1
    )


def test_a_wrong_reply_fails_the_step_and_the_conversation_goes_on():
    result = run(
        scenario_file("Groet;hallo;;Tot ziens|Hallo;Wegwijzer;;", ";wat moet ik betalen?;;‘maximaal’;;;"),
        FakeAssistant(ASSISTANT),
    )
    first, second = result.conversations[0].steps
    assert first.outcome is Outcome.FAILED
    assert first.problems == ("Het antwoord noemt 'Tot ziens' niet.", "Het antwoord noemt 'Wegwijzer'. Dat mocht niet.")
    assert second.outcome is Outcome.FAILED  # curly quotes are straight ones: "'maximaal'" is not in the reply
    assert not result.passed and result.totals.failed == 2


def test_curly_quotes_in_a_phrase_match_straight_ones():
    assistant = FakeAssistant({"hallo": [{"text": 'Kies dan "Ja, geef deze vraag door".'}]})
    result = run(scenario_file("Aanhalingstekens;hallo;;kies dan “ja, geef deze vraag door”;;;"), assistant)
    assert result.passed


def test_a_missing_button_fails_and_the_rest_is_not_run():
    assistant = FakeAssistant(ASSISTANT)
    result = run(
        scenario_file(
            "Knop;wat moet ik betalen?;;;;;",
            ";;Vervoer;;;;",
            ";hallo;;Hallo;;;",
            "Zonder knoppen;hallo;;;;;",
            ";;Ja;;;;",
        ),
        assistant,
    )
    with_buttons, without = result.conversations
    assert [step.outcome for step in with_buttons.steps] == [Outcome.PASSED, Outcome.FAILED, Outcome.NOT_RUN]
    assert with_buttons.steps[1].problems == ("De knop 'Vervoer' was er niet. Wel: 'Huishoudelijke hulp', 'Rolstoel'.",)
    assert with_buttons.steps[2].problems == ("Stap 2 ging mis, dus het gesprek liep anders dan beschreven.",)
    assert without.steps[1].problems == ("De knop 'Ja' was er niet. Er waren geen knoppen.",)
    assert [message for _, message, _ in assistant.sent] == ["wat moet ik betalen?", "hallo"]
    assert (result.totals.failed, result.totals.not_run) == (2, 1)


def test_each_conversation_is_a_new_resident():
    assistant = FakeAssistant(ASSISTANT)
    result = run(scenario_file("Een;hallo;;;;;", ";hallo;;;;;", "Twee;hallo;;;;;"), assistant)
    senders = [sender for sender, _, _ in assistant.sent]
    assert senders[0] == senders[1] != senders[2]
    assert [conversation.sender_id for conversation in result.conversations] == [senders[0], senders[2]]
    assert all(metadata is None for _, _, metadata in assistant.sent)


def test_send_raising_fails_the_step_in_dutch_and_the_rest_is_not_run():
    def broken(sender: str, message: str, metadata: Optional[Dict[str, str]]) -> List[dict]:
        raise ConnectionRefusedError("[Errno 111] Connection refused")

    def down(sender: str, message: str, metadata: Optional[Dict[str, str]]) -> List[dict]:
        raise SendFailed("Wegwijzer is niet bereikbaar op http://localhost:5005.")

    rows = ("Groet;hallo;;Hallo;;;", ";hallo;;;;;")
    (conversation,) = run(scenario_file(*rows), broken).conversations
    assert [step.outcome for step in conversation.steps] == [Outcome.FAILED, Outcome.NOT_RUN]
    assert conversation.steps[0].problems == (
        "Wegwijzer gaf geen antwoord. De fout was: ConnectionRefusedError: [Errno 111] Connection refused",
    )
    (conversation,) = run(scenario_file(*rows), down).conversations
    assert conversation.steps[0].problems == ("Wegwijzer is niet bereikbaar op http://localhost:5005.",)


def test_coverage_groups_what_no_conversation_reached():
    everything = {
        "antwoord/pgb_wat": "Wat is een pgb?",
        "antwoord/eigen_bijdrage_wat": "Eigen bijdrage Wmo",
        "kennis/cak_betalingsregeling": "Kan ik de rekening in delen betalen?",
        "vraag/eb_jaar": "Over welk jaar gaat het?",
        "tekst/storing": "Storing",
        "reactie/utter_greet": "Groet",
        "boek/iets": "Iets nieuws",
    }
    asked: List[List[str]] = []

    def reached(sender_ids: List[str]) -> set:
        asked.append(sender_ids)
        return {"antwoord/pgb_wat", "reactie/utter_greet", "vraag/eb_jaar", "antwoord/onbekend"}

    result = run(scenario_file("Een;hallo;;;;;", "Twee;hallo;;;;;"), FakeAssistant(ASSISTANT), reached, everything)
    assert asked == [[conversation.sender_id for conversation in result.conversations]]
    coverage = result.coverage
    assert [(g.prefix, g.heading, g.reached, g.total) for g in coverage.groups] == [
        ("antwoord", "Antwoorden", 1, 2),
        ("kennis", "Kennisbank", 0, 1),
        ("vraag", "Vragen in gesprekken", 1, 1),
        ("tekst", "Teksten", 0, 1),
        ("reactie", "Vaste reacties", 1, 1),
        ("boek", "boek", 0, 1),
    ]
    assert coverage.groups[0].missed == (("antwoord/eigen_bijdrage_wat", "Eigen bijdrage Wmo"),)
    assert (coverage.groups[0].share, coverage.groups[1].share) == (0.5, 0.0)
    assert (coverage.reached, coverage.total) == (3, 7)


def test_no_coverage_without_both_callables():
    result = run(scenario_file("Een;hallo;;;;;"), FakeAssistant(ASSISTANT), everything={"antwoord/a": "A"})
    assert result.coverage is None


# --- Rasa's REST channel and the command line --------------------------------------------------


class FakeRasa(BaseHTTPRequestHandler):
    """The REST channel's health check and webhook, answering from ASSISTANT."""

    status = 200
    received: List[dict] = []

    def do_GET(self) -> None:  # noqa: N802 - the name http.server calls
        self._answer(self.status, {"status": "ok"})

    def do_POST(self) -> None:  # noqa: N802
        body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
        FakeRasa.received.append(body)
        reply = ASSISTANT.get(body["message"], [{"text": "Dat begreep ik niet."}])
        self._answer(self.status, reply if self.status == 200 else {"error": "kapot"})

    def _answer(self, status: int, body: object) -> None:
        data = json.dumps(body).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def log_message(self, *args: object) -> None:
        """Quiet."""


@pytest.fixture
def rasa_url(monkeypatch) -> Iterator[str]:
    FakeRasa.received = []
    monkeypatch.setattr(FakeRasa, "status", 200)
    server = ThreadingHTTPServer(("127.0.0.1", 0), FakeRasa)
    threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True).start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()
    server.server_close()


def closed_port_url() -> str:
    server = ThreadingHTTPServer(("127.0.0.1", 0), FakeRasa)
    port = server.server_address[1]
    server.server_close()
    return f"http://127.0.0.1:{port}"


def test_rest_send_posts_the_message_with_metadata_only_when_given(rasa_url):
    send = rest_send(rasa_url)
    assert send("testgesprek-1", "hallo", None) == ASSISTANT["hallo"]
    send("testgesprek-1", "hallo", {"gemeente": "GM0363"})
    assert FakeRasa.received == [
        {"sender": "testgesprek-1", "message": "hallo"},
        {"sender": "testgesprek-1", "message": "hallo", "metadata": {"gemeente": "GM0363"}},
    ]


def test_rest_send_says_in_dutch_why_there_is_no_reply(rasa_url, monkeypatch):
    monkeypatch.setattr(FakeRasa, "status", 500)
    with pytest.raises(SendFailed, match=r"^Wegwijzer gaf een fout \(HTTP 500\) in plaats van een antwoord\.$"):
        rest_send(rasa_url)("testgesprek-1", "hallo", None)
    url = closed_port_url()
    with pytest.raises(SendFailed, match=f"^Wegwijzer is niet bereikbaar op {url}.$"):
        rest_send(url)("testgesprek-1", "hallo", None)


def test_the_command_line_runs_files_and_writes_the_report(rasa_url, tmp_path, capsys):
    path = tmp_path / "groet.csv"
    path.write_bytes(csv_file("Groet;hallo;;Hallo;;;"))
    report = tmp_path / "rapport.html"
    assert main(["run", str(path), "--url", rasa_url, "--rapport", str(report)]) == 0
    printed = capsys.readouterr().out
    assert "Gelukt: Groet (1 van 1 stap gelukt)" in printed
    assert f"Het rapport staat in {report}" in printed
    page = report.read_text(encoding="utf-8")
    assert "groet.csv" in page and "model " in page and "inhoud " in page  # the conversation book's version


def test_the_command_line_exits_1_when_a_step_failed_and_prints_its_problems(rasa_url, tmp_path, capsys, monkeypatch):
    monkeypatch.setattr(scenarios, "REPORT_DIR", tmp_path / "rapporten")
    monkeypatch.setattr("assistant.review.book.build_book", lambda: type("Book", (), {"version": "model x"})())
    path = tmp_path / "fout.csv"
    path.write_bytes(csv_file("Groet;hallo;;Tot ziens;;;", ";;Ja;;;;", ";hallo;;;;;"))
    assert main(["run", str(path), "--url", rasa_url]) == 1
    printed = capsys.readouterr().out.splitlines()
    assert printed[:4] == [
        "Mislukt: Groet (0 van 3 stappen gelukt)",
        "    stap 1 (regel 2 in fout.csv): Het antwoord noemt 'Tot ziens' niet.",
        "    stap 2 (regel 3 in fout.csv): De knop 'Ja' was er niet. Er waren geen knoppen.",
        "    1 stap niet uitgevoerd.",
    ]
    assert len(list((tmp_path / "rapporten").glob("rapport-*.html"))) == 1


def test_the_command_line_exits_2_on_a_file_with_mistakes(tmp_path, capsys):
    path = tmp_path / "fout.csv"
    path.write_bytes(csv_file("Groet;hallo;Ja;;;;"))
    missing = tmp_path / "weg.csv"
    assert main(["run", str(path), str(missing), "--url", closed_port_url()]) == 2
    assert capsys.readouterr().out.splitlines() == [
        f"{path}: dit bestand kan ik niet gebruiken.",
        "  Regel 2: vul 'inwoner' of 'knop' in, niet allebei.",
        f"{missing}: dit bestand bestaat niet.",
    ]


def test_the_command_line_exits_2_when_wegwijzer_does_not_run(tmp_path, capsys):
    path = tmp_path / "groet.csv"
    path.write_bytes(csv_file("Groet;hallo;;;;;"))
    url = closed_port_url()
    assert main(["run", str(path), "--url", url]) == 2
    assert capsys.readouterr().out.strip() == (
        f"Wegwijzer is niet bereikbaar op {url}. Start Wegwijzer eerst met: ./wegwijzer start"
    )


def test_the_default_url_follows_the_rasa_port(monkeypatch):
    monkeypatch.setenv("WEGWIJZER_RASA_PORT", "5999")
    assert scenarios.default_url() == "http://localhost:5999"


def test_the_project_set_and_the_failing_sample_can_be_read():
    """tests/scenarios runs end to end (tests/e2e/test_scenarios.py); here only that it reads."""
    root = Path(__file__).resolve().parents[1]
    files = [path for path in (root / "scenarios").iterdir() if path.suffix != ".md"]
    assert len(files) >= 8
    for path in files:
        assert load(path)
    (sample,) = load(root / "review" / "fixtures" / "een_fout.csv")
    assert len(sample.steps) == 3
