"""Tests for printed cards, envelopes and labels."""
