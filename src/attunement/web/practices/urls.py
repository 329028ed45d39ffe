"""The practice pages' addresses: coaching, flows and drafts, messages received, the log."""

from django.urls import path

from attunement.web.practices import exchange_views, views

app_name = "practices"
urlpatterns = [
    path("", views.index, name="index"),
    path("coach/", views.coach, name="coach"),
    path("coach/check/", views.coach_check, name="coach_check"),
    path("received/", exchange_views.received, name="received"),
    path("received/<int:draft_id>/read/", exchange_views.mark_read, name="mark_read"),
    path("received/<int:draft_id>/reply/", exchange_views.reply, name="reply"),
    path("replies/<int:reply_id>/read/", exchange_views.reply_read, name="reply_read"),
    path("listening/", views.listening, name="listening"),
    path("flow/<slug:flow_id>/", views.flow, name="flow"),
    path("flow/<slug:flow_id>/start/", views.start, name="start"),
    path("draft/<int:draft_id>/", views.draft, name="draft"),
    path("draft/<int:draft_id>/step/<int:number>/", views.step, name="step"),
    path("draft/<int:draft_id>/send/", views.send, name="send"),
    path("draft/<int:draft_id>/withdraw/", views.withdraw, name="withdraw"),
    path("draft/<int:draft_id>/delete/", views.delete, name="delete"),
    path("about/<slug:practice_id>/", views.practice, name="practice"),
    path("about/<slug:practice_id>/log/", views.log, name="log"),
    path("log/<int:log_id>/delete/", views.unlog, name="unlog"),
]
