"""The clock every service and view is given: a function returning the current UTC time.

The core never reads the time itself (`now` is an argument); the GUI, the reminders and the
mail checks hold a `Clock` so tests can pass a frozen one.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime

Clock = Callable[[], datetime]
