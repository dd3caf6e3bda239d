#!/usr/bin/env bash
# Set up everything Our Society Desktop needs on a fresh Debian machine, then run it.
#   bash dev.sh app [ARGS...]   set up, then open the desktop app (extra ARGS go to `oursociety`)
#   bash dev.sh test [ARGS...]  set up, then run lint, type checks and the whole test suite
#   bash dev.sh bench [ARGS...] set up, then run the benchmark suite
#   bash dev.sh reliability     set up, then run the long proofs of issue 7: 20 kills per operation, the exchange
#                               property test with 5 hubs x 1000 examples, and 10 minutes of fuzzing per reader
#   bash dev.sh build [DIST]    set up, then make the standalone build for this system in DIST/oursociety (default
#                               dist/; PyInstaller, packaging/oursociety.spec) and run its --self-test headless
set -euo pipefail
cd "$(dirname "$0")"

# Debian packages: Qt's runtime libraries (offscreen and X11), Xvfb for screenshots, poppler for PDF checks,
# python3-venv, which a bare Debian Python lacks, ICU's headers, pkg-config and a C++ compiler to build PyICU
# (collation, line breaking, bidi), and the font packages the bundled print fonts were taken from (Noto for
# Arabic, Bengali, Devanagari, Tamil and Thai; Nanum for Hangul; Symbola for emoji), and syncthing for the slow
# exchange-folder test of `bash dev.sh reliability`, and desktop-file-utils and appstream, whose validators check
# the Linux desktop entry and AppStream metadata of the standalone build.
DEB_PACKAGES=(python3-venv libegl1 libgl1 libxkbcommon0 libxkbcommon-x11-0 libfontconfig1 libdbus-1-3
  libxcb-cursor0 libxcb-icccm4 libxcb-keysyms1 libxcb-image0 libxcb-render-util0 libxcb-shape0 libxcb-xkb1
  xvfb poppler-utils fonts-noto-core fonts-nanum fonts-symbola libicu-dev pkg-config g++ syncthing
  desktop-file-utils appstream)

install_debian_packages() {
  command -v dpkg >/dev/null 2>&1 || return 0
  local missing=()
  for p in "${DEB_PACKAGES[@]}"; do
    dpkg -s "$p" >/dev/null 2>&1 || missing+=("$p")
  done
  [ ${#missing[@]} -eq 0 ] && return 0
  local sudo=""
  [ "$(id -u)" -ne 0 ] && sudo="sudo"
  echo "Installing Debian packages: ${missing[*]}" >&2
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq "${missing[@]}" >/dev/null
}

setup_venv() {
  local stamp=.venv/.installed-from
  local want
  want=$(sha256sum pyproject.toml | cut -d' ' -f1)
  if [ ! -x .venv/bin/python ]; then
    python3 -m venv .venv
  fi
  if [ "$(cat "$stamp" 2>/dev/null)" != "$want" ]; then
    .venv/bin/python -m pip install -q --upgrade pip
    .venv/bin/python -m pip install -q -e ".[dev]"
    echo "$want" > "$stamp"
  fi
}

# The translation catalogues are kept as .po text; the program reads the compiled .mo files.
compile_catalogues() {
  bash scripts/catalogues.sh compile
}

cmd=${1:-app}
shift || true
install_debian_packages
setup_venv
compile_catalogues
case "$cmd" in
  app)
    exec .venv/bin/oursociety "$@"
    ;;
  test)
    .venv/bin/ruff check .
    .venv/bin/mypy oursociety_desktop benchmarks
    # Both cores (pytest-xdist): the suite ran 13 min in one process, 7 min in two. `-n 0` after it runs in one.
    exec .venv/bin/python -m pytest -n "${OURSOCIETY_TEST_WORKERS:-2}" "$@"
    ;;
  bench)
    exec .venv/bin/python -m benchmarks "$@"
    ;;
  reliability)
    exec bash scripts/reliability.sh "$@"
    ;;
  build)
    exec bash packaging/build.sh "$@"
    ;;
  *)
    echo "usage: bash dev.sh app|test|bench|reliability|build [ARGS...]" >&2
    exit 2
    ;;
esac
