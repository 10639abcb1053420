"""The command line: parses arguments, calls the core, prints. No rules live here."""
