"""Nothing a resident typed in the logs (assistant/log_privacy.py, assistant/rasa_plugins/rasa_logging.py)."""

import json

import structlog

from assistant.log_privacy import scrub
from assistant.rasa_plugins import rasa_logging
from tests.support.logs import logged

BSN, PHONE = "111222333", "06-12345678"


def test_a_message_and_its_arguments_are_masked():
    text = logged(lambda logger: logger.warning("Failed to parse '%s'", f"/greet{{bsn {BSN} tel {PHONE}"))
    assert BSN not in text and PHONE not in text and "[BSN]" in text and "[telefoonnummer]" in text


def test_an_exception_text_is_masked():
    def emit(logger):
        try:
            raise ValueError(f"bad input: mijn bsn is {BSN}")
        except ValueError:
            logger.exception("A turn failed")

    text = logged(emit)
    assert "ValueError" in text and BSN not in text


def test_structured_tracebacks_lose_their_frame_locals():
    line = json.dumps({"event": "x", "exception": [{"frames": [{"name": "f", "locals": {"text": "mijn dementie"}}]}]})
    assert "dementie" not in scrub(line) and '"name": "f"' in scrub(line)


def test_rasa_events_hide_what_the_resident_typed():
    event = {"event": "rest.message.received.timeout", "text": "mijn moeder heeft dementie", "sender": f"bel {PHONE}"}
    hidden = rasa_logging.hide_resident_text(None, "error", event)
    assert hidden == {
        "event": "rest.message.received.timeout",
        "text": rasa_logging.HIDDEN,
        "sender": "bel [telefoonnummer]",
    }


def test_the_structlog_configuration_has_the_processor_in_front_and_no_locals():
    processors = structlog.get_config()["processors"]
    assert processors[0] is rasa_logging.hide_resident_text
    assert structlog.processors.dict_tracebacks not in processors
