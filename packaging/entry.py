"""The frozen app's entry: the same `main` as the `deckfollow` command and `python -m deckfollow`."""

from deckfollow.cli.main import main

raise SystemExit(main())
