"""Rasa checks every answer of the action server against a JSON schema. Rasa 3.6 does it with
`jsonschema.validate`, which first checks the schema itself and builds a new validator each
time: about a quarter of a turn's time (benchmarks/turn_profile.py). Here the validator is
built once and the same check runs, with Rasa's own message when an answer is not valid.

Installed by the Rasa server's entry point (assistant/rasa_plugins/rasa_server.py).
"""

from functools import lru_cache
from typing import Any, Dict, Text

from jsonschema import ValidationError
from jsonschema.validators import validator_for
from rasa.core.actions.action import RemoteAction
from rasa.shared.constants import DOCS_BASE_URL


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


def install() -> None:
    RemoteAction._validate_action_result = validate_action_result
