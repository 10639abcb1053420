"""Start deckfollow at login, so reminders come even when nobody opened it today.

- Linux (and other freedesktop systems): a desktop entry in $XDG_CONFIG_HOME/autostart
  (~/.config/autostart/deckfollow.desktop), the XDG Autostart standard every desktop reads.
- Windows: a value "deckfollow" under HKCU\\Software\\Microsoft\\Windows\\CurrentVersion\\Run
  (per user, no administrator rights; the same list Task Manager's Startup tab shows).
- macOS: a per-user LaunchAgent ~/Library/LaunchAgents/app.deckfollow.plist with RunAtLoad,
  loaded by launchd at the next login.

Each entry runs `deckfollow gui --at-login` (the installed app's own executable when it runs
frozen from an installer, else `python -m deckfollow`), which sets DECKFOLLOW_STARTED_AT_LOGIN=1
(the Linux and macOS entries set it as well), so the app starts quietly in the tray instead of
opening its window. On Windows the entry uses pythonw.exe (or the installed, windowless
deckfollow.exe), so no console window opens at login.

The Linux entry shows deckfollow's icon in the desktop's list of startup programs: writing it
copies the icon into the user's hicolor theme ($XDG_DATA_HOME/icons/hicolor/<size>/apps) and
names it `Icon=deckfollow`; where that folder cannot be written, the entry names the icon file
inside the app by its full path instead. The registry value and the LaunchAgent have no icon
of their own (Windows and macOS show the program's).
"""

from __future__ import annotations

import contextlib
import os
import plistlib
import subprocess
import sys
from collections.abc import Sequence
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

from deckfollow.app_icon import ICON_NAME, icon_png, install_in_icon_theme, user_data_home

APP_ID = "deckfollow"
LAUNCH_AGENT_LABEL = "app.deckfollow"
RUN_KEY = r"Software\Microsoft\Windows\CurrentVersion\Run"
LOGIN_ENV = "DECKFOLLOW_STARTED_AT_LOGIN"


LOGIN_FLAG = "--at-login"


def launch_command(
    db_target: str | None = None,
    *,
    platform: str = sys.platform,
    executable: str = sys.executable,
    frozen: bool = bool(getattr(sys, "frozen", False)),
) -> list[str]:
    """The command that opens the app (with this database, if not default), saying it was
    started by the login entry so the app stays in the tray.

    An installed app (frozen: `executable` is deckfollow itself, which takes no `-m`) is run
    directly; a source install runs this Python with `-m deckfollow`. On Windows the
    windowless pythonw.exe beside python.exe is used when there is one: the plain
    interpreter would open a console window at every login.
    """
    if frozen:
        cmd = [executable]
        if db_target:
            cmd += ["--db", db_target]
        return [*cmd, "gui", LOGIN_FLAG]
    if platform == "win32":
        exe = Path(executable)
        windowless = exe.with_name("pythonw.exe")
        if exe.name.lower() == "python.exe" and windowless.is_file():
            executable = str(windowless)
    cmd = [executable, "-m", "deckfollow"]
    if db_target:
        cmd += ["--db", db_target]
    return [*cmd, "gui", LOGIN_FLAG]


def login_target(target: str, path: Path | None) -> str:
    """What the login entry passes as --db: the file's full path, or the server's URL without
    a password (the entry is a plain file; the password stays in the keyring)."""
    if path is not None:
        return str(path.resolve())
    parts = urlsplit(target)
    if parts.password is None:
        return target
    host = parts.hostname or ""
    if ":" in host:  # an IPv6 address goes back in brackets
        host = f"[{host}]"
    netloc = (f"{parts.username}@" if parts.username else "") + host
    if parts.port is not None:
        netloc += f":{parts.port}"
    return urlunsplit(parts._replace(netloc=netloc))


def started_at_login() -> bool:
    """True when this process was started by the login entry written here."""
    return os.environ.get(LOGIN_ENV) == "1"


def _config_home() -> Path:
    raw = os.environ.get("XDG_CONFIG_HOME")
    return Path(raw) if raw and os.path.isabs(raw) else Path.home() / ".config"


def autostart_path(platform: str = sys.platform, home: Path | None = None) -> Path | None:
    """Where the login entry lives (None on Windows, where it is a registry value)."""
    if platform == "win32":
        return None
    if platform == "darwin":
        return (home or Path.home()) / "Library" / "LaunchAgents" / f"{LAUNCH_AGENT_LABEL}.plist"
    return (
        (_config_home() if home is None else home / ".config") / "autostart" / f"{APP_ID}.desktop"
    )


