#!/usr/bin/env bash
# The translation catalogues (docs/translating.md):
#   bash scripts/catalogues.sh extract   write resources/locale/oursociety.pot from every marked string
#   bash scripts/catalogues.sh update    merge the template into every language's .po (new strings empty)
#   bash scripts/catalogues.sh compile   build the .mo files the program reads (dev.sh does this at set-up)
#   bash scripts/catalogues.sh new LANG  start a catalogue for a new language
set -euo pipefail
cd "$(dirname "$0")/.."
LOCALE=oursociety_desktop/resources/locale
POT=$LOCALE/oursociety.pot
BABEL=.venv/bin/pybabel
case "${1:-}" in
  extract)
    $BABEL extract -F babel.cfg --no-wrap --sort-by-file --project "Our Society Desktop" \
      -k _ -k N_ -k ngettext:1,2 -k tr -k translate:2 -k _t -k _tr -k _noop -k Nn_:1,2 -k plural:2,3 -o "$POT" oursociety_desktop
    ;;
  update)
    $BABEL update --no-wrap -i "$POT" -d "$LOCALE" -D oursociety
    ;;
  compile)
    if compgen -G "$LOCALE/*/LC_MESSAGES/oursociety.po" >/dev/null; then
      $BABEL compile -d "$LOCALE" -D oursociety 2>/dev/null || $BABEL compile -d "$LOCALE" -D oursociety
    fi
    ;;
  new)
    $BABEL init --no-wrap -i "$POT" -d "$LOCALE" -D oursociety -l "$2"
    ;;
  *)
    echo "usage: bash scripts/catalogues.sh extract|update|compile|new LANG" >&2
    exit 2
    ;;
esac
