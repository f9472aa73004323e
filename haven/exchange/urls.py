from django.urls import path

from haven.exchange import views

app_name = "exchange"
urlpatterns = [
    path("", views.index, name="index"),
]