def _exec_quote(arg: str) -> str:
    """Quote one argument for a desktop entry's Exec key (Desktop Entry Spec, "Exec key")."""
    arg = arg.replace("%", "%%")
    if arg and not any(c in arg for c in " \t\n\"'\\><~|&;$*?#()`"):
        return arg
    escaped = "".join("\\" + c if c in '"`$\\' else c for c in arg)
    return f'"{escaped}"'


def desktop_entry(command: Sequence[str], icon: str = ICON_NAME) -> str:
    """The autostart desktop entry; `icon` is a theme icon name or a file's full path."""
    exec_line = " ".join(_exec_quote(a) for a in ["env", f"{LOGIN_ENV}=1", *command])
    return (
        "[Desktop Entry]\n"
        "Type=Application\n"
        "Name=deckfollow\n"
        "Comment=Reminders for follow-ups that fall due\n"
        f"Exec={exec_line}\n"
        f"Icon={icon}\n"
        "Terminal=false\n"
        "Categories=Office;\n"
        "X-GNOME-Autostart-enabled=true\n"
    )


def launch_agent(command: Sequence[str]) -> bytes:
    data = {
        "Label": LAUNCH_AGENT_LABEL,
        "ProgramArguments": list(command),
        "RunAtLoad": True,
        "ProcessType": "Interactive",
        "LimitLoadToSessionType": "Aqua",
        "EnvironmentVariables": {LOGIN_ENV: "1"},
    }
    return plistlib.dumps(data)


def run_key_value(command: Sequence[str]) -> tuple[str, str, str]:
    """The Windows login entry: (key under HKEY_CURRENT_USER, value name, command line)."""
    return RUN_KEY, APP_ID, subprocess.list2cmdline(list(command))


def enable_autostart(
    command: Sequence[str], *, platform: str = sys.platform, home: Path | None = None
) -> str:
    """Start `command` at the next login; returns where that was recorded (for the user)."""
    if platform == "win32":
        _windows_set(run_key_value(command)[2])
        return f"HKEY_CURRENT_USER\\{RUN_KEY}\\{APP_ID}"
    path = autostart_path(platform, home)
    assert path is not None
    path.parent.mkdir(parents=True, exist_ok=True)
    if platform == "darwin":
        payload = launch_agent(command)
    else:
        payload = desktop_entry(command, _entry_icon(home)).encode("utf-8")
    tmp = path.with_name(path.name + ".tmp")
    tmp.write_bytes(payload)
    os.replace(tmp, path)
    return str(path)


def _entry_icon(home: Path | None) -> str:
    """The desktop entry's Icon: the theme name once the icon is in the user's theme, else
    the full path of the app's own file (a missing icon must not stop the app starting)."""
    try:
        install_in_icon_theme(user_data_home(home))
    except OSError:
        return str(icon_png(256).resolve())
    return ICON_NAME


def disable_autostart(*, platform: str = sys.platform, home: Path | None = None) -> None:
    """Stop starting at login (nothing happens if it was not set up)."""
    if platform == "win32":
        _windows_set(None)
        return
    path = autostart_path(platform, home)
    assert path is not None
    path.unlink(missing_ok=True)


def is_autostart_enabled(*, platform: str = sys.platform, home: Path | None = None) -> bool:
    if platform == "win32":
        return _windows_get() is not None
    path = autostart_path(platform, home)
    return path is not None and path.is_file()


if sys.platform == "win32":
    import winreg

    def _windows_set(value: str | None) -> None:
        with winreg.OpenKey(winreg.HKEY_CURRENT_USER, RUN_KEY, 0, winreg.KEY_SET_VALUE) as key:
            if value is None:
                with contextlib.suppress(FileNotFoundError):
                    winreg.DeleteValue(key, APP_ID)
            else:
                winreg.SetValueEx(key, APP_ID, 0, winreg.REG_SZ, value)

    def _windows_get() -> str | None:
        try:
            with winreg.OpenKey(winreg.HKEY_CURRENT_USER, RUN_KEY) as key:
                value, _kind = winreg.QueryValueEx(key, APP_ID)
        except FileNotFoundError:
            return None
        return str(value)

else:

    def _windows_set(value: str | None) -> None:
        raise OSError("the Windows registry exists only on Windows")

    def _windows_get() -> str | None:
        return None
