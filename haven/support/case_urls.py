from django.urls import path

from haven.support import views

app_name = "case_support"
urlpatterns = [
    path("", views.case_tab, name="tab"),
    path("stays/", views.admit, name="admit"),
    path("stays/<int:stay_id>/discharge/", views.discharge, name="discharge"),
    path("ledger/", views.record, name="record"),
    path("ledger/<int:entry_id>/reverse/", views.reverse_entry, name="reverse"),
    path("proposal/", views.proposal, name="proposal"),
]
