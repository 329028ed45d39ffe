"""The workspace's addresses: the therapist's pages and the clients' pages."""

from django.urls import path

from attunement.web.therapists import client_views, views

app_name = "therapists"
urlpatterns = [
    # The therapist's pages
    path("", views.dashboard, name="dashboard"),
    path("setup/", views.setup, name="setup"),
    path("verify/", views.verify, name="verify"),
    path("backup-codes/", views.backup_codes, name="backup_codes"),
    path("cases/new/", views.new_case, name="new_case"),
    path("cases/<int:case_id>/", views.case, name="case"),
    path("cases/<int:case_id>/summary/", views.summary, name="summary"),
    path("cases/<int:case_id>/summary.pdf", views.summary_pdf, name="summary_pdf"),
    path("cases/<int:case_id>/sessions/", views.record_session, name="record_session"),
    path("cases/<int:case_id>/invitation/", views.new_invitation, name="new_invitation"),
    path("cases/<int:case_id>/end/", views.end_case, name="end_case"),
    # The clients' pages
    path("join/<str:token>/", client_views.join, name="join"),
    path("consent/", client_views.consent, name="consent"),
    path("consent/<int:grant_id>/", client_views.change_consent, name="change_consent"),
    path("consent/<int:grant_id>/withdraw/", client_views.withdraw, name="withdraw"),
    path("entries/<int:entry_id>/share/", client_views.share_entry, name="share_entry"),
    path("entries/<int:entry_id>/unshare/", client_views.unshare_entry, name="unshare_entry"),
]
