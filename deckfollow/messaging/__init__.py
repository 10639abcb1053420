"""Sending: email over SMTP, texts handed to the phone, call sheets; secrets in the OS keyring."""
