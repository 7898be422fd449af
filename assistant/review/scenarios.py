"""Test conversations ("testgesprekken"): Wmo-raad members write what a resident types or clicks
and what each reply must (not) mention, in a spreadsheet (CSV) or in YAML; this module reads
such a file, runs every conversation against the real assistant over Rasa's REST channel and
checks the replies. tests/scenarios/README.md explains the format to its writers.

Its readers are not programmers: every error and every problem is Dutch (B1) and names the line
of the file, and a file's errors are reported together (up to MAX_ERRORS), so that a whole file
can be fixed in one go. Plain Python: no Rasa and no web framework, so that the command line, the
tests and the staff pages can all use it. The HTML report is in scenario_report.py.
"""

import argparse
import csv
import io
import time
import unicodedata
import uuid
from dataclasses import dataclass, field, replace
from datetime import datetime, timezone
from enum import Enum
from pathlib import Path
from typing import Callable, Dict, Iterator, List, Optional, Sequence, Set, Tuple, Union

import requests
import yaml

from assistant.conversations.store import TEST_PREFIX
from assistant.flows.session_start import CBS_CODE, METADATA_KEY
from assistant.review.explain import everything, reached_by
from assistant.settings import PROJECT_ROOT, RASA_PORT, VAR_DIR

MAX_FILE_BYTES = 1_000_000  # 1 MB: hundreds of conversations; more is not a hand-written file
MAX_STEPS = 500  # a run of 500 steps takes several minutes
MAX_CELL = 1000  # characters; also the longest message Wegwijzer reads (rasa_plugins/limits.py)
MAX_ERRORS = 20  # reported at once; more usually means the same mistake again and again
REPLY_TIMEOUT = 30.0  # seconds for one reply: a turn Wegwijzer cannot finish ends after 20 s

NAME, TEXT, BUTTON, MUST, MUST_NOT, MUNICIPALITY, NOTE = (
    "gesprek",
    "inwoner",
    "knop",
    "moet_noemen",
    "mag_niet_noemen",
    "gemeente",
    "opmerking",
)
COLUMNS = (NAME, TEXT, BUTTON, MUST, MUST_NOT, MUNICIPALITY, NOTE)
REQUIRED_COLUMNS = (NAME, TEXT)
STEPS = "stappen"  # YAML: a conversation's list of steps
CONVERSATION_KEYS = (NAME, MUNICIPALITY, STEPS)
STEP_KEYS = (TEXT, BUTTON, MUST, MUST_NOT, NOTE)
PHRASE_SEPARATOR = "|"
CSV_SUFFIXES, YAML_SUFFIXES = (".csv",), (".yml", ".yaml")
# Spreadsheets turn typed quotes into curly ones: a phrase matches the reply either way.
STRAIGHT_QUOTES = str.maketrans({"‘": "'", "’": "'", "“": '"', "”": '"'})


class ScenarioError(ValueError):
    """One mistake in a file of test conversations, in Dutch, with its line (None: the whole file)."""

    def __init__(self, line: Optional[int], message: str):
        super().__init__(line, message)
        self.line = line
        self.message = message

    def __str__(self) -> str:
        return f"Regel {self.line}: {self.message}" if self.line else self.message


class ScenarioFileError(ValueError):
    """A file that cannot be run, with all its mistakes (at most MAX_ERRORS), in the order of its lines."""

    def __init__(self, file_name: str, errors: Sequence[ScenarioError], more: bool = False):
        super().__init__(file_name, tuple(errors))
        self.file_name = file_name
        self.errors = tuple(errors)
        self.more = more  # stopped after MAX_ERRORS: there are more

    def __str__(self) -> str:
        lines = [str(error) for error in self.errors]
        if self.more:
            lines.append(f"Er zijn meer fouten. Ik laat de eerste {MAX_ERRORS} zien. Verbeter die eerst.")
        return "\n".join(lines)


class SendFailed(Exception):
    """Wegwijzer gave no usable reply; the message is Dutch and says why."""


@dataclass(frozen=True)
class Step:
    """One thing the resident does, and what the reply must and must not mention."""

    line: int  # in the file, for the writer to find it
    text: Optional[str] = None  # what the resident types...
    button: Optional[str] = None  # ...or the title of the button they click
    must_mention: Tuple[str, ...] = ()
    must_not_mention: Tuple[str, ...] = ()
    note: str = ""

    @property
    def sent(self) -> str:
        """What the resident typed, or the title of the button."""
        return self.button if self.button is not None else self.text or ""


