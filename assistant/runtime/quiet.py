"""Less noise from libraries, so that what Wegwijzer prints can be read. Deprecation warnings
raised inside Rasa's pinned libraries (sanic, pkg_resources, pyparsing, SQLAlchemy 1.4,
TensorFlow, matplotlib) are about their own code, and nothing here can act on them: they are
silenced. Deprecation warnings from our own packages, and every other kind of warning, stay.

Sanic adds `filterwarnings("once", DeprecationWarning)` when it is imported, in front of any
filter set before: call `silence_library_warnings()` after sanic (and so Rasa) is imported."""

import warnings

OUR_PACKAGES = r"(actions|assistant|municipalities|benchmarks|tests)(\.|$)"
LIBRARY_CATEGORIES = (DeprecationWarning, PendingDeprecationWarning)


def silence_library_warnings() -> None:
    for category in LIBRARY_CATEGORIES:
        warnings.filterwarnings("ignore", category=category)
        warnings.filterwarnings("default", category=category, module=OUR_PACKAGES)  # in front: ours still show
