"""Start at login: a desktop entry that really starts deckfollow; the macOS LaunchAgent."""

from __future__ import annotations

import configparser
import os
import plistlib
import shlex
import subprocess
import sys
from pathlib import Path

import pytest

from deckfollow.app_icon import ICON_NAME, ICON_SIZES, icon_png, icon_svg
from deckfollow.reminders.autostart import (
    LOGIN_ENV,
    autostart_path,
    disable_autostart,
    enable_autostart,
    is_autostart_enabled,
    launch_command,
    run_key_value,
)


def test_linux_desktop_entry_in_the_users_autostart_folder(tmp_path: Path):
    db = str(tmp_path / "my business" / "deckfollow.db")
    assert not is_autostart_enabled(platform="linux")
    where = enable_autostart(launch_command(db), platform="linux")
    path = Path(os.environ["XDG_CONFIG_HOME"]) / "autostart" / "deckfollow.desktop"
    assert where == str(path)
    assert is_autostart_enabled(platform="linux")
    entry = configparser.ConfigParser(interpolation=None)
    entry.optionxform = str  # type: ignore[assignment,method-assign]
    entry.read(path)
    section = entry["Desktop Entry"]
    assert section["Type"] == "Application"
    assert section["Name"] == "deckfollow"
    argv = shlex.split(section["Exec"])
    assert argv == [
        "env", f"{LOGIN_ENV}=1", sys.executable, "-m", "deckfollow", "--db", db, "gui", "--at-login"
    ]  # fmt: skip
    # The command really is this app: run it with --version instead of opening the window,
    # and the app takes the login option (asked for its help, not started).
    res = subprocess.run(
        [*argv[:-2], "--version"], capture_output=True, text=True, timeout=60, check=False
    )
    assert res.returncode == 0, res.stderr
    assert "deckfollow" in res.stdout
    res = subprocess.run([*argv, "--help"], capture_output=True, text=True, timeout=60, check=False)
    assert res.returncode == 0, res.stderr
    assert "--at-login" in res.stdout
    disable_autostart(platform="linux")
    assert not path.exists()
    assert not is_autostart_enabled(platform="linux")
    disable_autostart(platform="linux")  # twice is fine


def test_macos_launch_agent(tmp_path: Path):
    home = tmp_path / "home"
    enable_autostart(
        ["/Applications/deckfollow.app/Contents/MacOS/deckfollow"], platform="darwin", home=home
    )
    path = autostart_path("darwin", home)
    assert path == home / "Library" / "LaunchAgents" / "app.deckfollow.plist"
    data = plistlib.loads(path.read_bytes())
    assert data["Label"] == "app.deckfollow"
    assert data["RunAtLoad"] is True
    assert data["ProgramArguments"] == ["/Applications/deckfollow.app/Contents/MacOS/deckfollow"]
    assert data["EnvironmentVariables"] == {LOGIN_ENV: "1"}
    assert is_autostart_enabled(platform="darwin", home=home)
    disable_autostart(platform="darwin", home=home)
    assert not is_autostart_enabled(platform="darwin", home=home)


@pytest.mark.skipif(sys.platform == "win32", reason="the registry is really there on Windows")
def test_windows_registry_is_not_pretended_elsewhere():
    assert autostart_path("win32") is None
    assert not is_autostart_enabled(platform="win32")
    with pytest.raises(OSError, match="only on Windows"):
        enable_autostart(["deckfollow.exe"], platform="win32")


def test_windows_starts_the_windowless_python_in_the_tray(tmp_path: Path):
    scripts = tmp_path / "venv" / "Scripts"
    scripts.mkdir(parents=True)
    (scripts / "python.exe").write_bytes(b"")
    (scripts / "pythonw.exe").write_bytes(b"")
    db = r"C:\Users\sam\My Business\deckfollow.db"
    cmd = launch_command(db, platform="win32", executable=str(scripts / "python.exe"))
    assert cmd == [
        str(scripts / "pythonw.exe"), "-m", "deckfollow", "--db", db, "gui", "--at-login"
    ]  # fmt: skip
    # The Run value is one command line, quoted the way Windows splits it again.
    line = subprocess.list2cmdline(cmd)
    assert f'"{db}"' in line and line.endswith("gui --at-login")
    # Without a pythonw.exe beside it, the interpreter itself.
    (scripts / "pythonw.exe").unlink()
    assert launch_command(None, platform="win32", executable=str(scripts / "python.exe"))[0] == (
        str(scripts / "python.exe")
    )


def test_the_login_entry_names_the_database_but_never_a_password(tmp_path: Path):
    from deckfollow.reminders.autostart import login_target

    db = tmp_path / "deckfollow.db"
    assert login_target("deckfollow.db", db) == str(db.resolve())
    url = "postgresql+psycopg://sam@db.example.com:5433/deckfollow"
    assert login_target(url, None) == url
    assert (
        login_target("postgresql+psycopg://sam:s3cret@db.example.com:5433/deckfollow", None) == url
    )
    assert login_target("postgresql+psycopg://sam:pw@[::1]/deckfollow", None) == (
        "postgresql+psycopg://sam@[::1]/deckfollow"
    )


def _entry(path: Path) -> configparser.SectionProxy:
    entry = configparser.ConfigParser(interpolation=None)
    entry.optionxform = str  # type: ignore[assignment,method-assign]
    entry.read(path)
    return entry["Desktop Entry"]


