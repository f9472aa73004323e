from django.urls import path

from haven.accounts import views

app_name = "accounts"
urlpatterns: list = []