@dataclass(frozen=True)
class Scenario:
    """A test conversation: one resident, from its first message to its last."""

    name: str
    line: int
    steps: Tuple[Step, ...]
    municipality: Optional[str] = None  # the CBS code the widget's website presets, e.g. GM0363
    source: str = ""  # the file's name


class Outcome(str, Enum):
    """A step's outcome, as the report says it."""

    PASSED = "Gelukt"
    FAILED = "Mislukt"
    NOT_RUN = "Niet uitgevoerd"


@dataclass(frozen=True)
class StepResult:
    step: Step
    outcome: Outcome
    reply: str = ""  # the texts of the turn, one per line
    buttons: Tuple[str, ...] = ()  # the titles of the buttons of the turn
    problems: Tuple[str, ...] = ()  # in Dutch
    seconds: float = 0.0


@dataclass(frozen=True)
class ConversationResult:
    scenario: Scenario
    sender_id: str  # the conversation id: the staff pages' conversation log finds it by this
    steps: Tuple[StepResult, ...]

    @property
    def name(self) -> str:
        return self.scenario.name

    @property
    def municipality(self) -> Optional[str]:
        return self.scenario.municipality

    @property
    def passed(self) -> bool:
        return all(step.outcome is Outcome.PASSED for step in self.steps)


@dataclass(frozen=True)
class CoverageGroup:
    """A kind of part of the assistant (answers, questions, ...), and which of them no conversation reached."""

    prefix: str  # "antwoord"
    heading: str  # "Antwoorden"
    total: int
    reached: int
    missed: Tuple[Tuple[str, str], ...]  # (id, title), by title

    @property
    def share(self) -> float:
        return self.reached / self.total if self.total else 1.0


@dataclass(frozen=True)
class Coverage:
    groups: Tuple[CoverageGroup, ...]

    @property
    def total(self) -> int:
        return sum(group.total for group in self.groups)

    @property
    def reached(self) -> int:
        return sum(group.reached for group in self.groups)


@dataclass(frozen=True)
class Totals:
    steps: int
    passed: int
    failed: int
    not_run: int
    conversations: int
    conversations_passed: int


@dataclass(frozen=True)
class RunResult:
    conversations: Tuple[ConversationResult, ...]
    started: datetime  # aware
    seconds: float
    coverage: Optional[Coverage] = None

    @property
    def totals(self) -> Totals:
        outcomes = [step.outcome for conversation in self.conversations for step in conversation.steps]
        return Totals(
            steps=len(outcomes),
            passed=outcomes.count(Outcome.PASSED),
            failed=outcomes.count(Outcome.FAILED),
            not_run=outcomes.count(Outcome.NOT_RUN),
            conversations=len(self.conversations),
            conversations_passed=sum(conversation.passed for conversation in self.conversations),
        )

    @property
    def passed(self) -> bool:
        return all(conversation.passed for conversation in self.conversations)

    @property
    def files(self) -> Tuple[str, ...]:
        return tuple(dict.fromkeys(conversation.scenario.source for conversation in self.conversations))


# --- Reading a file ----------------------------------------------------------------------------


class _StopReading(Exception):
    """Reading further would find nothing useful: the mistakes so far are reported."""


