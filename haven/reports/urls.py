from django.urls import path, re_path

from haven.reports import views

app_name = "reports"
urlpatterns = [
    path("", views.index, name="index"),
    re_path(r"^download\.(?P<fmt>csv|xlsx|pdf)$", views.download, name="download"),
    path("release/", views.release, name="release"),
    path("budgets/", views.budgets, name="budgets"),
]
