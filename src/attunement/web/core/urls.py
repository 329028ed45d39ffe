from django.urls import path

from attunement.web.core import views

app_name = "core"
urlpatterns = [
    path("", views.home, name="home"),
    path("support/", views.support, name="support"),
]
