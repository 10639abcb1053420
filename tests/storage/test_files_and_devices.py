"""Read-only folders and files, a full disk, devices as targets: a clear answer, nothing left over.

Commands run in-process through `deckfollow.cli.main.main`, as a user would type them.
A full disk is made with the file size limit (RLIMIT_FSIZE: a write past it fails like
one on a full disk); read-only folders and files with the immutable attribute when the
tests run as root (root ignores permission bits), otherwise with chmod.
"""

from __future__ import annotations

import os
import resource
import signal
import stat
import subprocess
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

from deckfollow.cli.main import main
from tests.cli.helpers import run_cli

NOW = "2026-11-22T22:00:00Z"


@pytest.fixture
def business(tmp_path: Path) -> Path:
    db_path = tmp_path / "business" / "deckfollow.db"
    r = run_cli("--db", str(db_path), "demo", "--customers", "30", "--quotes", "40", "--seed", "2")
    assert r.returncode == 0, r.stderr
    return db_path


@contextmanager
def read_only(path: Path) -> Iterator[None]:
    if os.geteuid() == 0:
        if subprocess.run(["chattr", "+i", str(path)], check=False).returncode != 0:
            pytest.skip("cannot make a path read-only for root here (no chattr +i)")
        try:
            yield
        finally:
            subprocess.run(["chattr", "-i", str(path)], check=True)
        return
    mode = path.stat().st_mode
    path.chmod(0o555 if path.is_dir() else 0o444)
    try:
        yield
    finally:
        path.chmod(stat.S_IMODE(mode))


@contextmanager
def disk_full_after(limit: int) -> Iterator[None]:
    """Writes past `limit` bytes in any one file fail (EFBIG), as on a full disk."""
    old = resource.getrlimit(resource.RLIMIT_FSIZE)
    handler = signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
    resource.setrlimit(resource.RLIMIT_FSIZE, (limit, old[1]))
    try:
        yield
    finally:
        resource.setrlimit(resource.RLIMIT_FSIZE, old)
        signal.signal(signal.SIGXFSZ, handler)


def _run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    capsys.readouterr()
    code = main(list(args))
    said = capsys.readouterr()
    assert "Traceback" not in said.err
    return code, said.out, said.err


def _leftovers(folder: Path) -> list[str]:
    return sorted(
        p.name
        for p in folder.rglob("*")
        if p.is_file() and (p.suffix in (".part", ".tmp") or p.stat().st_size == 0)
    )


def test_a_database_in_a_read_only_folder_can_be_read_and_refuses_writes(
    business: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
):
    db = str(business)
    with read_only(business.parent):
        code, out, _ = _run(capsys, "--db", db, "--now", NOW, "due", "--json")
        assert code in (0, 1) and out.startswith("[")
        code, out, _ = _run(capsys, "--db", db, "export", "--out", str(tmp_path / "all.json"))
        assert code == 0 and "Exported 30 customers" in out
        code, out, _ = _run(capsys, "--db", db, "check")
        assert code == 0 and "integrity check passed" in out
        code, _, err = _run(
            capsys, "--db", db, "--now", NOW, "consent", "stop", "--customer", "1",
            "--source", "phone call",
        )  # fmt: skip
        assert code == 1 and "read-only here; nothing was saved" in err
        contacts = business.parent.parent / "contacts.csv"
        contacts.write_text("Name,Email\nNew Person,new@example.com\n", encoding="utf-8")
        code, _, err = _run(capsys, "--db", db, "import", str(contacts))
        assert code == 1 and "cannot back up" in err  # the backup first, and it cannot be made
    assert sorted(p.name for p in business.parent.iterdir()) == ["deckfollow.db"]


def test_importing_into_a_read_only_database_file_is_refused_clearly(
    business: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
):
    csv_path = tmp_path / "contacts.csv"
    csv_path.write_text("Name,Email\nNew Person,new@example.com\n", encoding="utf-8")
    with read_only(business):
        code, _, err = _run(capsys, "--db", str(business), "import", str(csv_path))
    assert code == 1 and "read-only" in err
    code, out, _ = _run(capsys, "--db", str(business), "export", "--out", str(tmp_path / "x.json"))
    assert "Exported 30 customers" in out


@pytest.mark.parametrize(
    "export",
    [
        ["export", "--out", "{out}/all.json"],
        ["export", "--format", "csv", "--out", "{out}/csv"],
        ["export", "--format", "vcard", "--out", "{out}/all.vcf"],
        ["backup", "--out", "{out}/copy.db"],
    ],
)
def test_a_full_disk_fails_clearly_and_leaves_no_part_files_behind(
    business: Path, tmp_path: Path, export: list[str], capsys: pytest.CaptureFixture[str]
):
    out = tmp_path / "out"
    out.mkdir()
    args = [a.format(out=out) for a in export]
    with disk_full_after(2048):
        code, _, err = _run(capsys, "--db", str(business), *args)
    assert code == 1, err
    assert "cannot" in err or "full" in err
    assert _leftovers(out) == []
    assert [p.name for p in out.rglob("*") if p.is_file()] == []


@pytest.fixture
def full_device(short_tmp_path: Path) -> Path:
    """A device that is always full: our own node for root (a regression could otherwise
    replace the system's /dev/full), the system's for anyone else (who cannot replace it)."""
    if os.geteuid() != 0:
        if not Path("/dev/full").exists():
            pytest.skip("needs /dev/full")
        return Path("/dev/full")
    node = short_tmp_path / "devices" / "full"
    node.parent.mkdir()
    os.mknod(node, 0o666 | stat.S_IFCHR, os.makedev(1, 7))
    return node


@pytest.mark.parametrize(
    "export",
    [
        ["export", "--out", "{dev}"],
        ["export", "--format", "vcard", "--out", "{dev}"],
        ["backup", "--out", "{dev}"],
    ],
)
def test_a_device_is_refused_as_an_export_target_and_left_alone(
    business: Path, full_device: Path, export: list[str], capsys: pytest.CaptureFixture[str]
):
    before = os.stat(full_device)
    args = [a.format(dev=full_device) for a in export]
    code, out, err = _run(capsys, "--db", str(business), *args)
    assert code == 1 and "Exported" not in out and "Backed up" not in out
    assert str(full_device) in err
    after = os.stat(full_device)
    assert stat.S_ISCHR(after.st_mode) and after.st_ino == before.st_ino
    assert sorted(p.name for p in full_device.parent.iterdir()) == ["full"]


def _limited_memory() -> None:
    resource.setrlimit(resource.RLIMIT_AS, (2**30, 2**30))


def test_importing_a_device_or_a_pipe_is_refused_at_once(business: Path, tmp_path: Path):
    fifo = tmp_path / "contacts.csv"
    os.mkfifo(fifo)
    for source in ("/dev/zero", str(fifo)):
        # In a process of its own with bounded memory: reading /dev/zero once ran until killed.
        r = subprocess.run(
            [sys.executable, "-m", "deckfollow", "--db", str(business), "import", source],
            capture_output=True,
            text=True,
            timeout=60,
            preexec_fn=_limited_memory,
            check=False,
        )
        assert r.returncode == 2 and "not a regular file" in r.stderr, r.stderr


def test_the_csv_export_folder_is_the_owners_only(
    business: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
):
    folder = tmp_path / "exports" / "csv"
    code, _, _ = _run(
        capsys, "--db", str(business), "export", "--format", "csv", "--out", str(folder)
    )
    assert code == 0
    assert stat.S_IMODE(folder.stat().st_mode) == 0o700
    for f in folder.iterdir():
        assert stat.S_IMODE(f.stat().st_mode) == 0o600
