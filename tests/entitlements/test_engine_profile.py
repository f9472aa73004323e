"""Profile parsing: every bad input gives a clear message naming the profile and the field."""

from __future__ import annotations

import datetime as dt

import pytest

from haven.entitlements.engine import ProfileError, evaluate, parse_profile, parse_profiles

BASE = {"id": "P1", "category": "victim", "nationality": "VN", "located": "vietnam", "identified_on": "2024-03-01"}


def test_minimal_profile_parses_with_unknowns_as_none() -> None:
    p = parse_profile(BASE)
    assert p.identified_on == dt.date(2024, 3, 1)
    assert p.poor_household is None and p.shelter_stay is None


def test_sex_words_are_normalised() -> None:
    assert parse_profile({**BASE, "sex": "female"}).sex == "F"


@pytest.mark.parametrize(("change", "message"), [
    ({"category": "refugee"}, "category: 'refugee' is not one of victim"),
    ({"nationality": "Vietnam"}, "nationality: 'Vietnam' must be VN, stateless_resident or an ISO 3166"),
    ({"nationality": "XX"}, "ISO 3166"),
    ({"located": "home"}, "located"),
    ({"birth_date": "2020-13-01"}, "birth_date: '2020-13-01' is not a date"),
    ({"birth_date": "1/2/2020"}, "birth_date"),
    ({"poor_household": "yes"}, "poor_household: 'yes' must be true, false or null"),
    ({"province": "Lào Cai"}, "province"),
    ({"sex": "woman"}, "sex"),
    ({"povr_household": True}, "povr_household: unknown field"),
    ({"shelter_stay": {"from": "2024-03-05", "to": "2024-03-01"}}, "before from"),
    ({"shelter_stay": {"start": "2024-03-05"}}, "shelter_stay"),
    ({"identified_on": None}, "identified_on: is required for a victim"),
    ({"category": "under_identification"}, "identified_on: must be null"),
    ({"id": ""}, "id must be"),
    ({"located": None}, "located: is required"),
])
def test_bad_fields_are_named(change: dict, message: str) -> None:
    with pytest.raises(ProfileError, match=message.replace("(", r"\(")):
        parse_profile({**BASE, **change})


def test_accompanying_minor_needs_the_victims_date() -> None:
    minor = {**BASE, "category": "accompanying_minor", "identified_on": None}
    with pytest.raises(ProfileError, match="accompanies: is required"):
        parse_profile(minor)


def test_duplicate_ids_are_refused() -> None:
    with pytest.raises(ProfileError, match="appears more than once"):
        parse_profiles([BASE, BASE])


def test_input_must_be_a_list() -> None:
    with pytest.raises(ProfileError, match="JSON list"):
        parse_profiles(BASE)


def test_identification_after_the_evaluation_date_is_refused() -> None:
    with pytest.raises(ProfileError, match="after the evaluation date"):
        evaluate(BASE, dt.date(2024, 2, 1))


def test_evaluation_before_decree_09_is_refused() -> None:
    with pytest.raises(ValueError, match="before 2013-04-15"):
        evaluate({**BASE, "identified_on": "2012-05-01"}, dt.date(2013, 1, 1))
