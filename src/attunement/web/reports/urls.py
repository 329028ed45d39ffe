"""The couple report's addresses: the page and its PDF."""

from django.urls import path

from attunement.web.reports import views

app_name = "reports"
urlpatterns = [
    path("", views.report, name="report"),
    path("pdf/", views.report_pdf, name="pdf"),
]
