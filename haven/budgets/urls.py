from django.urls import path

from haven.budgets import views

app_name = "budgets"
urlpatterns = [
    path("", views.index, name="index"),
]
