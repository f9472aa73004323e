from django.contrib import admin
from django.urls import include, path

from haven.api import api

urlpatterns = [
    path("", include("haven.core.urls")),
    path("accounts/", include("haven.accounts.urls")),
    path("cases/", include("haven.cases.urls")),
    path("cases/<casecode:code>/entitlements/", include("haven.entitlements.urls")),
    path("cases/<casecode:code>/referrals/", include("haven.referrals.case_urls")),
    path("cases/<casecode:code>/support/", include("haven.support.case_urls")),
    path("cases/<casecode:code>/protection/", include("haven.protection.case_urls")),
    path("cases/<casecode:code>/follow-up/", include("haven.followup.case_urls")),
    path("cases/<casecode:code>/justice/", include("haven.legal.case_urls")),
    path("protection/", include("haven.protection.urls")),
    path("follow-up/", include("haven.followup.urls")),
    path("justice/", include("haven.legal.urls")),
    path("reports/", include("haven.reports.urls")),
    path("exchange/", include("haven.exchange.urls")),
    path("research/", include("haven.research.urls")),
    path("referrals/", include("haven.referrals.urls")),
    path("directory/", include("haven.directory.urls")),
    path("support/", include("haven.support.urls")),
    path("budgets/", include("haven.budgets.urls")),
    path("audit/", include("haven.audit.urls")),
    path("i18n/", include("django.conf.urls.i18n")),
    path("api/", api.urls),
    path("admin/", admin.site.urls),
]
