"""The PySide6 desktop app: the only package that imports Qt."""

from deckfollow.ui.pyside_modules import name_modules_ahead

# Before any of the window's modules (and PySide itself) load: see `pyside_modules`.
name_modules_ahead()
