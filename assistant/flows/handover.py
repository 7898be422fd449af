"""The handover flow (`handover_form`): where a resident reaches a person at the municipality.
The Wmo-loket when the municipality's own data gives its number (with opening hours), else the
municipality's general number."""

from typing import Optional

from assistant.content.answers import message
from municipalities.directory import Municipality
from municipalities.overrides import Override


def where_to_call(municipality: Municipality, override: Optional[Override]) -> str:
    desk = override.wmo_desk if override and override.wmo_desk and override.wmo_desk.phone else None
    if desk is None:
        return message("mens_gemeente", gemeente=municipality.name, telefoon=municipality.phone_display or "")
    text = message("mens_wmo_loket", gemeente=municipality.name, telefoon=desk.phone.display)
    return f"{text} {message('mens_open', open=desk.opening_hours)}" if desk.opening_hours else text
