from django.urls import path

from haven.followup import views

app_name = "case_followup"
urlpatterns = [
    path("", views.case_tab, name="tab"),
    path("assessments/", views.assessment_new, name="assessment_new"),
    path("assessments/<int:assessment_id>/submit/", views.assessment_submit_view, name="assessment_submit"),
    path("assessments/<int:assessment_id>/decide/", views.assessment_decide_view, name="assessment_decide"),
    path("plans/", views.plan_new, name="plan_new"),
    path("plans/<int:plan_id>/visits/", views.visit_new, name="visit_new"),
    path("plans/<int:plan_id>/reception/", views.reception_new, name="reception_new"),
]
