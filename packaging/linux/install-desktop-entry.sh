#!/bin/sh
# Put Our Society in this user's application menu: copies the desktop entry, icons and AppStream metadata from
# this folder's share/ into ~/.local/share, with the entry pointing at this folder's `oursociety`. Run it again
# after moving the folder; `sh install-desktop-entry.sh --remove` takes the entry out again.
set -eu
here=$(cd "$(dirname "$0")" && pwd)
data=${XDG_DATA_HOME:-$HOME/.local/share}
id=org.oursociety.Desktop
if [ "${1:-}" = "--remove" ]; then
  rm -f "$data/applications/$id.desktop" "$data/metainfo/$id.metainfo.xml" "$data/icons/hicolor/scalable/apps/$id.svg"
  for size in 16 32 48 64 128 256; do rm -f "$data/icons/hicolor/${size}x${size}/apps/$id.png"; done
  echo "Removed Our Society from the application menu."
  exit 0
fi
mkdir -p "$data/applications" "$data/metainfo"
cp -R "$here/share/icons" "$data/"
cp "$here/share/metainfo/$id.metainfo.xml" "$data/metainfo/"
# Exec and TryExec take the absolute path, quoted as the desktop entry specification asks.
sed -e "s|^Exec=oursociety\$|Exec=\"$here/oursociety\"|" -e "/^Exec=/a TryExec=$here/oursociety" \
  "$here/share/applications/$id.desktop" > "$data/applications/$id.desktop"
command -v update-desktop-database >/dev/null 2>&1 && update-desktop-database -q "$data/applications" || true
command -v gtk-update-icon-cache >/dev/null 2>&1 && gtk-update-icon-cache -q -t "$data/icons/hicolor" || true
echo "Our Society is in the application menu (entry: $data/applications/$id.desktop)."
