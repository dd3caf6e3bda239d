"""Where data lives: risky places (removable media, cloud-synced folders) get a warning."""

from __future__ import annotations

from pathlib import Path

import pytest

from oursociety_desktop.cli import main
from oursociety_desktop.paths import storage_warning


@pytest.mark.parametrize("parts", [("Dropbox", "hub"), ("OneDrive - Community Trust", "OurSociety"),
                                   ("Nextcloud", "x"), ("Google Drive", "My Drive", "hub")])
def test_cloud_synced_names_warn(tmp_path: Path, parts: tuple[str, ...]) -> None:
    warning = storage_warning(tmp_path.joinpath(*parts), mounts_file=tmp_path / "no-mounts")
    assert warning and "synced" in warning


def test_syncthing_marker_in_a_parent_warns(tmp_path: Path) -> None:
    (tmp_path / "shared").mkdir()
    (tmp_path / "shared" / ".stfolder").mkdir()
    warning = storage_warning(tmp_path / "shared" / "hub", mounts_file=tmp_path / "none")
    assert warning and "synced folder" in warning


def test_removable_filesystem_warns(tmp_path: Path) -> None:
    mounts = tmp_path / "mounts"
    mounts.write_text(f"/dev/sda1 / ext4 rw 0 0\n/dev/sdb1 {tmp_path}/stick vfat rw 0 0\n")
    assert storage_warning(tmp_path / "stick" / "hub", mounts_file=mounts)
    assert storage_warning(tmp_path / "laptop" / "hub", mounts_file=mounts) is None
    assert storage_warning(Path("/media/alex/USB/hub"), mounts_file=mounts)


def test_cli_warns_but_works(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    folder = tmp_path / "Dropbox" / "hub"
    assert main(["--data-dir", str(folder), "init"]) == 0
    assert "warning:" in capsys.readouterr().err
    assert main(["--data-dir", str(folder), "stats"]) == 0
    assert "cloud-synced" in capsys.readouterr().err
