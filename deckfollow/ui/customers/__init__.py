"""The Customers page: everyone, searched as you type, added, merged."""

from deckfollow.ui.customers.merge_dialog import MergeDialog
from deckfollow.ui.customers.model import CustomerTableModel
from deckfollow.ui.customers.new_customer import NewCustomerDialog
from deckfollow.ui.customers.offer import DuplicateOffer
from deckfollow.ui.customers.page import CustomersPage

__all__ = [
    "CustomerTableModel",
    "CustomersPage",
    "DuplicateOffer",
    "MergeDialog",
    "NewCustomerDialog",
]
