"""The Connection Check's addresses: overview, results, help, asking again, each question page."""

from django.urls import path

from attunement.web.assessments import again, views

app_name = "assessments"
urlpatterns = [
    path("", views.overview, name="overview"),
    path("results/", views.results, name="results"),
    path("help/", views.help_page, name="help"),
    path("again/", again.again, name="again"),
    path("again/resume/", again.resume, name="resume"),
    path("<slug:instrument_id>/<int:number>/", views.question_page, name="page"),
]
