"""Exchange-folder benchmark: a sync with nothing to do over a folder of 1,800 bundles from 5 hubs (a year of
daily syncs), beside the same-run baseline of listing the folder.

The folder holds real bundle files written by five hubs, under the names `sync` gives them; the reading hub has
imported every one (their ids are in its exchange log, as imports leave them), so a sync only has to tell that
nothing is new: by name, without opening a file.

    python -m benchmarks.bench_folder
"""

from __future__ import annotations

import os
import shutil
import statistics
import sys
import tempfile
import time
import uuid
from pathlib import Path

from sqlalchemy import text

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from benchmarks.common import Row, print_table  # noqa: E402
from oursociety_desktop.models.contacts import create_contact  # noqa: E402
from oursociety_desktop.models.database import Database, set_setting, utc_now_iso  # noqa: E402
from oursociety_desktop.services.exchange import export_bundle  # noqa: E402
from oursociety_desktop.services.exchange_folder import sync_folder  # noqa: E402
from oursociety_desktop.services.folder_files import folder_id  # noqa: E402

HUBS = 5
BUNDLES = 1800
RUNS = 5


def _listing(folder: Path) -> int:
    """Baseline: list the folder and stat every entry."""
    return sum(1 for entry in os.scandir(folder) if entry.is_file())


def build(work: Path) -> tuple[Database, Path]:
    """Five writing hubs, 1,800 of their bundles in one folder, and a reading hub that has imported them all."""
    folder = work / "exchange"
    folder.mkdir()
    folder_id(folder)
    reader = Database.create(work / "reader", "Reader")
    seen: list[tuple[str, str]] = []
    for index in range(HUBS):
        db = Database.create(work / f"hub{index}", f"Hub {index}")
        with db.write() as tx:
            set_setting(tx.session, "default_share_with_hubs", True)
            for n in range(20):
                create_contact(tx, {"given_name": f"Person {index}-{n}"})
        sample = work / f"sample{index}.oursociety"
        export_bundle(db, sample)
        for _ in range(BUNDLES // HUBS):
            bundle_id = str(uuid.uuid4())
            shutil.copy(sample, folder / f"hub-{index}_{db.hub_id}_{bundle_id}.oursociety")
            seen.append((db.hub_id, bundle_id))
        db.close()
    with reader.write() as tx:
        tx.session.connection().execute(text(
            "INSERT INTO exchange_log (at, direction, peer_hub, file_name, summary) "
            "VALUES (:at, 'import', :hub, '', json_object('bundle_id', :bundle))"),
            [{"at": utc_now_iso(), "hub": hub, "bundle": bundle} for hub, bundle in seen])
    return reader, folder


def run(data_dir: Path | None = None) -> list[Row]:
    """The sync and its baseline, each the median of five runs. `data_dir` is not used (the benchmark builds its
    own hubs)."""
    del data_dir
    work = Path(tempfile.mkdtemp(prefix="bench-folder-"))
    try:
        reader, folder = build(work)
        sync_folder(reader, folder)  # the first sync writes this hub's bundle; the next ones have nothing to do
        syncs, listings = [], []
        for _ in range(RUNS):
            start = time.perf_counter()
            listed = _listing(folder)
            listings.append(time.perf_counter() - start)
            start = time.perf_counter()
            result = sync_folder(reader, folder)
            syncs.append(time.perf_counter() - start)
            assert not result.imported and result.written is None and listed >= BUNDLES
        reader.close()
        return [Row(f"sync with nothing to do, {BUNDLES:,} bundles from {HUBS} hubs", statistics.median(syncs),
                    min(syncs), max(syncs), statistics.median(listings), "≤ 2 s", runs=RUNS)]
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    print_table("Exchange folder", run())
