from django.urls import path

from haven.referrals import views

app_name = "referrals"
urlpatterns = [
    path("", views.inbox, name="inbox"),
]
