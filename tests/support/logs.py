"""What a logger writes through a handler with the log filter of every process (assistant/log_privacy.py)."""

import io
import logging
from typing import Callable

from assistant.log_privacy import RedactingFilter


def logged(emit: Callable[[logging.Logger], None], name: str = "test_logs") -> str:
    """The text written while `emit(logger)` runs, masked as every process masks it."""
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.addFilter(RedactingFilter())
    logger = logging.getLogger(name)
    logger.addHandler(handler)
    logger.propagate = False
    try:
        emit(logger)
    finally:
        logger.removeHandler(handler)
    return stream.getvalue()
