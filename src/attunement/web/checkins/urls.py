from django.urls import path

from attunement.web.checkins import views

app_name = "checkins"
urlpatterns = [
    path("", views.index, name="index"),
    path("take/", views.take, name="take"),
    path("reminder/", views.reminder, name="reminder"),
]
