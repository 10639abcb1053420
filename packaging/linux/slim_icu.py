"""Rebuild Qt's ICU data library with only the data Qt itself reads.

PySide6's libicudata.so.NN is ICU's whole data set (32 MB). Qt Core calls ICU for four
things only -- collation (QCollator, locale-aware sorting), case mapping with a locale
(QLocale::toUpper/toLower), time-zone display names (QTimeZone::displayName) and legacy text
codecs (QStringConverter beyond UTF-8/16/32 and Latin-1) -- so the trees for currency, unit,
language and region names, number spell-out, transliteration, break iteration and
string-prep are dead weight. ICU's own tools do the filtering: icupkg takes the trees out of
the common data, genccode turns the package back into an object file, and ld links it as a
library with the same soname and entry point, which Qt's libicuuc loads unchanged.

Usage: python slim_icu.py SOURCE_LIB OUTPUT_LIB   (needs icu-devtools and binutils)
"""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

# Item trees and files nothing in Qt reaches (see the module docstring). Everything else --
# the locale bundles, coll/ (collation), zone/ (zone names), the .cnv codec tables,
# normalisation and the supplemental data the calendar and the time zones read -- stays.
UNUSED_TREES = ("brkitr/", "curr/", "lang/", "rbnf/", "region/", "translit/", "unit/")
UNUSED_SUFFIXES = (".spp",)  # string-prep profiles (IDNA, SASL): Qt has its own
UNUSED_FILES = ("unames.icu", "confusables.cfu")
# Codec tables: the legacy encodings of the WHATWG Encoding Standard -- what browsers, mail
# programs and office suites still write, so what a pasted or dropped text can carry -- and
# the tables ISO-2022-JP/KR/CN and HZ switch between. The other 200-odd tables (EBCDIC and
# IBM host code pages) go. UTF-*, Latin-1, ASCII, ISO-2022 and HZ are built into ICU's code.
KEPT_CODECS = frozenset(
    f"{name}.cnv"
    for name in (
        "ibm-866_P100-1995", "ibm-912_P100-1995", "ibm-913_P100-2000", "ibm-914_P100-1995",
        "ibm-915_P100-1995", "ibm-1089_P100-1995", "ibm-9005_X110-2007", "ibm-5012_P100-1999",
        "iso-8859_10-1998", "ibm-921_P100-1995", "iso-8859_14-1998", "ibm-923_P100-1998",
        "ibm-878_P100-1996", "ibm-1168_P100-2002", "macos-0_2-10.2",
        "macos-7_3-10.2", "windows-874-2000", "ibm-5346_P100-1998", "ibm-5347_P100-1998",
        "ibm-5348_P100-1997", "ibm-5349_P100-1998", "ibm-5350_P100-1998", "ibm-9447_P100-2002",
        "ibm-9448_X100-2005", "ibm-9449_P100-2002", "ibm-5354_P100-1998",
        # Chinese, Japanese, Korean
        "windows-936-2000", "ibm-1386_P100-2001", "gb18030", "ibm-1383_P110-1999",
        "ibm-5478_P100-1995", "windows-950-2000", "ibm-1373_P100-2002", "ibm-1375_P100-2008",
        "cns-11643-1992", "euc-jp-2007", "ibm-33722_P12A_P12A-2009_U2", "ibm-943_P15A-2003",
        "jisx-212", "ibm-970_P110_P110-2006_U2", "windows-949-2000", "ibm-1363_P11B-1998",
        "ibm-949_P110-1999", "ibm-949_P11A-1999",
    )
)  # fmt: skip


def unused(item: str) -> bool:
    """True for a data item (as icupkg lists it) that Qt never reads."""
    return (
        item.startswith(UNUSED_TREES)
        or item.endswith(UNUSED_SUFFIXES)
        or item in UNUSED_FILES
        or (item.endswith(".cnv") and item not in KEPT_CODECS)
    )


def _run(*args: str | Path) -> str:
    done = subprocess.run([str(a) for a in args], capture_output=True, text=True, check=False)
    if done.returncode != 0:
        sys.exit(f"slim_icu: {Path(str(args[0])).name} failed:\n{done.stdout}{done.stderr}")
    return done.stdout


def slim(source: Path, output: Path) -> tuple[int, int]:
    """Write the slimmed library to `output`; returns (bytes before, bytes after)."""
    for tool in ("icupkg", "genccode", "objcopy", "ld", "nm"):
        if shutil.which(tool) is None:
            sys.exit(f"slim_icu: {tool} is missing (Debian: icu-devtools, binutils)")
    found = re.search(r"libicudata\.so\.(\d+)", source.name)
    if found is None:
        sys.exit(f"slim_icu: {source.name} is not an ICU data library")
    major = found.group(1)
    entry = f"icudt{major}"
    symbols = _run("nm", "-D", "--defined-only", "-S", source)
    sizes = [line.split() for line in symbols.splitlines() if line.endswith(f" {entry}_dat")]
    if len(sizes) != 1:
        sys.exit(f"slim_icu: {source.name} has no {entry}_dat data symbol")
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        # The data symbol is the whole .rodata section of ICU's data library.
        package = work / f"{entry}l.dat"
        _run("objcopy", "-O", "binary", "--only-section=.rodata", source, package)
        if package.stat().st_size != int(sizes[0][1], 16):
            sys.exit(f"slim_icu: .rodata of {source.name} is not just the ICU data")
        items = _run("icupkg", "-l", package).split()
        drop = work / "drop.txt"
        drop.write_text("".join(f"{item}\n" for item in items if unused(item)))
        slimmed = work / "out" / f"{entry}l.dat"
        slimmed.parent.mkdir()
        _run("icupkg", "-r", drop, package, slimmed)
        # -m: an object for the same machine as the library it replaces.
        _run("genccode", "-q", "-o", "-m", source, "-e", entry, "-d", work, slimmed)
        objects = list(work.glob(f"{entry}*_dat.o"))
        if len(objects) != 1:
            sys.exit("slim_icu: genccode wrote no object file")
        output.parent.mkdir(parents=True, exist_ok=True)
        _run(
            "ld", "-shared", "-z", "noexecstack", "-soname", source.name,
            "-o", output, objects[0],
        )  # fmt: skip
    return source.stat().st_size, output.stat().st_size


if __name__ == "__main__":
    if len(sys.argv) != 3:
        sys.exit(__doc__)
    before, after = slim(Path(sys.argv[1]), Path(sys.argv[2]))
    print(f"slim_icu: {before / 1e6:.1f} MB -> {after / 1e6:.1f} MB")
