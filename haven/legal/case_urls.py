from django.urls import path

from haven.legal import views

app_name = "case_legal"
urlpatterns = [
    path("", views.case_tab, name="tab"),
]
