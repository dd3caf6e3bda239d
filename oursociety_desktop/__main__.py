"""`python -m oursociety_desktop` behaves like the `oursociety` command."""

from oursociety_desktop.cli import main

raise SystemExit(main())
