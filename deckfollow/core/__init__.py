"""The rules of follow-up: domain model, permission, scheduling and services. No Qt here."""
