"""The bundle's slimmed ICU data still does everything Qt asks of ICU.

packaging/linux/slim_icu.py keeps only the data Qt Core reads. These tests call the bundle's
own ICU libraries through the same C functions Qt Core calls (collation for locale-aware
sorting, case mapping with a locale, time-zone display names, legacy codecs) with the names
a user's customers have, and fail if any of that data went missing.
"""

from __future__ import annotations

import ctypes
import sys
from collections.abc import Iterator
from functools import cmp_to_key
from pathlib import Path
from typing import Any

import pytest

ROOT = Path(__file__).resolve().parents[2]
QT_LIB = ROOT / "dist" / "deckfollow" / "_internal" / "PySide6" / "Qt" / "lib"

pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(not sys.platform.startswith("linux"), reason="the Linux bundle's ICU"),
    pytest.mark.skipif(
        not any(QT_LIB.glob("libicudata.so.*")), reason="no bundle in dist/deckfollow"
    ),
]

U_USING_DEFAULT_WARNING = -127  # ICU found no data for the locale and used the root's


class Icu:
    """The bundle's ICU, loaded the way Qt Core loads it (by soname, data first)."""

    def __init__(self, lib: Path) -> None:
        data = next(lib.glob("libicudata.so.*"))
        self.major = data.name.rsplit(".", 1)[1]
        mode = ctypes.RTLD_GLOBAL
        ctypes.CDLL(str(data), mode=mode)
        self.uc = ctypes.CDLL(str(lib / f"libicuuc.so.{self.major}"), mode=mode)
        self.i18n = ctypes.CDLL(str(lib / f"libicui18n.so.{self.major}"), mode=mode)

    def fn(self, lib: ctypes.CDLL, name: str, restype: Any = ctypes.c_int) -> Any:
        func = getattr(lib, f"{name}_{self.major}")
        func.restype = restype
        return func

    @staticmethod
    def u16(text: str) -> ctypes.Array[ctypes.c_char]:
        return ctypes.create_string_buffer(text.encode("utf-16-le"), len(text) * 2 + 2)

    def sorted_names(self, locale: str, names: list[str]) -> tuple[list[str], int]:
        status = ctypes.c_int(0)
        coll = self.fn(self.i18n, "ucol_open", ctypes.c_void_p)(
            locale.encode(), ctypes.byref(status)
        )
        assert status.value <= 0 and coll, f"ucol_open({locale}) failed: {status.value}"
        opened = status.value
        strcoll = self.fn(self.i18n, "ucol_strcoll")
        strcoll.argtypes = [
            ctypes.c_void_p,
            ctypes.c_char_p,
            ctypes.c_int,
            ctypes.c_char_p,
            ctypes.c_int,
        ]

        def key(a: str, b: str) -> int:
            return int(strcoll(coll, self.u16(a), -1, self.u16(b), -1))

        result = sorted(names, key=cmp_to_key(key))
        self.fn(self.i18n, "ucol_close", None)(ctypes.c_void_p(coll))
        return result, opened

    def upper(self, text: str, locale: str) -> str:
        out = ctypes.create_string_buffer(256)
        status = ctypes.c_int(0)
        func = self.fn(self.uc, "u_strToUpper")
        n = func(out, 128, self.u16(text), -1, locale.encode(), ctypes.byref(status))
        assert status.value <= 0
        return out.raw[: int(n) * 2].decode("utf-16-le")

    def zone_name(self, zone: str, locale: str) -> str:
        status = ctypes.c_int(0)
        ucal_open = self.fn(self.i18n, "ucal_open", ctypes.c_void_p)
        cal = ucal_open(self.u16(zone), -1, locale.encode(), 0, ctypes.byref(status))
        assert status.value <= 0 and cal
        out = ctypes.create_string_buffer(512)
        display = self.fn(self.i18n, "ucal_getTimeZoneDisplayName")
        # UCAL_STANDARD = 0: the long standard name, as QTimeZone::displayName asks for it.
        n = display(ctypes.c_void_p(cal), 0, locale.encode(), out, 256, ctypes.byref(status))
        self.fn(self.i18n, "ucal_close", None)(ctypes.c_void_p(cal))
        assert status.value <= 0
        return out.raw[: int(n) * 2].decode("utf-16-le")

    def decode(self, codec: str, data: bytes) -> str:
        status = ctypes.c_int(0)
        conv = self.fn(self.uc, "ucnv_open", ctypes.c_void_p)(codec.encode(), ctypes.byref(status))
        assert status.value <= 0 and conv, f"no {codec} codec in the bundle ({status.value})"
        out = ctypes.create_string_buffer(4 * len(data) + 4)
        to_uchars = self.fn(self.uc, "ucnv_toUChars")
        n = to_uchars(
            ctypes.c_void_p(conv), out, 2 * len(data) + 2, data, len(data), ctypes.byref(status)
        )
        self.fn(self.uc, "ucnv_close", None)(ctypes.c_void_p(conv))
        assert status.value <= 0
        return out.raw[: int(n) * 2].decode("utf-16-le")


