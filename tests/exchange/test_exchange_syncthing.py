"""The real engine: an exchange folder carried between two hubs by two real Syncthing instances on loopback.

Slow (marked `slow`; run by `bash dev.sh reliability`), and skipped when Debian's `syncthing` is not installed.
Each instance runs with its own home in the test's folder, listens on 127.0.0.1 only, and has global discovery,
local discovery, relays, NAT traversal, usage reporting and upgrades off; the two know each other by device id and
address. A conflict copy named as Syncthing names them travels too, and both hubs read it once at most.
"""

from __future__ import annotations

import os
import re
import shutil
import socket
import subprocess
import time
import xml.etree.ElementTree as ET
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from oursociety_desktop.services.exchange_folder import sync_folder
from tests.exchange.exchange_helpers import add_contact, dump_text, introduce, make_hub

pytestmark = [pytest.mark.slow, pytest.mark.skipif(shutil.which("syncthing") is None,
                                                   reason="Debian's syncthing is not installed")]
if os.environ.get("OURSOCIETY_SLOW") != "1":
    pytestmark.append(pytest.mark.skip(reason="slow: set OURSOCIETY_SLOW=1 (bash dev.sh reliability does)"))

WAIT_S = 90


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def generate(home: Path, env: dict[str, str]) -> str:
    out = subprocess.run(["syncthing", "generate", f"--home={home}", "--no-default-folder"], env=env,
                         capture_output=True, text=True, check=True)
    match = re.search(r"Device ID: (\S+)", out.stdout + out.stderr)
    assert match, out.stdout + out.stderr
    return match.group(1)


def configure(home: Path, me: str, other: str, other_port: int, listen: int, gui: int, folder: Path) -> None:
    """Loopback only, nothing announced or relayed, one folder shared with the other device."""
    path = home / "config.xml"
    tree = ET.parse(path)
    root = tree.getroot()
    for old in root.findall("folder"):
        root.remove(old)
    options = root.find("options")
    assert options is not None
    settings = {"listenAddress": f"tcp://127.0.0.1:{listen}", "globalAnnounceEnabled": "false",
                "localAnnounceEnabled": "false", "relaysEnabled": "false", "natEnabled": "false",
                "urAccepted": "-1", "autoUpgradeIntervalH": "0", "startBrowser": "false",
                "crashReportingEnabled": "false"}
    for key, value in settings.items():
        for node in options.findall(key):
            options.remove(node)
        ET.SubElement(options, key).text = value
    gui_node = root.find("gui")
    assert gui_node is not None
    address = gui_node.find("address")
    assert address is not None
    address.text = f"127.0.0.1:{gui}"
    device = ET.SubElement(root, "device", {"id": other, "name": "peer", "compression": "metadata",
                                            "introducer": "false", "autoAcceptFolders": "false"})
    ET.SubElement(device, "address").text = f"tcp://127.0.0.1:{other_port}"
    shared = ET.SubElement(root, "folder", {"id": "oursociety", "label": "Our Society", "path": str(folder),
                                             "type": "sendreceive", "rescanIntervalS": "2",
                                             "fsWatcherEnabled": "true", "fsWatcherDelayS": "1"})
    ET.SubElement(shared, "device", {"id": me})
    ET.SubElement(shared, "device", {"id": other})
    tree.write(path)


@pytest.fixture
def two_syncthings(tmp_path: Path) -> Iterator[tuple[Path, Path]]:
    env = {**os.environ, "HOME": str(tmp_path / "home"), "STNODEFAULTFOLDER": "1", "STNOUPGRADE": "1"}
    homes = [tmp_path / "st-a", tmp_path / "st-b"]
    folders = [tmp_path / "exchange-a", tmp_path / "exchange-b"]
    for folder in folders:
        folder.mkdir()
        (folder / ".stfolder").mkdir()
    ids = [generate(home, env) for home in homes]
    listen = [free_port(), free_port()]
    gui = [free_port(), free_port()]
    for i in range(2):
        configure(homes[i], ids[i], ids[1 - i], listen[1 - i], listen[i], gui[i], folders[i])
    procs = [subprocess.Popen(["syncthing", "serve", f"--home={home}", "--no-browser", "--no-restart",
                               "--no-upgrade"], env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
             for home in homes]
    try:
        yield folders[0], folders[1]
    finally:
        for proc in procs:
            proc.terminate()
        for proc in procs:
            try:
                proc.wait(timeout=20)
            except subprocess.TimeoutExpired:
                proc.kill()


def wait_for(condition: Callable[[], bool], what: str) -> None:
    deadline = time.monotonic() + WAIT_S
    while time.monotonic() < deadline:
        if condition():
            return
        time.sleep(0.5)
    raise AssertionError(f"Syncthing did not carry {what} within {WAIT_S} s")


def test_two_hubs_converge_over_two_real_syncthing_instances(tmp_path: Path, two_syncthings) -> None:
    folder_a, folder_b = two_syncthings
    a, b = make_hub(tmp_path, "A"), make_hub(tmp_path, "B")
    introduce(a, b)
    add_contact(a, given_name="Amara")
    add_contact(b, given_name="Bongani")
    written = sync_folder(a, folder_a).written
    assert written is not None
    wait_for(lambda: (folder_b / written.name).exists(), "A's bundle")
    wait_for(lambda: (folder_b / "oursociety-exchange-folder.json").exists(), "the folder's marker")
    # A conflict copy, named as Syncthing names them, of A's bundle: read once at most, changing nothing.
    copy = folder_a / written.name.replace(".oursociety", ".sync-conflict-20261130-091500-ABCDEFG.oursociety")
    shutil.copy(written, copy)
    wait_for(lambda: (folder_b / copy.name).exists(), "the conflict copy")
    first = sync_folder(b, folder_b)
    assert len(first.imported) == 1 and first.written is not None
    wait_for(lambda: (folder_a / first.written.name).exists(), "B's bundle")  # type: ignore[union-attr]
    sync_folder(a, folder_a)
    assert dump_text(a) == dump_text(b)
    assert "Amara" in dump_text(b) and "Bongani" in dump_text(a)
    a.close()
    b.close()
