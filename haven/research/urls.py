from django.urls import path

from haven.research import report_views, scorecard_views, views

app_name = "research"
urlpatterns = [
    path("", views.index, name="index"),
    path("new/", views.study_new, name="new"),
    path("<int:study_id>/", views.study, name="study"),
    path("<int:study_id>/members/", views.member_new, name="member_new"),
    path("<int:study_id>/members/<int:member_id>/remove/", views.member_remove, name="member_remove"),
    path("<int:study_id>/participants/", views.participant_new, name="participant_new"),
    path("<int:study_id>/participants/<int:participant_id>/consent/", views.participant_consent,
         name="participant_consent"),
    path("<int:study_id>/interviews/", views.interview_new, name="interview_new"),
    path("<int:study_id>/interviews/<int:interview_id>/", views.interview, name="interview"),
    path("<int:study_id>/themes/", views.theme_new, name="theme_new"),
    path("<int:study_id>/memos/", views.memo_new, name="memo_new"),
    path("<int:study_id>/codebook/", views.codebook_import, name="codebook_import"),
    path("<int:study_id>/matrix/", views.matrix, name="matrix"),
    path("<int:study_id>/matrix/<int:participant_id>/<int:theme_id>/", views.cell, name="cell"),
    path("<int:study_id>/export.xlsx", views.export_xlsx, name="export_xlsx"),
    path("<int:study_id>/export.qdpx", views.export_qdpx, name="export_qdpx"),
]
urlpatterns += scorecard_views.urlpatterns + report_views.urlpatterns
