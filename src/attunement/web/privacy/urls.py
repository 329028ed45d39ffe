"""The privacy pages' addresses: overview, export, sessions, tokens, consents and deletion."""

from django.urls import path

from attunement.web.privacy import views

app_name = "privacy"
urlpatterns = [
    path("", views.index, name="index"),
    path("export/", views.export, name="export"),
    path("sessions/<int:session_id>/end/", views.end_session, name="end_session"),
    path("tokens/<int:token_id>/revoke/", views.revoke_token, name="revoke_token"),
    path("consents/<int:grant_id>/withdraw/", views.withdraw_consent, name="withdraw_consent"),
    path("stop-sharing/", views.stop_sharing, name="stop_sharing"),
    path("pause-messages/", views.pause_messages, name="pause_messages"),
    path("delete/", views.delete, name="delete"),
]
