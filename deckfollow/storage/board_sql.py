"""The board's SQL for SQLite, generated from `core.board` by
`python -m deckfollow.storage.quick_board > deckfollow/storage/board_sql.py`;
do not edit by hand (a test compares it with the core's statements)."""

REVISION = "0006"

NEXT_FOLLOW_UPS = (
    "SELECT follow_up.quote_id, follow_up.id, coalesce(follow_up.snoozed_until, "
    "follow_up.due_at) AS coalesce_1, follow_up.basis, follow_up.channel, "
    "follow_up.reason \n"
    "FROM follow_up \n"
    "WHERE follow_up.status = 'pending' AND NOT (EXISTS (SELECT * \n"
    "FROM channel_consent AS channel_consent_1 \n"
    "WHERE channel_consent_1.customer_id = follow_up.customer_id AND "
    "channel_consent_1.channel = CASE WHEN (follow_up.channel = 'call') THEN 'call' WHEN "
    "(follow_up.channel = 'text') THEN 'text' WHEN (follow_up.channel = 'email') THEN "
    "'email' WHEN (follow_up.channel = 'card') THEN 'post' WHEN (follow_up.channel = "
    "'visit') THEN 'visit' WHEN (follow_up.channel = 'video') THEN 'text' ELSE NULL END "
    "AND channel_consent_1.state = 'revoked')) AND NOT (EXISTS (SELECT * \n"
    "FROM cadence_run \n"
    "WHERE cadence_run.id = follow_up.cadence_run_id AND cadence_run.status != 'active' "
    "AND follow_up.basis = 'planned')) AND follow_up.quote_id IS NOT NULL ORDER BY "
    "follow_up.quote_id, coalesce(follow_up.snoozed_until, follow_up.due_at)"
)

BOARD_QUOTES = (
    "SELECT quote.id, quote.customer_id, customer.display_name, quote.job, quote.number, "
    "quote.amount, quote.currency, quote.stage, quote.received_at, "
    "quote.first_response_at, quote.last_touch_at, quote.stage_changed_at, "
    "quote.parked_until, customer.phone_cell, customer.email, customer.timezone, "
    "customer.phone_office, customer.phone_home, quote.version, quote.owner \n"
    "FROM quote JOIN customer ON customer.id = quote.customer_id \n"
    "WHERE quote.deleted_at IS NULL AND customer.deleted_at IS NULL AND (quote.stage IN "
    "('lead', 'quoted', 'following_up', 'parked') OR quote.stage_changed_at >= ?)"
)

ALL_QUOTES = (
    "SELECT quote.id, quote.customer_id, customer.display_name, quote.job, quote.number, "
    "quote.amount, quote.currency, quote.stage, quote.received_at, "
    "quote.first_response_at, quote.last_touch_at, quote.stage_changed_at, "
    "quote.parked_until, customer.phone_cell, customer.email, customer.timezone, "
    "customer.phone_office, customer.phone_home, quote.version, quote.owner \n"
    "FROM quote JOIN customer ON customer.id = quote.customer_id \n"
    "WHERE quote.deleted_at IS NULL AND customer.deleted_at IS NULL"
)

OFF_BOARD_QUOTES = (
    "SELECT quote.id, quote.customer_id, customer.display_name, quote.job, quote.number, "
    "quote.amount, quote.currency, quote.stage, quote.received_at, "
    "quote.first_response_at, quote.last_touch_at, quote.stage_changed_at, "
    "quote.parked_until, customer.phone_cell, customer.email, customer.timezone, "
    "customer.phone_office, customer.phone_home, quote.version, quote.owner \n"
    "FROM quote JOIN customer ON customer.id = quote.customer_id \n"
    "WHERE quote.deleted_at IS NULL AND customer.deleted_at IS NULL AND NOT (quote.stage "
    "IN ('lead', 'quoted', 'following_up', 'parked') OR quote.stage_changed_at >= ?)"
)
