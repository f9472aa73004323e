from django.urls import path

from haven.protection import views

app_name = "protection"
urlpatterns = [
    path("", views.index, name="index"),
]
