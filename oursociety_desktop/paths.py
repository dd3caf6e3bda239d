"""Where the hub's data lives. The one place that decides it."""

from __future__ import annotations

import os
from pathlib import Path

import platformdirs

ENV_VAR = "OURSOCIETY_DATA_DIR"
DATABASE_NAME = "oursociety.sqlite3"
BACKUP_FOLDER = "backups"
LOG_NAME = "oursociety.log"


def data_dir(explicit: str | os.PathLike[str] | None = None) -> Path:
    """Return the data folder: `--data-dir`, else $OURSOCIETY_DATA_DIR, else the platform's user data folder.

    Nothing is created here; callers that write create the folder when they need it.
    """
    if explicit:
        return Path(explicit).expanduser().resolve()
    env = os.environ.get(ENV_VAR)
    if env:
        return Path(env).expanduser().resolve()
    return Path(platformdirs.user_data_dir("OurSociety", appauthor=False))


def database_path(folder: Path) -> Path:
    """The SQLite file inside a data folder."""
    return folder / DATABASE_NAME


def backup_dir(folder: Path) -> Path:
    """Where automatic and manual backups are kept."""
    return folder / BACKUP_FOLDER


def log_path(folder: Path) -> Path:
    """The log file written on unexpected errors."""
    return folder / LOG_NAME


# Folder names that cloud-sync clients create; a live SQLite file inside one gets copied mid-write and corrupted.
_SYNCED_NAMES = ("dropbox", "onedrive", "google drive", "googledrive", "my drive", "icloud drive", "iclouddrive",
                 "mobile documents", "nextcloud", "owncloud", "pcloud", "mega", "box sync", "seafile", "sync")
_SYNC_MARKERS = (".stfolder", ".dropbox", ".sync", ".nextcloudsync.log", ".owncloudsync.log")
_REMOVABLE_ROOTS = ("/media/", "/run/media/", "/mnt/", "/Volumes/")
_REMOVABLE_FS = {"vfat", "exfat", "msdos", "fuseblk", "ntfs", "ntfs3", "udf", "iso9660"}


def _mount_fs_type(path: Path, mounts_file: Path = Path("/proc/mounts")) -> str | None:
    try:
        lines = mounts_file.read_text(encoding="utf-8", errors="replace").splitlines()
    except OSError:
        return None
    best, fs_type = "", None
    text = str(path)
    for line in lines:
        parts = line.split()
        if len(parts) >= 3:
            mount_point = parts[1].replace("\\040", " ")
            inside = text == mount_point or text.startswith(mount_point.rstrip("/") + "/")
            if inside and len(mount_point) > len(best):
                best, fs_type = mount_point, parts[2]
    return fs_type


def storage_warning(folder: Path, mounts_file: Path = Path("/proc/mounts")) -> str | None:
    """A one-line warning when the data folder sits on removable media or in a cloud-synced folder, else None.

    The database must live on the laptop's own disk: a USB stick can be pulled mid-write and a
    sync client copies the file while SQLite is writing it. Exchange folders are the right place for those.
    """
    resolved = Path(folder).expanduser().resolve()
    lowered = [part.lower() for part in resolved.parts]
    for name in _SYNCED_NAMES:
        if name in lowered or any(part.startswith(name + " ") or part.startswith(name + "-") for part in lowered):
            return (f"The data folder {resolved} looks like a cloud-synced folder; keep the database on this "
                    "computer's own disk and use the synced folder as an exchange folder instead.")
    probe: Path | None = resolved
    while probe is not None:
        if any((probe / marker).exists() for marker in _SYNC_MARKERS):
            return (f"The data folder {resolved} is inside a synced folder ({probe}); keep the database on this "
                    "computer's own disk and use the synced folder as an exchange folder instead.")
        probe = probe.parent if probe.parent != probe else None
    fs_type = _mount_fs_type(resolved, mounts_file)
    if any(str(resolved).startswith(root) for root in _REMOVABLE_ROOTS) or (fs_type in _REMOVABLE_FS):
        return (f"The data folder {resolved} looks like removable media (a USB stick or card); keep the database "
                "on this computer's own disk and use the stick to carry bundles.")
    return None
