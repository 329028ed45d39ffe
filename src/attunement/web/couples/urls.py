"""The couple pages' addresses: partner, invitations, joining, sharing, unpairing."""

from django.urls import path

from attunement.web.couples import views

app_name = "couples"
urlpatterns = [
    path("", views.partner, name="partner"),
    path("invitations/", views.create_invitation, name="create_invitation"),
    path(
        "invitations/<int:invitation_id>/revoke/",
        views.revoke_invitation,
        name="revoke_invitation",
    ),
    path("join/<str:token>/", views.join, name="join"),
    path("sharing/", views.sharing, name="sharing"),
    path("unpair/", views.unpair, name="unpair"),
]
