from django.urls import path, register_converter

from haven.cases import views, views_consent


class CaseCodeConverter:
    """Case codes are short letters, digits and dashes; anything else is a 404 before any lookup."""

    regex = "[A-Za-z0-9-]{1,20}"

    def to_python(self, value: str) -> str:
        return value

    def to_url(self, value: str) -> str:
        return value


register_converter(CaseCodeConverter, "casecode")

app_name = "cases"
urlpatterns = [
    path("", views.case_list, name="list"),
    path("new/", views.register, name="register"),
    path("communes/", views.communes, name="communes"),
    path("break-glass/", views.break_glass, name="break_glass"),
    path("break-glass/<int:grant_id>/review/", views.break_glass_review_view, name="break_glass_review"),
    path("signoffs/", views.signoffs, name="signoffs"),
    path("signoffs/<int:signoff_id>/sign/", views.signoff_sign_view, name="signoff_sign"),
    path("<casecode:code>/", views.overview, name="overview"),
    path("<casecode:code>/step/<slug:step>/", views.step, name="step"),
    path("<casecode:code>/assign/", views.assign, name="assign"),
    path("<casecode:code>/identity/", views.identity, name="identity"),
    path("<casecode:code>/identity/edit/", views.identity_edit, name="identity_edit"),
    path("<casecode:code>/signoffs/", views.signoffs_tab, name="signoffs_tab"),
    path("<casecode:code>/seen-by/", views.seen_by, name="seen_by"),
    path("<casecode:code>/consent/", views_consent.consent, name="consent"),
    path("<casecode:code>/consent/withdraw/", views_consent.withdraw, name="consent_withdraw"),
]
