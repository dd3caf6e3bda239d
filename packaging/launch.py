"""The standalone build's entry point: the `oursociety` command, which opens the window when given no command."""

from oursociety_desktop.cli import main

raise SystemExit(main())
