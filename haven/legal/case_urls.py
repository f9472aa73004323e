from django.urls import path

from haven.legal import views

app_name = "case_legal"
urlpatterns = [
    path("", views.case_tab, name="tab"),
    path("proceedings/", views.proceeding_new, name="proceeding_new"),
    path("proceedings/<int:proceeding_id>/stage/", views.proceeding_stage, name="proceeding_stage"),
    path("legal-aid/", views.aid_new, name="aid_new"),
    path("legal-aid/<int:aid_id>/decide/", views.aid_decide, name="aid_decide"),
    path("verdicts/", views.verdict_new, name="verdict_new"),
    path("awards/<int:award_id>/payments/", views.payment_new, name="payment_new"),
    path("payments/<int:payment_id>/reverse/", views.payment_reversal, name="payment_reverse"),
    path("awards/<int:award_id>/enforcement/", views.step_new, name="step_new"),
]
