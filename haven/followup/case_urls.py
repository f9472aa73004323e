from django.urls import path

from haven.followup import views

app_name = "case_followup"
urlpatterns = [
    path("", views.case_tab, name="tab"),
]
