"""The Rasa server, as `rasa <arguments>` runs it, with the libraries' deprecation warnings
silenced first (assistant/runtime/quiet.py): `rasa run` printed some forty of them at start.

    python -m assistant.rasa_plugins.rasa_server run --model ... (`./wegwijzer start` does this)
"""

import sys

import sanic  # noqa: F401 - its import adds a DeprecationWarning filter that ours must follow

from assistant.runtime.quiet import silence_library_warnings


def main() -> None:
    silence_library_warnings()
    from rasa.__main__ import main as rasa_main  # after the filters: importing Rasa warns

    sys.argv = ["rasa", *sys.argv[1:]]
    rasa_main()


if __name__ == "__main__":
    main()
