"""`python -m deckfollow` runs the same entry point as the `deckfollow` command."""

from deckfollow.cli.main import main

raise SystemExit(main())
