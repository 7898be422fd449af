"""The house's rules that code review alone would let slip."""

import ast
from pathlib import Path
from typing import Iterator, Tuple

from assistant.settings import PROJECT_ROOT, VARIABLES

# Only these folders may import Rasa: everything else is plain Python, testable without it.
MAY_IMPORT_RASA = ("actions", "assistant/rasa_plugins")
PRODUCT = ("actions", "assistant", "municipalities")


def imported_modules(path: Path) -> Iterator[str]:
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            yield from (alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            yield node.module


def product_files() -> Iterator[Tuple[str, Path]]:
    for folder in PRODUCT:
        for path in sorted((PROJECT_ROOT / folder).rglob("*.py")):
            yield path.relative_to(PROJECT_ROOT).as_posix(), path


def test_only_the_actions_and_the_rasa_plugins_import_rasa():
    offenders = [
        f"{name} imports {module}"
        for name, path in product_files()
        if not name.startswith(MAY_IMPORT_RASA)
        for module in imported_modules(path)
        if module.split(".")[0] in ("rasa", "rasa_sdk")
    ]
    assert offenders == []


def test_dependencies_point_one_way():
    """actions -> assistant -> municipalities: nothing imports a layer above it."""
    above = {"assistant": ("actions",), "municipalities": ("actions", "assistant")}
    offenders = [
        f"{name} imports {module}"
        for name, path in product_files()
        for module in imported_modules(path)
        if module.split(".")[0] in above.get(name.split("/")[0], ())
    ]
    assert offenders == []


def test_only_the_settings_read_the_environment():
    offenders = [
        name
        for name, path in product_files()
        if name != "assistant/settings.py" and "os.environ" in path.read_text(encoding="utf-8")
    ]
    assert offenders == []


def test_the_readme_lists_every_variable_with_its_default():
    readme = (PROJECT_ROOT / "README.md").read_text(encoding="utf-8")
    for variable in VARIABLES:
        assert f"| `{variable.name}` |" in readme, variable.name
        default = variable.default.replace(f"{PROJECT_ROOT}/", "")
        assert (f"`{default}`" if default else "(none)") in readme, variable.name
