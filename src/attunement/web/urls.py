"""The site's addresses: each app's pages, and the JSON API under /api/."""

from django.urls import include, path

from attunement.web.api import api

urlpatterns = [
    path("", include("attunement.web.core.urls")),
    path("accounts/", include("attunement.web.accounts.urls")),
    path("couple/", include("attunement.web.couples.urls")),
    path("check/", include("attunement.web.assessments.urls")),
    path("report/", include("attunement.web.reports.urls")),
    path("journal/", include("attunement.web.journal.urls")),
    path("practice/", include("attunement.web.practices.urls")),
    path("checkin/", include("attunement.web.checkins.urls")),
    path("privacy/", include("attunement.web.privacy.urls")),
    path("therapist/", include("attunement.web.therapists.urls")),
    path("api/", api.urls),
]
