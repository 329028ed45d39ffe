"""The journal pages' addresses: the list, writing, editing, sharing and the shared entries."""

from django.urls import path

from attunement.web.journal import views

app_name = "journal"
urlpatterns = [
    path("", views.index, name="index"),
    path("new/", views.new, name="new"),
    path("shared/", views.shared, name="shared"),
    path("<int:entry_id>/", views.entry, name="entry"),
    path("<int:entry_id>/edit/", views.edit, name="edit"),
    path("<int:entry_id>/delete/", views.delete, name="delete"),
    path("<int:entry_id>/share/", views.share, name="share"),
    path("<int:entry_id>/unshare/", views.unshare, name="unshare"),
]
