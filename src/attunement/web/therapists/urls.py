from django.urls import path

from attunement.web.therapists import views

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
    path("join/<str:token>/", views.join, name="join"),
    path("consent/", views.consent, name="consent"),
    path("consent/<int:grant_id>/", views.change_consent, name="change_consent"),
    path("consent/<int:grant_id>/withdraw/", views.withdraw, name="withdraw"),
    path("entries/<int:entry_id>/share/", views.share_entry, name="share_entry"),
    path("entries/<int:entry_id>/unshare/", views.unshare_entry, name="unshare_entry"),
]
