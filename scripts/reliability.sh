#!/usr/bin/env bash
# The long reliability run of issue 7 (not part of the default tests). Prints Markdown tables for
# docs/reliability.md. FUZZ_SECONDS (default 600) sets the fuzzing time per reader; the two fuzz halves run
# side by side, one per core.
set -uo pipefail
cd "$(dirname "$0")/.."
PY=.venv/bin/python
FUZZ_SECONDS=${FUZZ_SECONDS:-600}
status=0
out=$(mktemp -d)

echo "## Reliability run, $(date -u +%Y-%m-%dT%H:%MZ) on $(nproc) cores"
echo
echo "### Crash safety: SIGKILL at a random moment after the operation began writing (20 trials per operation)"
echo
echo "| operation | trials | killed mid-operation | state before | state after | finished before the kill | duration |"
echo "|---|---|---|---|---|---|---|"
OURSOCIETY_CRASH_TRIALS=20 OURSOCIETY_CRASH_REPORT="$out/crash.md" \
  $PY -m pytest -p no:randomly tests/reliability/test_reliability_crash.py > "$out/crash.log" 2>&1 || status=1
cat "$out/crash.md" 2>/dev/null
tail -n 1 "$out/crash.log"

echo
echo "### The real engine: an exchange folder carried by two Syncthing instances on loopback"
echo
if OURSOCIETY_SLOW=1 $PY -m pytest -p no:randomly tests/exchange/test_exchange_syncthing.py > "$out/syncthing.log" 2>&1; then
  tail -n 1 "$out/syncthing.log"
else
  status=1
  tail -n 20 "$out/syncthing.log"
fi

echo
echo "### Event-loop watchdog: timing checks kept out of the default run"
echo
OURSOCIETY_SLOW=1 $PY -m pytest -p no:randomly tests/ui/test_ui_watchdog.py > "$out/watchdog.log" 2>&1 || status=1
tail -n 1 "$out/watchdog.log"

echo
echo "### Quitting after every preview (20 real processes)"
echo
if OURSOCIETY_QUIT_TRIALS=20 $PY -m pytest -p no:randomly tests/ui/test_ui_shell_quit.py > "$out/quit.log" 2>&1; then
  echo "20 of 20 processes made every preview, quit with Ctrl+Q and exited 0."
else
  status=1
  tail -n 20 "$out/quit.log"
fi

echo
echo "### An organiser's first day under the event-loop watchdog (no stall over 200 ms)"
echo
if OURSOCIETY_SLOW=1 $PY -m pytest -p no:randomly tests/ui/test_ui_walkthrough.py > "$out/walk.log" 2>&1; then
  echo "The ten tasks ran on the real thread pool without a stall over 200 ms."
else
  status=1
  grep -E "ms during|Error" "$out/walk.log" | head -n 20
fi

echo
echo "### The standalone build (PyInstaller) and its self-test, in a bare environment and on X11 under Xvfb"
echo
start=$(date +%s)
if OURSOCIETY_SLOW=1 $PY -m pytest -p no:randomly -s tests/install/test_install_build.py > "$out/build.log" 2>&1; then
  grep -E "^Built " "$out/build.log"
  echo "$(tail -n 1 "$out/build.log") in $(( $(date +%s) - start )) s"
else
  status=1
  tail -n 20 "$out/build.log"
fi

echo
echo "### Fuzzing (${FUZZ_SECONDS} s per reader)"
echo
$PY -m fuzz.run --seconds "$FUZZ_SECONDS" --target vcard --target csv > "$out/fuzz1.md" 2> "$out/fuzz1.err" &
p1=$!
$PY -m fuzz.run --seconds "$FUZZ_SECONDS" --target bundle --target bundle-encrypted > "$out/fuzz2.md" \
  2> "$out/fuzz2.err" &
p2=$!
wait $p1 || status=1
wait $p2 || status=1
grep '^|' "$out/fuzz1.md" | head -n 2
grep '^| [a-z]' "$out/fuzz1.md" | grep -v '^| target' ; grep '^| [a-z]' "$out/fuzz2.md" | grep -v '^| target'
grep -h '^    ' "$out/fuzz1.err" "$out/fuzz2.err" | head -n 20

echo
echo "### Convergence: exchange property test, 5 hubs, 1000 examples"
echo
start=$(date +%s)
OURSOCIETY_PROPERTY_EXAMPLES=1000 OURSOCIETY_PROPERTY_HUBS=5 \
  $PY -m pytest -p no:randomly tests/exchange/test_exchange_property.py > "$out/property.log" 2>&1 || status=1
echo "$(tail -n 1 "$out/property.log") in $(( $(date +%s) - start )) s"
exit $status
