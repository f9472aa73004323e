from django.urls import path

from haven.research import views

app_name = "research"
urlpatterns = [
    path("", views.index, name="index"),
]
