"""The Rasa server, as `rasa <arguments>` runs it, with the libraries' deprecation warnings
silenced (assistant/runtime/quiet.py): `rasa run` printed some forty of them at start. Rasa sets
its own warning filters when it starts ("once" for every UserWarning, which pyparsing's
deprecation warnings also are); ours are set again right after them.

    python -m assistant.rasa_plugins.rasa_server run --model ... (`./wegwijzer start` does this)
"""

import sys

import sanic  # noqa: F401 - its import adds a DeprecationWarning filter that ours must follow

from assistant.runtime.quiet import silence_library_warnings


def main() -> None:
    silence_library_warnings()
    import rasa.utils.common  # after the filters: importing Rasa warns
    from rasa.__main__ import main as rasa_main

    rasa_filters = rasa.utils.common._filter_warnings

    def rasa_filters_then_ours(*args: object, **kwargs: object) -> None:
        rasa_filters(*args, **kwargs)
        silence_library_warnings()

    rasa.utils.common._filter_warnings = rasa_filters_then_ours

    sys.argv = ["rasa", *sys.argv[1:]]
    rasa_main()


if __name__ == "__main__":
    main()
