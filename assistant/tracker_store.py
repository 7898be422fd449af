"""Rasa's SQL tracker store, storing every event with personal data masked or hidden.

Configured in endpoints.yml. Works with SQLite (default) and PostgreSQL. Rasa reads the
stored events back each turn, so the masked text is all that lives on after a turn.

The callback form keeps its answers sealed (assistant.callbacks.seal) in its slots; what
a resident types while that form asks for a name, phone number or question is hidden
(assistant.privacy.protect_events).
"""

from itertools import islice
from typing import Iterable, Iterator, Optional

from rasa.core.tracker_store import SQLTrackerStore
from rasa.shared.core.events import Event, SlotSet
from rasa.shared.core.trackers import DialogueStateTracker

from assistant.privacy import REQUESTED_SLOT, protect_events


def last_requested_slot(events: Iterable[Event]) -> Optional[str]:
    """The slot the active form asked for after `events`: the last value set for requested_slot."""
    requested = None
    for event in events:
        if isinstance(event, SlotSet) and event.key == REQUESTED_SLOT:
            requested = event.value
    return requested


class RedactingSQLTrackerStore(SQLTrackerStore):
    def _additional_events(self, session, tracker: DialogueStateTracker) -> Iterator[Event]:
        new_events = list(super()._additional_events(session, tracker))
        earlier_events = islice(tracker.events, len(tracker.events) - len(new_events))
        for data in protect_events([event.as_dict() for event in new_events], last_requested_slot(earlier_events)):
            yield Event.from_parameters(data)
