"""Messaging dialogs: the template library, email, text and call screens, email settings.

Entry points for the Today list and detail views: `send_email_for_follow_up` and
`act_on_follow_up` (opens the call, text or email dialog for a follow-up's channel).
"""

from deckfollow.ui.messaging.actions import act_on_follow_up, send_email_for_follow_up
from deckfollow.ui.messaging.call import CallDialog
from deckfollow.ui.messaging.compose_email import ComposeEmailDialog
from deckfollow.ui.messaging.smtp_settings import SmtpSettingsDialog
from deckfollow.ui.messaging.template_library import TemplateLibraryDialog
from deckfollow.ui.messaging.text_message import TextMessageDialog

__all__ = [
    "CallDialog",
    "ComposeEmailDialog",
    "SmtpSettingsDialog",
    "TemplateLibraryDialog",
    "TextMessageDialog",
    "act_on_follow_up",
    "send_email_for_follow_up",
]
