from django.urls import path

from reporting import views

app_name = "reporting"

urlpatterns = [
    path("report/", views.start, name="start"),
    path("report/step/<slug:slug>/", views.step, name="step"),
    path("report/where/describe/", views.where_describe, name="where_describe"),
    path("report/call-999/", views.emergency, name="emergency"),
    path("report/check/", views.check, name="check"),
    path("report/sent/", views.confirmation, name="confirmation"),
    path("report/photo/<str:key>/", views.pending_photo, name="pending_photo"),
    path("report/track/<str:token>/", views.track, name="track"),
    path("report/find/", views.find, name="find"),
    path("report/find/sent/", views.find_sent, name="find_sent"),
    path("report/feedback/<str:token>/", views.callback, name="callback"),
]
