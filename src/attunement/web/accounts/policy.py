"""Who may use an API token (see it listed, revoke it): the person it was issued to."""

from __future__ import annotations

from attunement.web.accounts.models import ApiToken
from attunement.web.core.policy import owned_by

TOKEN = owned_by("accounts.token", ApiToken, "user")

RULES = (TOKEN,)
