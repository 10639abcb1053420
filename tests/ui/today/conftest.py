"""A real SMTP server for the emails sent from Today, shared with the messaging tests."""

from tests.messaging.conftest import certificate, smtp_server

__all__ = ["certificate", "smtp_server"]
