from django.urls import path

from haven.referrals import views

app_name = "case_referrals"
urlpatterns = [
    path("", views.case_tab, name="tab"),
]
