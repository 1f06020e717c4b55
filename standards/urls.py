from django.urls import path

from standards import views

app_name = "standards"

urlpatterns = [
    path(
        "neighbourhoods/<str:ward_code>/priorities.json",
        views.priorities_feed,
        name="priorities_feed",
    ),
]