def _find_icon(name: str) -> list[Path]:
    """Where a desktop finds a themed app icon (freedesktop icon theme spec, hicolor):
    $XDG_DATA_HOME/icons first, then each of $XDG_DATA_DIRS/icons."""
    homes = [Path(os.environ["XDG_DATA_HOME"])]
    homes += [Path(d) for d in os.environ.get("XDG_DATA_DIRS", "/usr/share").split(":") if d]
    found: list[Path] = []
    for base in homes:
        found += sorted((base / "icons" / "hicolor").glob(f"*/apps/{name}.png"))
        found += sorted((base / "icons" / "hicolor").glob(f"*/apps/{name}.svg"))
    return found


def test_the_linux_entry_shows_deckfollows_icon_from_the_users_icon_theme(tmp_path: Path):
    assert _find_icon(ICON_NAME) == []
    enable_autostart(launch_command(str(tmp_path / "d.db")), platform="linux")
    path = autostart_path("linux")
    assert path is not None
    assert _entry(path)["Icon"] == ICON_NAME
    hicolor = Path(os.environ["XDG_DATA_HOME"]) / "icons" / "hicolor"
    expected = {hicolor / f"{n}x{n}" / "apps" / "deckfollow.png": icon_png(n) for n in ICON_SIZES}
    expected[hicolor / "scalable" / "apps" / "deckfollow.svg"] = icon_svg()
    assert set(_find_icon(ICON_NAME)) == set(expected)
    for installed, packaged in expected.items():
        assert installed.read_bytes() == packaged.read_bytes()
    assert not list(hicolor.rglob("*.tmp"))
    # Written again (the database moved): the icon files are current and left as they are;
    # one that was damaged meanwhile is put right.
    small = hicolor / "16x16" / "apps" / "deckfollow.png"
    small.write_bytes(b"not a png")
    large = hicolor / "256x256" / "apps" / "deckfollow.png"
    before = large.stat().st_mtime_ns
    enable_autostart(launch_command(str(tmp_path / "moved.db")), platform="linux")
    assert small.read_bytes() == icon_png(16).read_bytes()
    assert large.stat().st_mtime_ns == before
    # Turning start-at-login off leaves the app's icon for whatever else shows it.
    disable_autostart(platform="linux")
    assert large.is_file()


def test_without_a_writable_icon_theme_the_entry_names_the_icon_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
):
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("")
    monkeypatch.setenv("XDG_DATA_HOME", str(blocker / "data"))
    enable_autostart(launch_command(str(tmp_path / "d.db")), platform="linux")
    path = autostart_path("linux")
    assert path is not None
    icon = Path(_entry(path)["Icon"])
    # Still starts at login, with the icon named by its full path inside the app.
    assert icon.is_absolute()
    assert icon.read_bytes() == icon_png(256).read_bytes()


def test_the_macos_agent_installs_no_linux_icons(tmp_path: Path):
    home = tmp_path / "home"
    enable_autostart(["/usr/local/bin/deckfollow"], platform="darwin", home=home)
    assert not (home / ".local").exists()
    assert _find_icon(ICON_NAME) == []


# An installed (frozen) app is its own executable: `deckfollow.exe -m deckfollow` would exit 2.


def test_frozen_linux_entry_runs_the_installed_executable(tmp_path: Path):
    exe = str(tmp_path / "opt" / "deckfollow" / "deckfollow")
    command = launch_command("/data/deckfollow.db", platform="linux", executable=exe, frozen=True)
    assert command == [exe, "--db", "/data/deckfollow.db", "gui", "--at-login"]
    enable_autostart(command, platform="linux", home=tmp_path)
    entry = configparser.ConfigParser(interpolation=None)
    entry.read(tmp_path / ".config" / "autostart" / "deckfollow.desktop")
    argv = shlex.split(entry["Desktop Entry"]["Exec"])
    assert argv == ["env", f"{LOGIN_ENV}=1", *command]
    assert "-m" not in argv


def test_frozen_macos_agent_runs_the_app_bundles_executable(tmp_path: Path):
    exe = "/Applications/deckfollow.app/Contents/MacOS/deckfollow"
    command = launch_command(None, platform="darwin", executable=exe, frozen=True)
    enable_autostart(command, platform="darwin", home=tmp_path)
    agent = plistlib.loads(
        (tmp_path / "Library" / "LaunchAgents" / "app.deckfollow.plist").read_bytes()
    )
    assert agent["ProgramArguments"] == [exe, "gui", "--at-login"]
    assert agent["EnvironmentVariables"] == {LOGIN_ENV: "1"}


def test_frozen_windows_run_value_names_the_installed_exe(tmp_path: Path):
    exe = tmp_path / "Program Files" / "deckfollow" / "deckfollow.exe"
    exe.parent.mkdir(parents=True)
    exe.write_bytes(b"")
    (exe.parent / "pythonw.exe").write_bytes(b"")  # must not be picked when frozen
    command = launch_command(None, platform="win32", executable=str(exe), frozen=True)
    key, name, value = run_key_value(command)
    assert key == r"Software\Microsoft\Windows\CurrentVersion\Run"
    assert name == "deckfollow"
    assert value == f'"{exe}" gui --at-login'


def test_source_install_runs_python_with_the_module(tmp_path: Path):
    command = launch_command(None, platform="linux", executable="/usr/bin/python3", frozen=False)
    assert command == ["/usr/bin/python3", "-m", "deckfollow", "gui", "--at-login"]
