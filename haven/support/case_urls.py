from django.urls import path

from haven.support import views

app_name = "case_support"
urlpatterns = [
    path("", views.case_tab, name="tab"),
]
