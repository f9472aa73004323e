from django.urls import path

from haven.budgets import views

app_name = "budgets"
urlpatterns = [
    path("", views.index, name="index"),
    path("adequacy/", views.adequacy, name="adequacy"),
    path("agency/<int:agency_id>/", views.agency, name="agency"),
    path("agency/<int:agency_id>/estimates/", views.estimate_new, name="estimate_new"),
    path("agency/<int:agency_id>/intake/", views.intake_upload, name="intake_upload"),
    path("agency/<int:agency_id>/forecast/", views.forecast, name="forecast"),
    path("agency/<int:agency_id>/export.xlsx", views.export, name="export"),
]
