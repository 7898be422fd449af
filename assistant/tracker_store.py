"""Rasa's SQL tracker store, storing every event with personal numbers masked.

Configured in endpoints.yml. Works with SQLite (default) and PostgreSQL. Rasa reads the
stored events back each turn, so the masked text is all that lives on after a turn.
"""

from typing import Iterator

from rasa.core.tracker_store import SQLTrackerStore
from rasa.shared.core.events import Event
from rasa.shared.core.trackers import DialogueStateTracker

from assistant.privacy import redact_fields


class RedactingSQLTrackerStore(SQLTrackerStore):
    def _additional_events(self, session, tracker: DialogueStateTracker) -> Iterator[Event]:
        for event in super()._additional_events(session, tracker):
            yield Event.from_parameters(redact_fields(event.as_dict()))