@dataclass
class _Builder:
    """Collects the conversations of a file, and its mistakes instead of stopping at the first."""

    source: str
    scenarios: List[Scenario] = field(default_factory=list)
    errors: List[ScenarioError] = field(default_factory=list)
    current: Optional[Scenario] = None
    steps: List[Step] = field(default_factory=list)
    rows: int = 0  # of the current conversation, with a mistake or not
    step_count: int = 0
    names: Dict[str, int] = field(default_factory=dict)  # name -> the line where it starts
    more: bool = False  # a mistake after the first MAX_ERRORS

    def error(self, line: Optional[int], message: str) -> None:
        if len(self.errors) == MAX_ERRORS:
            self.more = True
            raise _StopReading()
        self.errors.append(ScenarioError(line, message))

    def start(self, line: int, name: str, municipality: str, municipality_line: Optional[int] = None) -> None:
        self._close()
        if name in self.names:
            self.error(
                line, f"er is al een gesprek '{name}' (regel {self.names[name]}). Geef elk gesprek een eigen naam."
            )
        self.names.setdefault(name, line)
        code = self.municipality(municipality_line or line, municipality)
        self.current = Scenario(name, line, (), code, self.source)

    def municipality(self, line: int, typed: str) -> Optional[str]:
        code = typed.strip().upper()
        if code and not CBS_CODE.fullmatch(code):
            self.error(
                line, f"'{typed.strip()}' is geen gemeentecode. Een code is GM met vier cijfers, bijvoorbeeld GM0363."
            )
        return code or None

    def add(self, step: Optional[Step]) -> None:
        """A step of the current conversation; None: a step with a mistake (already reported)."""
        self.step_count += 1
        if self.step_count > MAX_STEPS:
            self.error(
                None, f"Het bestand heeft meer dan {MAX_STEPS} stappen. Verdeel de gesprekken over meer bestanden."
            )
            raise _StopReading()
        self.rows += 1
        if step is None or self.current is None:
            return
        if step.button is not None and not self.steps:
            self.error(step.line, "een gesprek kan niet met een knop beginnen. Begin met wat de inwoner typt.")
        self.steps.append(step)

    def _close(self) -> None:
        if self.current is not None and not self.rows:
            self.error(self.current.line, f"het gesprek '{self.current.name}' heeft geen stappen.")
        elif self.current is not None:
            self.scenarios.append(replace(self.current, steps=tuple(self.steps)))
        self.current, self.steps, self.rows = None, [], 0

    def finish(self) -> List[Scenario]:
        self._close()
        if not self.scenarios and not self.errors:
            self.error(None, "Het bestand heeft geen stappen. Schrijf minstens één gesprek met één stap.")
        if self.errors:
            raise ScenarioFileError(self.source, self.sorted_errors())
        return self.scenarios

    def sorted_errors(self) -> List[ScenarioError]:
        """By line: the mistakes of the whole file first."""
        return sorted(self.errors, key=lambda error: error.line or 0)


def load(path: Path) -> List[Scenario]:
    """The test conversations in a file; ScenarioFileError with every mistake when it cannot be run."""
    if path.stat().st_size > MAX_FILE_BYTES:
        raise ScenarioFileError(path.name, [_too_big()])
    return parse(path.read_bytes(), path.name)


def parse(data: bytes, file_name: str) -> List[Scenario]:
    """The test conversations in a file's content (an upload, or a file read by `load`); the
    format follows from the name: .csv, .yml or .yaml."""
    builder = _Builder(file_name)
    try:
        _read(data, file_name, builder)
    except _StopReading:
        raise ScenarioFileError(file_name, builder.sorted_errors(), builder.more) from None
    return builder.finish()


def _read(data: bytes, file_name: str, builder: _Builder) -> None:
    suffix = Path(file_name).suffix.lower()
    if suffix not in CSV_SUFFIXES + YAML_SUFFIXES:
        builder.error(None, "Ik kan alleen .csv, .yml en .yaml lezen. Sla het bestand in Excel op als 'CSV UTF-8'.")
        raise _StopReading()
    if len(data) > MAX_FILE_BYTES:
        builder.error(None, str(_too_big()))
        raise _StopReading()
    text = _decode(data, builder)
    if not text.strip():
        builder.error(None, "Het bestand is leeg.")
        raise _StopReading()
    (_read_csv if suffix in CSV_SUFFIXES else _read_yaml)(text, builder)


def _too_big() -> ScenarioError:
    return ScenarioError(
        None, f"Het bestand is groter dan {MAX_FILE_BYTES // 1_000_000} MB. Verdeel de gesprekken over meer bestanden."
    )


def _decode(data: bytes, builder: _Builder) -> str:
    """UTF-8, with or without the byte order mark that Excel writes."""
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        line = data[: error.start].count(b"\n") + 1
        builder.error(
            line,
            "hier staat een teken dat ik niet kan lezen. Het bestand is geen UTF-8. "
            "Sla het in Excel op als 'CSV UTF-8 (door komma's gescheiden)'.",
        )
        raise _StopReading() from None


