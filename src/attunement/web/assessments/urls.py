from django.urls import path

from attunement.web.assessments import views

app_name = "assessments"
urlpatterns = [
    path("", views.overview, name="overview"),
    path("results/", views.results, name="results"),
    path("help/", views.help_page, name="help"),
    path("<slug:instrument_id>/<int:number>/", views.question_page, name="page"),
]
