"""Desktop reminders: due-time watcher, catch-up, digest, notification back-ends."""
