"""One module per command; each has `register(subparsers)` and sets `run` as its handler."""