def _phrases(value: Union[str, Sequence[str]]) -> Tuple[str, ...]:
    """ "A | B" or ["A", "B | C"] -> ("A", "B", "C")."""
    values = [value] if isinstance(value, str) else list(value)
    return tuple(part.strip() for item in values for part in item.split(PHRASE_SEPARATOR) if part.strip())


def _step(line: int, fields: Dict[str, Union[str, List[str]]], builder: _Builder) -> Optional[Step]:
    """A step from its fields (cells, or YAML values); None when it has a mistake (reported)."""
    problems = len(builder.errors)
    for key, value in fields.items():
        for item in [value] if isinstance(value, str) else value:
            if len(item) > MAX_CELL:
                builder.error(
                    line, f"de tekst bij '{key}' is te lang ({len(item)} tekens). Gebruik hoogstens {MAX_CELL} tekens."
                )
    text, button = str(fields.get(TEXT) or "").strip(), str(fields.get(BUTTON) or "").strip()
    if text and button:
        builder.error(line, f"vul '{TEXT}' of '{BUTTON}' in, niet allebei.")
    elif not text and not button:
        builder.error(line, f"vul '{TEXT}' of '{BUTTON}' in.")
    if len(builder.errors) > problems:
        return None
    return Step(
        line,
        text or None,
        button or None,
        _phrases(fields.get(MUST) or ""),
        _phrases(fields.get(MUST_NOT) or ""),
        str(fields.get(NOTE) or "").strip(),
    )


def _read_csv(text: str, builder: _Builder) -> None:
    first_line = text.splitlines()[0] if text.splitlines() else ""
    delimiter = ";" if first_line.count(";") > first_line.count(",") else ","
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    try:
        rows = list(_numbered_rows(reader))
    except csv.Error:
        builder.error(reader.line_num, 'deze regel kan ik niet lezen. Kijk of de aanhalingstekens (") kloppen.')
        raise _StopReading() from None
    header_line, header = rows[0]
    columns = _columns(header_line, header, builder)
    name = None  # of the conversation the rows belong to
    for line, row in rows[1:]:
        cells = _cells(line, row, columns, builder)
        if not any(cells.values()):
            continue  # an empty row
        name = _conversation_row(line, cells, name, builder)
        builder.add(_step(line, {key: cells.get(key, "") for key in STEP_KEYS}, builder))


def _numbered_rows(reader: "csv._reader") -> Iterator[Tuple[int, List[str]]]:
    """Each row with the line it starts on (a quoted cell may hold line breaks)."""
    previous_end = 0
    for row in reader:
        yield previous_end + 1, row
        previous_end = reader.line_num


def _columns(line: int, header: List[str], builder: _Builder) -> List[str]:
    """The header's names (lower case; "" for an empty cell); every mistake in it is reported, then reading stops."""
    names = [cell.strip().lower() for cell in header]
    for name in names:
        if name and name not in COLUMNS:
            builder.error(line, f"de kolom '{name}' ken ik niet. Gebruik: {', '.join(COLUMNS)}.")
    for name in sorted({name for name in names if name and names.count(name) > 1}):
        builder.error(line, f"de kolom '{name}' staat er twee keer in.")
    for name in REQUIRED_COLUMNS:
        if name not in names:
            builder.error(line, f"de kolom '{name}' ontbreekt. Zet in de eerste regel de namen van de kolommen.")
    if builder.errors:
        raise _StopReading()
    return names


def _cells(line: int, row: List[str], columns: List[str], builder: _Builder) -> Dict[str, str]:
    """The row's cells by column; text in a column without a name is a mistake."""
    cells: Dict[str, str] = {}
    for number, cell in enumerate(row, start=1):
        column = columns[number - 1] if number <= len(columns) else ""
        if column:
            cells[column] = cell.strip()
        elif cell.strip():
            builder.error(line, f"in kolom {number} staat iets, maar die kolom heeft geen naam in regel 1.")
    return cells


def _conversation_row(line: int, cells: Dict[str, str], name: Optional[str], builder: _Builder) -> Optional[str]:
    """Starts a conversation when the row names a new one; returns the name the row belongs to."""
    named = cells.get(NAME, "")
    if named and named != name:
        builder.start(line, named, cells.get(MUNICIPALITY, ""))
        return named
    code = cells.get(MUNICIPALITY, "").strip().upper()
    if name is None:
        builder.error(line, f"vul bij '{NAME}' de naam van het gesprek in.")
    elif code and code != (builder.current.municipality if builder.current else None):
        builder.error(line, f"vul '{MUNICIPALITY}' alleen in op de eerste regel van een gesprek.")
    return name


