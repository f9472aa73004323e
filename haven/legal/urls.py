from django.urls import path

from haven.legal import views

app_name = "legal"
urlpatterns = [
    path("", views.index, name="index"),
]
