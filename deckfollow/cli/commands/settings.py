"""`deckfollow settings show [--json]` and `deckfollow settings set KEY VALUE`."""

from __future__ import annotations

import argparse
import json

from deckfollow.cli.context import CliContext
from deckfollow.core.errors import ValidationError
from deckfollow.core.setting_keys import SETTING_KEYS

ORDER = 15


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    p = sub.add_parser("settings", help="your business: name, cell, country, time zone, currency")
    actions = p.add_subparsers(dest="action", metavar="ACTION", required=True)
    show = actions.add_parser("show", help="every setting, and which ones were never chosen")
    show.add_argument("--json", action="store_true", help="print a JSON object")
    show.set_defaults(run=run_show)
    keys = ", ".join(SETTING_KEYS)
    change = actions.add_parser("set", help=f"change one setting ({keys})")
    change.add_argument("key", metavar="KEY", help=keys)
    change.add_argument("value", metavar="VALUE")
    change.set_defaults(run=run_set)


def run_show(args: argparse.Namespace, ctx: CliContext) -> int:
    conn = ctx.read_sqlite()
    if conn is not None:
        from deckfollow.core.sqlite_reads import read_settings

        try:
            settings, chosen = read_settings(conn)
        finally:
            conn.close()
    else:
        from deckfollow.core.settings import load_settings, stored_setting_names

        with ctx.database() as db, db.reading() as session:
            settings = load_settings(session)
            chosen = stored_setting_names(session)
    values = {key: getattr(settings, name) for key, name in SETTING_KEYS.items()}
    not_chosen = [key for key, name in SETTING_KEYS.items() if name not in chosen]
    if args.json:
        json.dump({**values, "not_chosen": not_chosen}, ctx.out, ensure_ascii=False, indent=1)
        ctx.out.write("\n")
        return 0
    from deckfollow.core.contact_info import phone_as_read_in
    from deckfollow.core.places import country_names

    width = max(len(k) for k in SETTING_KEYS)
    for key, value in values.items():
        shown = str(value)
        if key == "cell" and shown.startswith("+"):
            shown = phone_as_read_in(shown, settings.default_country)
        elif key == "country":
            shown = f"{value} ({country_names().get(str(value), '?')})"
        if key in not_chosen and shown:
            shown += "  (not chosen yet: " + _origin(key) + ")"
        print(f"{key:<{width}}  {shown or '—'}", file=ctx.out)
    return 0


def _origin(key: str) -> str:
    if key in ("country", "timezone"):
        return "from this computer"
    if key == "currency":
        return "the country's"
    return "the default"


def run_set(args: argparse.Namespace, ctx: CliContext) -> int:
    from deckfollow.core.places import country_of_zone
    from deckfollow.core.settings import (
        load_settings,
        save_owner_settings,
        stored_setting_names,
    )

    name = SETTING_KEYS.get(args.key)
    if name is None:
        raise ValidationError(args.key, f"is not a setting (use one of {', '.join(SETTING_KEYS)})")
    with ctx.database(create=True) as db, db.unit_of_work() as session:
        before = load_settings(session)
        save_owner_settings(session, {name: args.value}, zone_follows=True)
        settings = load_settings(session)
        zone_chosen = "owner_timezone" in stored_setting_names(session)
    shown = str(getattr(settings, name))
    if name == "owner_phone" and shown.startswith("+"):
        from deckfollow.core.contact_info import phone_as_read_in

        shown = phone_as_read_in(shown, settings.default_country)  # as `settings show` has it
    print(f"{args.key} = {shown}", file=ctx.out)
    if name == "default_country":
        # The zone and region a new country brings (as the app's welcome does): said, so
        # nothing changes unseen.
        if settings.owner_timezone != before.owner_timezone:
            print(
                f"timezone = {settings.owner_timezone} (follows the country; another with: "
                "deckfollow settings set timezone AREA/CITY)",
                file=ctx.out,
            )
        if before.owner_region and not settings.owner_region:
            print(f"region {before.owner_region} cleared: not a region of {shown}", file=ctx.out)
    if name == "default_country" and not zone_chosen:
        zone_country = country_of_zone(settings.owner_timezone)
        if zone_country != settings.default_country:
            # Every time is shown on the owner's clock: a zone from another country is a
            # mistake waiting to happen, so say so now rather than at the first due time.
            print(
                f"timezone is still {settings.owner_timezone} (this computer's); set yours "
                f"with: deckfollow settings set timezone AREA/CITY",
                file=ctx.out,
            )
    return 0