def _read_yaml(text: str, builder: _Builder) -> None:
    try:
        root = yaml.compose(text, Loader=yaml.SafeLoader)
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None) or getattr(error, "context_mark", None)
        builder.error(
            mark.line + 1 if mark else None,
            "hier klopt de opmaak van het bestand niet. "
            "Kijk of de streepjes, dubbele punten en de inspringing goed staan.",
        )
        raise _StopReading() from None
    if not isinstance(root, yaml.SequenceNode):
        builder.error(
            _line(root), "het bestand moet een lijst van gesprekken zijn. Begin elk gesprek met '- gesprek: naam'."
        )
        raise _StopReading()
    for node in root.value:
        _yaml_conversation(node, builder)


def _line(node: Optional[yaml.Node]) -> int:
    return node.start_mark.line + 1 if node is not None else 1


def _mapping(node: yaml.Node, allowed: Tuple[str, ...], what: str, builder: _Builder) -> Dict[str, yaml.Node]:
    """A YAML mapping's values by key; unknown and repeated keys are reported."""
    if not isinstance(node, yaml.MappingNode):
        builder.error(_line(node), f"dit is geen {what}. Gebruik: {', '.join(allowed)}.")
        return {}
    found: Dict[str, yaml.Node] = {}
    for key, value in node.value:
        name = str(key.value).strip().lower()
        if name not in allowed:
            builder.error(_line(key), f"'{key.value}' ken ik niet. Gebruik: {', '.join(allowed)}.")
        elif name in found:
            builder.error(_line(key), f"'{name}' staat er twee keer in.")
        else:
            found[name] = value
    return found


def _text(node: Optional[yaml.Node], key: str, builder: _Builder) -> str:
    if node is None or node.tag == "tag:yaml.org,2002:null":
        return ""
    if isinstance(node, yaml.ScalarNode):
        return str(node.value).strip()
    builder.error(_line(node), f"bij '{key}' hoort een tekst.")
    return ""


def _texts(node: Optional[yaml.Node], key: str, builder: _Builder) -> List[str]:
    """A text, or a list of texts (phrases)."""
    if isinstance(node, yaml.SequenceNode):
        return [_text(item, key, builder) for item in node.value]
    return [_text(node, key, builder)]


def _yaml_conversation(node: yaml.Node, builder: _Builder) -> None:
    before = len(builder.errors)
    keys = _mapping(node, CONVERSATION_KEYS, "gesprek", builder)
    misspelt = len(builder.errors) > before  # "stapen": no need to say that the steps are missing too
    name = _text(keys.get(NAME), NAME, builder)
    if not isinstance(node, yaml.MappingNode):
        return
    if not name:
        builder.error(_line(node), f"dit gesprek heeft geen naam. Vul '{NAME}' in.")
        return
    code = keys.get(MUNICIPALITY)
    builder.start(_line(node), name, _text(code, MUNICIPALITY, builder), _line(code) if code is not None else None)
    steps = keys.get(STEPS)
    if steps is None or not isinstance(steps, yaml.SequenceNode):
        if steps is not None:
            builder.error(_line(steps), f"bij '{STEPS}' hoort een lijst. Begin elke stap met een streepje (-).")
        if steps is not None or misspelt:
            builder.add(None)
        return
    for step in steps.value:
        builder.add(_yaml_step(step, builder))


def _yaml_step(node: yaml.Node, builder: _Builder) -> Optional[Step]:
    """A step; None when it has a mistake (reported), without the mistakes that would follow from it."""
    before = len(builder.errors)
    values = _mapping(node, STEP_KEYS, "stap", builder)
    fields: Dict[str, Union[str, List[str]]] = {
        key: _texts(value, key, builder) if key in (MUST, MUST_NOT) else _text(value, key, builder)
        for key, value in values.items()
    }
    return _step(_line(node), fields, builder) if len(builder.errors) == before else None


# --- Running -----------------------------------------------------------------------------------

