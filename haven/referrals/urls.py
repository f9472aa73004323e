from django.urls import path

from haven.referrals import views

app_name = "referrals"
urlpatterns = [
    path("", views.inbox, name="inbox"),
    path("<int:referral_id>/accept/", views.accept, name="accept"),
    path("<int:referral_id>/decline/", views.decline, name="decline"),
    path("<int:referral_id>/complete/", views.complete, name="complete"),
    path("transfers/<int:transfer_id>/accept/", views.transfer_yes, name="transfer_accept"),
    path("transfers/<int:transfer_id>/decline/", views.transfer_no, name="transfer_decline"),
]
