"""How many examples a property test runs: a quick share for `make test`, all of them in CI.

`HYPOTHESIS_PROFILE=thorough` (set by `.ci/run`) runs each property test's full count; the
default `quick` profile runs a fifth of it (at least 10), enough to catch a broken rule on
every run without a single test taking minutes.
"""

from __future__ import annotations

import os

from hypothesis import settings

QUICK, THOROUGH = "quick", "thorough"
PROFILE = os.environ.get("HYPOTHESIS_PROFILE", QUICK)
if PROFILE not in (QUICK, THOROUGH):
    raise SystemExit(f"HYPOTHESIS_PROFILE: expected {QUICK!r} or {THOROUGH!r}, got {PROFILE!r}")

settings.register_profile(QUICK, max_examples=20, deadline=None)
settings.register_profile(THOROUGH, max_examples=100, deadline=None)
settings.load_profile(PROFILE)


def examples(full: int) -> int:
    """The number of examples to run for a test whose thorough count is `full`."""
    return full if PROFILE == THOROUGH else max(10, full // 5)
