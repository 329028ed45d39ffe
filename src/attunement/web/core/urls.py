"""The core pages' addresses: home, support, and the learning pages."""

from django.urls import path

from attunement.web.core import views

app_name = "core"
urlpatterns = [
    path("", views.home, name="home"),
    path("support/", views.support, name="support"),
    path("learn/", views.learn_index, name="learn"),
    path("learn/<slug:page_id>/", views.learn_page, name="learn_page"),
]
