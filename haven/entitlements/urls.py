"""The Entitlements tab of a case page, mounted under /cases/<code>/entitlements/."""

from django.urls import path

from haven.entitlements import views

app_name = "entitlements"
urlpatterns = [
    path("", views.tab, name="tab"),
    path("facts/", views.facts, name="facts"),
    path("applications/", views.application_new, name="application_new"),
    path("applications/<int:application_id>/step/", views.step_complete, name="step_complete"),
    path("applications/<int:application_id>/decide/", views.decide, name="decide"),
    path("statement.pdf", views.statement, name="statement"),
]