Send = Callable[[str, str, Optional[Dict[str, str]]], List[dict]]  # (sender id, message, metadata) -> Rasa's reply
Reached = Callable[[List[str]], Set[str]]  # sender ids -> the ids of the parts of the assistant they reached

COVERAGE_HEADINGS = {
    "antwoord": "Antwoorden",
    "kennis": "Kennisbank",
    "vraag": "Vragen in gesprekken",
    "tekst": "Teksten",
    "reactie": "Vaste reacties",
}


def run(
    scenarios: Sequence[Scenario],
    send: Send,
    reached: Optional[Reached] = None,
    everything: Optional[Dict[str, str]] = None,
) -> RunResult:
    """Runs each conversation as a new resident. With `reached` and `everything` (every part of
    the assistant by id, with its title), also which parts no conversation reached."""
    started, clock = datetime.now(timezone.utc), time.monotonic()
    conversations = tuple(run_conversation(scenario, send) for scenario in scenarios)
    coverage = None
    if reached is not None and everything is not None:
        coverage = coverage_of(reached([conversation.sender_id for conversation in conversations]), everything)
    return RunResult(conversations, started, time.monotonic() - clock, coverage)


def run_conversation(scenario: Scenario, send: Send) -> ConversationResult:
    """The steps in order. After a step that could not be done (a missing button, no reply),
    the conversation went elsewhere than written: the steps after it are not run."""
    sender = f"{TEST_PREFIX}{uuid.uuid4().hex[:12]}"  # a test conversation: kept out of the figures
    metadata = {METADATA_KEY: scenario.municipality} if scenario.municipality else None
    results: List[StepResult] = []
    buttons: Optional[List[dict]] = []  # of the previous turn; None once the conversation cannot go on
    for number, step in enumerate(scenario.steps, start=1):
        result, buttons = _run_step(step, buttons, sender, metadata, send)
        results.append(result)
        if buttons is None:
            reason = f"Stap {number} ging mis, dus het gesprek liep anders dan beschreven."
            results += [StepResult(rest, Outcome.NOT_RUN, problems=(reason,)) for rest in scenario.steps[number:]]
            break
    return ConversationResult(scenario, sender, tuple(results))


def _run_step(
    step: Step, previous_buttons: List[dict], sender: str, metadata: Optional[Dict[str, str]], send: Send
) -> Tuple[StepResult, Optional[List[dict]]]:
    """The step's result and the buttons of its reply (None: the conversation cannot go on)."""
    clock = time.monotonic()
    message = step.text or ""
    if step.button is not None:
        chosen = next((item for item in previous_buttons if _same(str(item.get("title") or ""), step.button)), None)
        if chosen is None:
            return StepResult(step, Outcome.FAILED, problems=(_missing_button(step.button, previous_buttons),)), None
        message = str(chosen.get("payload") or chosen.get("title"))
    try:
        reply = send(sender, message, metadata)
    except Exception as error:  # noqa: BLE001 - any failure to get a reply is told, and ends this conversation only
        return StepResult(step, Outcome.FAILED, problems=(_send_problem(error),), seconds=_since(clock)), None
    buttons = [item for part in reply for item in part.get("buttons") or []]
    return _checked(step, reply, buttons, _since(clock)), buttons


def _checked(step: Step, reply: List[dict], buttons: List[dict], seconds: float) -> StepResult:
    """The turn's texts, one per line, checked; "custom" parts (the widget's) have none."""
    text = "\n".join(str(part["text"]) for part in reply if part.get("text"))
    problems = _check(step, text)
    titles = tuple(str(item.get("title") or "") for item in buttons)
    return StepResult(step, Outcome.FAILED if problems else Outcome.PASSED, text, titles, problems, seconds)


def _since(clock: float) -> float:
    return time.monotonic() - clock


def normalised(text: str) -> str:
    """For comparing: lower case, one space for any whitespace, straight quotes, composed accents."""
    return " ".join(unicodedata.normalize("NFC", text).translate(STRAIGHT_QUOTES).split()).casefold()


def _same(one: str, other: str) -> bool:
    return normalised(one) == normalised(other)


