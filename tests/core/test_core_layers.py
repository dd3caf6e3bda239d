"""Dependencies point one way (docs/architecture.md): ui and cli over services, over formats, over models; no Qt
below ui. Read from every module's imports, so a new module that breaks the rule fails here."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parents[2] / "oursociety_desktop"
# Modules beside the layers, which every layer may use: the version, the data folder's path, translations.
BESIDE = {"__version__", "paths", "i18n"}
# For each layer, the layers of this package it may import (itself included) and whether Qt is allowed.
ALLOWED = {
    "models": ({"models"}, False),
    "formats": ({"formats", "models"}, False),
    "services": ({"services", "formats", "models"}, False),
    "cli": ({"cli", "services", "formats", "models", "app"}, False),
    "ui": ({"ui", "services", "formats", "models"}, True),
}


def imports_of(path: Path) -> set[str]:
    names: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.add(node.module)
            if node.module == "oursociety_desktop":
                names.update(f"oursociety_desktop.{alias.name}" for alias in node.names)
    return names


@pytest.mark.parametrize("layer", sorted(ALLOWED))
def test_each_layer_imports_only_the_layers_below_it(layer: str) -> None:
    allowed, qt = ALLOWED[layer]
    broken = []
    for path in sorted((PACKAGE / layer).rglob("*.py")):
        for name in imports_of(path):
            parts = name.split(".")
            if parts[0] == "PySide6" and not qt:
                broken.append(f"{path.relative_to(PACKAGE)} imports Qt ({name})")
            if parts[0] == "oursociety_desktop" and len(parts) > 1 and parts[1] not in allowed | BESIDE:
                broken.append(f"{path.relative_to(PACKAGE)} imports {name}")
    assert broken == []


def test_the_modules_beside_the_layers_import_none_of_them() -> None:
    for name in ("paths", "i18n"):
        assert not {n for n in imports_of(PACKAGE / f"{name}.py") if n.startswith("oursociety_desktop.")
                    or n == "PySide6" or n.startswith("PySide6.")}
    assert all((PACKAGE / layer / "__init__.py").is_file() for layer in ALLOWED)
