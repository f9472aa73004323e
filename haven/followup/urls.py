from django.urls import path

from haven.followup import views

app_name = "followup"
urlpatterns = [
    path("", views.index, name="index"),
]
