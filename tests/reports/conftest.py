"""Reports tests: the 2020 national figures as a synthetic data set, and persona helpers."""

from __future__ import annotations

from typing import Any

import pytest
from django.contrib.auth.models import Permission

from haven.accounts.models import Role
from haven.reports.fixtures2020 import Built, build_2020
from tests.api.conftest import api, openapi_schema, schema_checker  # noqa: F401
from tests.factories import World, user


def grant_official(person: Any) -> Any:
    person.user_permissions.add(Permission.objects.get(codename="view_official_statistics"))
    return type(person).objects.get(pk=person.pk)  # a fresh object: the permission cache is per instance


@pytest.fixture
def figures2020(db) -> Built:  # noqa: ANN001
    return build_2020()


@pytest.fixture
def official_statistician(world: World) -> Any:
    return grant_official(user(world.statistician.agency, Role.STATISTICIAN, "stats_official"))


@pytest.fixture
def official_supervisor(world: World) -> Any:
    return grant_official(user(world.owner_agency, Role.SUPERVISOR, "sup_official"))
