"""Run one benchmark module in this process and print its rows as JSON (used by `python -m benchmarks`).

    python -m benchmarks.worker MODULE HUB WORK

Each module runs in a process of its own, so start-up and memory figures are those of a fresh process and no
module's caches or Qt state leak into another's.
"""

from __future__ import annotations

import dataclasses
import importlib
import inspect
import json
import sys
from pathlib import Path
from typing import Any

MARKER = "@@ROWS@@"


def as_dict(row: Any) -> dict[str, Any]:
    """A Row, or the dict form some modules return, as one plain dict."""
    if dataclasses.is_dataclass(row):
        return dataclasses.asdict(row)  # type: ignore[arg-type]
    seconds = float(row.get("seconds", row.get("median", 0.0)))
    return {"operation": row.get("operation", "?"), "median": seconds, "low": seconds, "high": seconds,
            "baseline": row.get("baseline_seconds"), "target": row.get("target", ""), "unit": "s", "runs": 1}


def main() -> None:
    module_name, hub, work = sys.argv[1], Path(sys.argv[2]), Path(sys.argv[3])
    if module_name in ("bench_gui", "bench_session", "bench_ui_lists"):
        import oursociety_desktop.ui  # noqa: F401  (the PySide6 6.12 refcount guard, before any Qt call)
    module = importlib.import_module(f"benchmarks.{module_name}")
    params = inspect.signature(module.run).parameters
    kwargs: dict[str, Any] = {}
    if "work" in params:
        kwargs["work"] = work
    first = next(iter(params))
    rows = module.run(hub, **kwargs) if first in ("hub", "data_dir") else module.run(**kwargs)
    print(MARKER + json.dumps([as_dict(r) for r in rows]), flush=True)


if __name__ == "__main__":
    main()
