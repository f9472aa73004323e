"""Pages of the rights scorecard (mounted under /research/<study>/ by haven/research/urls.py)."""

from __future__ import annotations

from django.urls import URLPattern

urlpatterns: list[URLPattern] = []
