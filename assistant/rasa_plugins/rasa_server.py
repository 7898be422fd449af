"""The Rasa server, as `rasa <arguments>` runs it, with three additions:

- the libraries' deprecation warnings silenced (assistant/runtime/quiet.py): `rasa run` printed
  some forty of them at start. Rasa sets its own warning filters when it starts ("once" for every
  UserWarning, which pyparsing's deprecation warnings also are); ours are set again right after them.
- GET /metrics for Prometheus (assistant/rasa_plugins/metrics.py). Rasa's channels register under
  /webhooks/, so the route goes on Rasa's Sanic app itself: `rasa.core.run.serve_application` makes
  it with `configure_app`, which it calls by its module global name, so replacing that name here
  gives us the app before it runs. The app's Sanic loggers exist only then: their handlers get the
  logs' masking (and JSON format) there too.
- two of Rasa's costs per turn done once instead (assistant/rasa_plugins/speedups.py).

    python -m assistant.rasa_plugins.rasa_server run --model ... (`./wegwijzer start` does this)
"""

import functools
import sys
from typing import Any, Callable

import sanic  # noqa: F401 - its import adds a DeprecationWarning filter that ours must follow

from assistant.runtime.quiet import silence_library_warnings

ConfigureApp = Callable[..., sanic.Sanic]


def with_metrics(configure_app: ConfigureApp) -> ConfigureApp:
    """Rasa's configure_app, whose app also answers /metrics and logs masked."""

    @functools.wraps(configure_app)
    def configure_app_with_metrics(*args: Any, **kwargs: Any) -> sanic.Sanic:
        # Imported here, once Rasa has set up its logging: rasa_logging installs itself on import.
        from assistant.rasa_plugins import metrics, rasa_logging

        app = configure_app(*args, **kwargs)
        metrics.add_metrics_route(app, metrics.SERVER)
        rasa_logging.install()
        return app

    return configure_app_with_metrics


def main() -> None:
    silence_library_warnings()
    import rasa.core.run
    import rasa.utils.common  # after the filters: importing Rasa warns
    from rasa.__main__ import main as rasa_main

    rasa_filters = rasa.utils.common._filter_warnings

    def rasa_filters_then_ours(*args: object, **kwargs: object) -> None:
        rasa_filters(*args, **kwargs)
        silence_library_warnings()

    rasa.utils.common._filter_warnings = rasa_filters_then_ours
    rasa.core.run.configure_app = with_metrics(rasa.core.run.configure_app)
    from assistant.rasa_plugins import speedups

    speedups.install()

    sys.argv = ["rasa", *sys.argv[1:]]
    rasa_main()


if __name__ == "__main__":
    main()
