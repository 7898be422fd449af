"""Two of Rasa 3.6's costs per turn that do the same work each time, found by profiling a turn
(benchmarks/turn_profile.py), done once here with the same outcome:

- Rasa checks every answer of the action server against a JSON schema with `jsonschema.validate`,
  which first checks the schema itself and builds a new validator each time: about a third of a
  turn's CPU. Here the validator is built once, with Rasa's own message when an answer is not valid.
- Reading a stored event, Rasa finds its class by walking every subclass of Event (with an
  `inspect.isabstract` per class), for each event of the conversation on each turn. Here the
  classes are looked up by type name in a table, made again when a name is not in it.

Installed by the Rasa server's entry point (assistant/rasa_plugins/rasa_server.py).
"""

from functools import lru_cache
from typing import Any, Dict, Optional, Text, Type

from jsonschema import ValidationError
from jsonschema.validators import validator_for
from rasa.core.actions.action import RemoteAction
from rasa.shared.constants import DOCS_BASE_URL
from rasa.shared.core.events import Event
from rasa.shared.utils.common import all_subclasses

_rasa_resolve_by_type = Event.resolve_by_type
_event_classes: Dict[Text, Type[Event]] = {}


@lru_cache(maxsize=1)
def _validator() -> Any:
    schema = RemoteAction.action_response_format_spec()
    return validator_for(schema)(schema)


def validate_action_result(_: RemoteAction, result: Dict[Text, Any]) -> bool:
    try:
        _validator().validate(result)
    except ValidationError as error:
        error.message += (
            ". Failed to validate Action server response from API, make sure your response from the "
            f"Action endpoint is valid. For more information about the format visit {DOCS_BASE_URL}/custom-actions"
        )
        raise
    return True


def resolve_by_type(type_name: Text, default: Optional[Type[Event]] = None) -> Optional[Type[Event]]:
    """Event.resolve_by_type from a table; Rasa's own for a name that is not an event's."""
    if type_name not in _event_classes:
        _event_classes.update((cls.type_name, cls) for cls in reversed(all_subclasses(Event)))
    found = _event_classes.get(type_name)
    return found if found is not None else _rasa_resolve_by_type(type_name, default)


def install() -> None:
    RemoteAction._validate_action_result = validate_action_result
    Event.resolve_by_type = staticmethod(resolve_by_type)
