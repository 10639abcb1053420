"""Changes joined with `|` keep every kind touched and which records, when both sides say."""

from deckfollow.core.changes import EVERYTHING, Changes


def test_joined_changes_name_the_records_both_sides_named() -> None:
    a = Changes(quotes=True, quote_ids=frozenset({1}), customer_ids=frozenset({7}), customers=True)
    b = Changes(quotes=True, quote_ids=frozenset({2}), notices=("Moved",))
    joined = a | b
    assert joined.quotes and joined.customers and joined.notices == ("Moved",)
    assert joined.quote_ids == {1, 2}
    assert joined.customer_ids == {7}, "b touched no customers, so a's names still hold"


def test_a_side_that_did_not_say_which_makes_the_join_unsaid() -> None:
    named = Changes(quotes=True, quote_ids=frozenset({1}))
    assert (named | Changes(quotes=True)).quote_ids == frozenset()
    assert (Changes(quotes=True) | named).quote_ids == frozenset()
    assert (named | EVERYTHING).quote_ids == frozenset()
    assert (named | Changes(follow_ups=True)).quote_ids == {1}
