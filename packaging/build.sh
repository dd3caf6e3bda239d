#!/usr/bin/env bash
# The standalone build: one folder with the `oursociety` program and everything it needs, for the system this
# runs on, then its self-test, headless. `bash dev.sh build` sets up (.venv, catalogues) and runs this.
#   bash packaging/build.sh [DIST]    the build goes to DIST/oursociety (default: dist/oursociety)
# OURSOCIETY_BUILD_WORK sets PyInstaller's work folder (default: build/pyinstaller).
set -euo pipefail
cd "$(dirname "$0")/.."
dist=${1:-dist}
work=${OURSOCIETY_BUILD_WORK:-build/pyinstaller}
.venv/bin/python -m pip install -q -r packaging/build-requirements.txt
start=$(date +%s)
.venv/bin/pyinstaller --noconfirm --clean --log-level WARN --distpath "$dist" --workpath "$work" \
  packaging/oursociety.spec
app="$dist/oursociety"
echo "Built $app in $(( $(date +%s) - start )) s: $(du -sh "$app" | cut -f1)"
QT_QPA_PLATFORM=offscreen "$app/oursociety" --self-test
