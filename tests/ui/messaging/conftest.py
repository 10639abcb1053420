"""The messaging fixtures (a real SMTP server, a customer) shared with the dialog tests."""

from tests.messaging.conftest import certificate, customer, smtp_server

__all__ = ["certificate", "customer", "smtp_server"]
