"""The JSON API: the same actions as the pages, over the same core functions."""

from ninja import NinjaAPI

from attunement.web.accounts.api import router as accounts_router
from attunement.web.assessments.api import router as assessments_router
from attunement.web.couples.api import router as couples_router
from attunement.web.journal.api import router as journal_router
from attunement.web.practices.api import router as practices_router
from attunement.web.privacy.api import router as privacy_router
from attunement.web.reports.api import router as reports_router

api = NinjaAPI(
    title="Attunement API",
    version="1",
    description=(
        "Accounts, pairing, private answers, scores, sharing, the couple report, "
        "the reflection journal and the message coach."
    ),
    urls_namespace="api",
)
api.add_router("/account", accounts_router)
api.add_router("/couple", couples_router)
api.add_router("/answers", assessments_router)
api.add_router("/report", reports_router)
api.add_router("/journal", journal_router)
api.add_router("/practices", practices_router)
api.add_router("/privacy", privacy_router)
