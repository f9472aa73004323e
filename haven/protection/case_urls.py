from django.urls import path

from haven.protection import views

app_name = "case_protection"
urlpatterns = [
    path("", views.case_tab, name="tab"),
    path("assessments/", views.assess, name="assess"),
    path("threats/", views.threat, name="threat"),
    path("reviews/", views.review, name="review"),
    path("measures/", views.measure, name="measure"),
    path("measures/<int:measure_id>/<str:step>/", views.measure_step, name="measure_step"),
]
