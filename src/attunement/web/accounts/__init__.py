"""Accounts: sign-up by emailed link, sign-in, settings, API tokens and sessions."""
