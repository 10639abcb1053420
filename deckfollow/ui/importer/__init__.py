"""Import wizard and export actions (File › Import contacts…, File › Export)."""

from deckfollow.ui.importer.export_actions import (
    export_customers_csv,
    export_everything_json,
    export_vcard,
)
from deckfollow.ui.importer.wizard import ImportWizard

__all__ = ["ImportWizard", "export_customers_csv", "export_everything_json", "export_vcard"]
