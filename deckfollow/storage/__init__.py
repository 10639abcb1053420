"""Where the data lives: engines and sessions, SQLite settings, migrations, backups."""
