"""Environment variables for the servers a test starts."""

import os
from contextlib import contextmanager
from typing import Dict, Iterator


@contextmanager
def environment(values: Dict[str, str]) -> Iterator[None]:
    """Environment variables set while the block runs; the old values come back afterwards."""
    saved = {name: os.environ.get(name) for name in values}
    os.environ.update(values)
    try:
        yield
    finally:
        for name, value in saved.items():
            if value is None:
                os.environ.pop(name, None)
            else:
                os.environ[name] = value