def _check(step: Step, reply: str) -> Tuple[str, ...]:
    said = normalised(reply)
    missing = [f"Het antwoord noemt '{phrase}' niet." for phrase in step.must_mention if normalised(phrase) not in said]
    unwanted = [
        f"Het antwoord noemt '{phrase}'. Dat mocht niet."
        for phrase in step.must_not_mention
        if normalised(phrase) in said
    ]
    return tuple(missing + unwanted)


def _missing_button(title: str, buttons: List[dict]) -> str:
    titles = [f"'{item.get('title')}'" for item in buttons]
    there = f"Wel: {', '.join(titles)}." if titles else "Er waren geen knoppen."
    return f"De knop '{title}' was er niet. {there}"


def _send_problem(error: Exception) -> str:
    if isinstance(error, SendFailed):
        return str(error)
    return f"Wegwijzer gaf geen antwoord. De fout was: {type(error).__name__}: {error}"


def coverage_of(reached: Set[str], everything: Dict[str, str]) -> Coverage:
    """The parts of the assistant by kind (the prefix of their id), with those not reached."""
    by_prefix: Dict[str, List[str]] = {}
    for part in everything:
        by_prefix.setdefault(part.split("/", 1)[0], []).append(part)
    order = [prefix for prefix in COVERAGE_HEADINGS if prefix in by_prefix] + sorted(
        prefix for prefix in by_prefix if prefix not in COVERAGE_HEADINGS
    )
    groups = []
    for prefix in order:
        parts = by_prefix[prefix]
        missed = sorted(((part, everything[part]) for part in parts if part not in reached), key=lambda m: m[1].lower())
        groups.append(
            CoverageGroup(
                prefix, COVERAGE_HEADINGS.get(prefix, prefix), len(parts), len(parts) - len(missed), tuple(missed)
            )
        )
    return Coverage(tuple(groups))


# --- Wegwijzer over REST -----------------------------------------------------------------------


def rest_send(rasa_url: str, timeout: float = REPLY_TIMEOUT) -> Send:
    """Sends a message to Rasa's REST channel, as the resident `sender`; raises SendFailed, in
    Dutch, when no reply comes."""
    endpoint = f"{rasa_url.rstrip('/')}/webhooks/rest/webhook"
    session = requests.Session()

    def send(sender: str, message: str, metadata: Optional[Dict[str, str]]) -> List[dict]:
        body: Dict[str, object] = {"sender": sender, "message": message}
        if metadata is not None:
            body["metadata"] = metadata
        try:
            response = session.post(endpoint, json=body, timeout=timeout)
        except requests.Timeout as error:
            raise SendFailed(f"Wegwijzer gaf binnen {timeout:g} seconden geen antwoord.") from error
        except requests.ConnectionError as error:
            raise SendFailed(f"Wegwijzer is niet bereikbaar op {rasa_url}.") from error
        if response.status_code != 200:
            raise SendFailed(f"Wegwijzer gaf een fout (HTTP {response.status_code}) in plaats van een antwoord.")
        try:
            reply = response.json()
        except ValueError:
            reply = None
        if not isinstance(reply, list) or not all(isinstance(part, dict) for part in reply):
            raise SendFailed("Wegwijzer gaf een antwoord dat ik niet kan lezen.")
        return reply

    return send


def run_against(scenarios: Sequence[Scenario], rasa_url: str) -> RunResult:
    """The conversations against the assistant at `rasa_url`, with what they reached (read from
    this machine's conversation store)."""
    return run(scenarios, rest_send(rasa_url), reached_by, everything())


def unreachable(rasa_url: str) -> Optional[str]:
    """Why Wegwijzer cannot run test conversations now (in Dutch), or None when it can: the
    REST channel's health check answers 503 while the action server or the store is down."""
    start = "Start Wegwijzer eerst met: ./wegwijzer start"
    try:
        response = requests.get(f"{rasa_url.rstrip('/')}/webhooks/rest/", timeout=10)
    except requests.RequestException:
        return f"Wegwijzer is niet bereikbaar op {rasa_url}. {start}"
    if response.status_code == 503:
        return f"Wegwijzer draait op {rasa_url}, maar een deel werkt niet (de actieserver of de gespreksopslag)."
    if response.status_code != 200:
        return f"Op {rasa_url} antwoordt iets anders dan Wegwijzer (HTTP {response.status_code}). {start}"
    return None


# --- Command line ------------------------------------------------------------------------------

