from django.urls import path

from haven.referrals import views

app_name = "case_referrals"
urlpatterns = [
    path("", views.case_tab, name="tab"),
    path("preview/", views.preview, name="preview"),
    path("send/", views.send, name="send"),
    path("<int:referral_id>/cancel/", views.cancel, name="cancel"),
    path("transfer/", views.transfer_new, name="transfer"),
    path("transfers/<int:transfer_id>/cancel/", views.transfer_withdraw, name="transfer_cancel"),
]
