from django.urls import path

from haven.protection import views

app_name = "case_protection"
urlpatterns = [
    path("", views.case_tab, name="tab"),
]
