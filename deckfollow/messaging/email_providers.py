"""Known email providers: their server settings, how to sign in, and where to get an app
password when a normal password is refused."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from deckfollow.messaging.smtp import Security


class SignIn(StrEnum):
    GOOGLE = "google"  # OAuth 2.0 in the browser, XOAUTH2 for SMTP and IMAP
    MICROSOFT = "microsoft"
    APP_PASSWORD = "app_password"  # a password made for deckfollow in the account's settings
    PASSWORD = "password"


@dataclass(frozen=True)
class EmailProvider:
    key: str
    label: str
    smtp_host: str
    smtp_port: int
    smtp_security: Security
    imap_host: str
    imap_port: int
    sign_in: SignIn
    help_url: str = ""
    guidance: str = ""


PROVIDERS: tuple[EmailProvider, ...] = (
    EmailProvider(
        "gmail",
        "Gmail / Google Workspace",
        "smtp.gmail.com",
        465,
        Security.SSL,
        "imap.gmail.com",
        993,
        SignIn.GOOGLE,
        "https://support.google.com/mail/answer/185833",
        "Sign in with Google in your browser. (Google no longer accepts your normal "
        "password here; an app password needs 2-Step Verification.)",
    ),
    EmailProvider(
        "outlook",
        "Outlook.com / Hotmail / Live",
        "smtp-mail.outlook.com",
        587,
        Security.STARTTLS,
        "outlook.office365.com",
        993,
        SignIn.MICROSOFT,
        "https://support.microsoft.com/office/pop-imap-and-smtp-settings-for-outlook-com-d088b986-291d-42b8-9564-9c414e2aa040",
        "Sign in with Microsoft in your browser: Outlook.com accounts no longer accept a "
        "password from other apps.",
    ),
    EmailProvider(
        "microsoft365",
        "Microsoft 365 (work or school)",
        "smtp.office365.com",
        587,
        Security.STARTTLS,
        "outlook.office365.com",
        993,
        SignIn.MICROSOFT,
        "https://learn.microsoft.com/exchange/clients-and-mobile-in-exchange-online/authenticated-client-smtp-submission",
        "Sign in with Microsoft in your browser. If it is refused, your administrator must "
        'allow "Authenticated SMTP" for your mailbox.',
    ),
    EmailProvider(
        "icloud",
        "iCloud Mail",
        "smtp.mail.me.com",
        587,
        Security.STARTTLS,
        "imap.mail.me.com",
        993,
        SignIn.APP_PASSWORD,
        "https://support.apple.com/102654",
        "Make an app-specific password at account.apple.com (Sign-In and Security › "
        "App-Specific Passwords) and enter it here; your user name is your full iCloud address.",
    ),
    EmailProvider(
        "yahoo",
        "Yahoo Mail",
        "smtp.mail.yahoo.com",
        465,
        Security.SSL,
        "imap.mail.yahoo.com",
        993,
        SignIn.APP_PASSWORD,
        "https://help.yahoo.com/kb/SLN15241.html",
        "Make an app password in Yahoo's Account Security page and enter it here.",
    ),
    EmailProvider(
        "fastmail",
        "Fastmail",
        "smtp.fastmail.com",
        465,
        Security.SSL,
        "imap.fastmail.com",
        993,
        SignIn.APP_PASSWORD,
        "https://www.fastmail.help/hc/en-us/articles/360058752854",
        "Make an app password (Settings › Privacy & Security › App passwords) with access "
        "to IMAP and SMTP, and enter it here.",
    ),
    EmailProvider(
        "zoho",
        "Zoho Mail",
        "smtp.zoho.com",
        465,
        Security.SSL,
        "imap.zoho.com",
        993,
        SignIn.APP_PASSWORD,
        "https://www.zoho.com/mail/help/zoho-smtp.html",
        "With two-factor sign-in on, make an application-specific password in Zoho's "
        "Security settings and enter it here. (Accounts in Europe use smtp.zoho.eu.)",
    ),
    EmailProvider(
        "other",
        "Other",
        "",
        587,
        Security.STARTTLS,
        "",
        993,
        SignIn.PASSWORD,
        "",
        'Enter the server settings your email provider gives for "SMTP" (sending) and '
        '"IMAP" (reading).',
    ),
)


def provider(key: str) -> EmailProvider:
    for p in PROVIDERS:
        if p.key == key:
            return p
    raise KeyError(key)


def guess_provider(address: str) -> EmailProvider:
    """The provider an address most likely belongs to (by its domain)."""
    domain = address.rpartition("@")[2].lower()
    by_domain = {
        "gmail.com": "gmail",
        "googlemail.com": "gmail",
        "outlook.com": "outlook",
        "hotmail.com": "outlook",
        "live.com": "outlook",
        "msn.com": "outlook",
        "hotmail.co.uk": "outlook",
        "outlook.com.au": "outlook",
        "icloud.com": "icloud",
        "me.com": "icloud",
        "mac.com": "icloud",
        "yahoo.com": "yahoo",
        "ymail.com": "yahoo",
        "yahoo.com.au": "yahoo",
        "yahoo.co.uk": "yahoo",
        "fastmail.com": "fastmail",
        "fastmail.fm": "fastmail",
        "zoho.com": "zoho",
        "zohomail.com": "zoho",
    }
    return provider(by_domain.get(domain, "other"))
