"""What a new conversation starts with: the slots of the previous session (when the
domain carries them over), and the municipality that the website's widget presets
(`data-gemeente="GM0363"`, sent as message metadata) unless one is known already."""

import re
from typing import Any, Dict, Iterator, Mapping, Optional, Tuple

from municipalities.directory import Directory, Municipality

CBS_CODE = re.compile(r"GM\d{4}", re.IGNORECASE)
METADATA_KEY = "gemeente"


def preset_municipality(metadata: Optional[Mapping[str, Any]], directory: Directory) -> Optional[Municipality]:
    """The municipality whose CBS code the widget sent; None for anything else."""
    code = (metadata or {}).get(METADATA_KEY)
    if not isinstance(code, str) or not CBS_CODE.fullmatch(code.strip()):
        return None
    return directory.by_code(code)


def carried_over(slots: Mapping[str, Any], session_config: Mapping[str, Any]) -> Iterator[Tuple[str, Any]]:
    """The filled slots to set again in the new session, as Rasa's own session start does."""
    if session_config.get("carry_over_slots_to_new_session", True):
        yield from ((name, value) for name, value in slots.items() if value is not None)


def start_slots(
    slots: Mapping[str, Any], session_config: Mapping[str, Any], preset: Optional[Municipality], slot: str = "gemeente"
) -> Dict[str, Any]:
    """The slots of the new session; the preset municipality only fills an empty `slot`."""
    values = dict(carried_over(slots, session_config))
    if preset and values.get(slot) is None:
        values[slot] = preset.name
    return values
