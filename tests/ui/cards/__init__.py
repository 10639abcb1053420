"""Tests for the card dialogs."""
