"""The service directory's pages, mounted at /directory/."""

from django.urls import path

from haven.directory import views

app_name = "directory"
urlpatterns = [
    path("", views.index, name="index"),
    path("gaps/", views.gaps, name="gaps"),
    path("manage/", views.manage, name="manage"),
    path("offerings/new/", views.new, name="new"),
    path("offerings/<int:offering_id>/", views.detail, name="detail"),
    path("offerings/<int:offering_id>/edit/", views.edit, name="edit"),
    path("offerings/<int:offering_id>/deactivate/", views.deactivate, name="deactivate"),
    path("offerings/<int:offering_id>/reactivate/", views.reactivate, name="reactivate"),
]
