"""Who may use a signed-in session's record (see it listed, sign it out): its own person."""

from __future__ import annotations

from attunement.web.core.policy import owned_by
from attunement.web.privacy.models import SignedInSession

SESSION = owned_by("privacy.session", SignedInSession, "user")

RULES = (SESSION,)
