"""Integrity is kept by the database itself, whatever writes to it."""

import datetime as dt

import pytest
from django.db import IntegrityError, transaction

from missions.models import Country, Deployment, Mission


@pytest.fixture
def mexico(db):
    return Country.objects.get(iso3="MEX")


@pytest.fixture
def minurso(db):
    return Mission.objects.get(acronym="MINURSO")


def deployment(**fields):
    return Deployment(**{"month": dt.date(2030, 1, 1), "personnel_type": "experts", "source": "un",
                         "total": 3, "male": 2, "female": 1, **fields})


@pytest.mark.parametrize("fields", [
    {"total": -1, "male": None, "female": None},
    {"male": -1, "female": 4, "total": 3},
    {"male": 2, "female": 2, "total": 3},
])
def test_it_rejects_impossible_counts(mexico, minurso, fields):
    with pytest.raises(IntegrityError), transaction.atomic():
        deployment(country=mexico, mission=minurso, **fields).save()


def test_a_deployment_row_is_unique(mexico, minurso):
    deployment(country=mexico, mission=minurso).save()
    with pytest.raises(IntegrityError), transaction.atomic():
        deployment(country=mexico, mission=minurso).save()


def test_a_country_total_without_mission_is_unique_too(mexico):
    deployment(country=mexico, mission=None).save()
    with pytest.raises(IntegrityError), transaction.atomic():
        deployment(country=mexico, mission=None).save()


def test_a_mission_cannot_end_before_it_starts(db):
    with pytest.raises(IntegrityError), transaction.atomic():
        Mission.objects.create(acronym="TESTX", name="Test", start_date=dt.date(2020, 1, 1),
                               end_date=dt.date(2019, 1, 1))