@pytest.fixture(scope="module")
def icu() -> Iterator[Icu]:
    yield Icu(QT_LIB)


def test_customer_names_sort_the_way_their_language_sorts_them(icu: Icu) -> None:
    names = ["Zoë Łukasiewicz", "Lis", "Mazur", "Nguyễn", "Ngô", "Åberg", "Zetterström"]
    polish, status = icu.sorted_names("pl", ["Mazur", "Łukasiewicz", "Lis"])
    assert polish == ["Lis", "Łukasiewicz", "Mazur"] and status != U_USING_DEFAULT_WARNING
    swedish, status = icu.sorted_names("sv", ["Åberg", "Zetterström", "Öberg"])
    assert swedish == ["Zetterström", "Åberg", "Öberg"] and status != U_USING_DEFAULT_WARNING
    chinese, status = icu.sorted_names("zh", ["张伟", "王小明", "李娜"])
    assert chinese == ["李娜", "王小明", "张伟"] and status != U_USING_DEFAULT_WARNING
    vietnamese, status = icu.sorted_names("vi", ["Nguyễn", "Ngô", "Nga"])
    assert vietnamese == ["Nga", "Ngô", "Nguyễn"] and status != U_USING_DEFAULT_WARNING
    english, _ = icu.sorted_names("en", names)
    assert english == ["Åberg", "Lis", "Mazur", "Ngô", "Nguyễn", "Zetterström", "Zoë Łukasiewicz"]


def test_upper_case_follows_the_language(icu: Icu) -> None:
    assert icu.upper("istanbul", "tr") == "İSTANBUL"
    assert icu.upper("Łukasiewicz straße", "en") == "ŁUKASIEWICZ STRASSE"


def test_time_zones_have_their_names_in_the_users_language(icu: Icu) -> None:
    assert icu.zone_name("Europe/Berlin", "en") == "Central European Standard Time"
    assert icu.zone_name("Europe/Berlin", "de") == "Mitteleuropäische Normalzeit"
    assert icu.zone_name("America/New_York", "fr") == "heure normale de l’Est nord-américain"


@pytest.mark.parametrize(
    ("codec", "text"),
    [
        ("windows-1252", "Zoë café"),
        ("ISO-8859-2", "Łukasiewicz"),
        ("windows-1251", "Иванов"),
        ("KOI8-R", "Иванов"),
        ("windows-1258", "Nguyên"),
        ("GBK", "王小明"),
        ("gb18030", "王小明"),
        ("GB2312", "王小明"),
        ("Big5", "陳大文"),
        ("Shift_JIS", "山田太郎"),
        ("EUC-JP", "山田太郎"),
        ("ISO-2022-JP", "山田太郎"),
        ("EUC-KR", "김민준"),
        ("ISO-2022-KR", "김민준"),
        ("TIS-620", "สมชาย"),
        ("ISO-8859-8", "כהן"),
        ("windows-1256", "محمد"),
        ("macintosh", "Zoë"),
    ],
)
def test_text_in_a_legacy_encoding_still_decodes(icu: Icu, codec: str, text: str) -> None:
    assert icu.decode(codec, text.encode(codec)) == text


def test_the_icu_data_is_the_slimmed_one() -> None:
    data = next(QT_LIB.glob("libicudata.so.*"))
    assert data.stat().st_size < 16_000_000, f"{data.name} is {data.stat().st_size} bytes"