REPORT_DIR = VAR_DIR / "testgesprekken"


def default_url() -> str:
    return f"http://localhost:{RASA_PORT.get()}"


def main(argv: List[str]) -> int:
    """`wegwijzer scenarios run FILE [FILE ...] [--url URL] [--rapport FILE]`: 0 when every step
    passed, 1 when a step failed, 2 when a file has mistakes or Wegwijzer cannot be reached."""
    parser = argparse.ArgumentParser(prog="wegwijzer scenarios", description="Testgesprekken met Wegwijzer.")
    commands = parser.add_subparsers(dest="command", required=True)
    run_parser = commands.add_parser("run", help="voer testgesprekken uit en maak een rapport")
    run_parser.add_argument("files", nargs="+", type=Path, metavar="BESTAND", help="een .csv-, .yml- of .yaml-bestand")
    run_parser.add_argument("--url", default=default_url(), help="waar Wegwijzer draait (standaard: %(default)s)")
    run_parser.add_argument("--rapport", type=Path, help=f"het HTML-rapport (standaard: in {REPORT_DIR})")
    arguments = parser.parse_args(argv)
    return run_files(arguments.files, arguments.url, arguments.rapport)


def run_files(files: Sequence[Path], rasa_url: str, report: Optional[Path] = None) -> int:
    """Every file is checked before anything runs: a council member fixes all files in one go."""
    scenarios = _load_files(files)
    if scenarios is None:
        return 2
    problem = unreachable(rasa_url)
    if problem:
        print(problem)
        return 2
    result = run_against(scenarios, rasa_url)
    for line in summary_lines(result):
        print(line)
    path = write_report(result, report or REPORT_DIR / f"rapport-{result.started.astimezone():%Y%m%d-%H%M%S}.html")
    print(f"Het rapport staat in {_shown(path)}")
    return 0 if result.passed else 1


def _load_files(files: Sequence[Path]) -> Optional[List[Scenario]]:
    """Every file's conversations; None after printing the mistakes of every file that has them."""
    scenarios: List[Scenario] = []
    failed = False
    for path in files:
        try:
            scenarios += load(path)
        except FileNotFoundError:
            print(f"{path}: dit bestand bestaat niet.")
            failed = True
        except ScenarioFileError as error:
            print(f"{path}: dit bestand kan ik niet gebruiken.")
            print("\n".join(f"  {line}" for line in str(error).splitlines()))
            failed = True
    return None if failed else scenarios


def summary_lines(result: RunResult) -> Iterator[str]:
    """A line per conversation, the problems of each failed step, and the totals."""
    for conversation in result.conversations:
        passed = sum(step.outcome is Outcome.PASSED for step in conversation.steps)
        outcome = Outcome.PASSED if conversation.passed else Outcome.FAILED
        total = amount(len(conversation.steps), "stap", "stappen")
        yield f"{outcome.value}: {conversation.name} ({passed} van {total} gelukt)"
        for number, step in enumerate(conversation.steps, start=1):
            if step.outcome is Outcome.FAILED:
                for problem in step.problems:
                    yield f"    stap {number} (regel {step.step.line} in {conversation.scenario.source}): {problem}"
        not_run = sum(step.outcome is Outcome.NOT_RUN for step in conversation.steps)
        if not_run:
            yield f"    {amount(not_run, 'stap', 'stappen')} niet uitgevoerd."
    totals = result.totals
    took = amount(round(result.seconds), "seconde", "seconden")
    yield f"{totals.passed} van {amount(totals.steps, 'stap', 'stappen')} gelukt, in {took}."


def amount(number: int, one: str, more: str) -> str:
    """amount(3, "stap", "stappen") -> "3 stappen"; amount(1, ...) -> "1 stap"."""
    return f"{number} {one if number == 1 else more}"


def write_report(result: RunResult, path: Path) -> Path:
    """The HTML report, with the version of the conversation book (model and content), so that
    a reader can tell which texts were tested. scenario_report.py imports this module: hence here."""
    from assistant.review.book import build_book
    from assistant.review.scenario_report import report_page

    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(report_page(result, str(build_book().version)), encoding="utf-8")
    return path


def _shown(path: Path) -> str:
    try:
        return str(path.resolve().relative_to(PROJECT_ROOT))
    except ValueError:
        return str(path)
