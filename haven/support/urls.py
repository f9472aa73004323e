from django.urls import path

from haven.support import views

app_name = "support"
urlpatterns = [
    path("", views.index, name="index"),
    path("entries/<int:entry_id>/decide/", views.decide, name="decide"),
    path("funding/", views.funding_add, name="funding_add"),
    path("funding/<int:source_id>/deactivate/", views.funding_deactivate, name="funding_deactivate"),
]
