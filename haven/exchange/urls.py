from django.urls import path

from haven.exchange import views

app_name = "exchange"
urlpatterns = [
    path("", views.index, name="index"),
    path("imports/", views.import_new, name="import"),
    path("exports/<str:kind>/", views.export_new, name="export"),
    path("jobs/<int:job_id>/", views.job_detail, name="job"),
    path("jobs/<int:job_id>/cancel/", views.job_cancel, name="cancel"),
    path("jobs/<int:job_id>/download/", views.job_download, name="download"),
]
