"""What per-account rate limits count: one key per account, however its name is typed."""

import unicodedata


def account_key(identifier: str) -> str:
    """The key of the account a typed username or e-mail address can reach.

    The log-in form NFKC-normalises a username before looking it up, and Django's password reset
    matches addresses NFKC-normalised and case-folded; so every spelling that can reach one
    account (fullwidth letters, any case) shares one key.
    """
    return unicodedata.normalize("NFKC", identifier).casefold().strip()
