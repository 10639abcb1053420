"""A real SMTP server for emails sent from the details panel (as in the messaging tests)."""

from tests.messaging.conftest import certificate, smtp_server

__all__ = ["certificate", "smtp_server"]
