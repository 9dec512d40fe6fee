import importlib
from io import StringIO

import pytest
from django.core.management import call_command
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from points.models import Benefit, Condition, Meridian, Point, RedFlag, Reference, Tip
from tests.factories import make_point

guide_content = importlib.import_module("points.migrations.0003_guide_content")

CONTENT_MODELS = [Meridian, Point, Condition, RedFlag, Reference, Benefit, Tip]


@pytest.mark.django_db
def test_no_model_change_lacks_a_migration():
    out = StringIO()
    # --check exits with status 1 when a migration is missing, failing the test.
    call_command("makemigrations", "--check", "--dry-run", stdout=out, stderr=out)
    assert "No changes detected" in out.getvalue()


def historical_apps():
    executor = MigrationExecutor(connection)
    return executor.loader.project_state(("points", "0003_guide_content")).apps


@pytest.mark.django_db
def test_guide_content_migration_reverses_and_loads_again():
    counts = {model: model.objects.count() for model in CONTENT_MODELS}
    apps = historical_apps()

    guide_content.unload_guide(apps, None)

    assert all(not model.objects.exists() for model in CONTENT_MODELS)

    guide_content.load_guide(apps, None)

    assert {model: model.objects.count() for model in CONTENT_MODELS} == counts
    assert Point.objects.get(code="LI4").cautions.filter(title="Pregnancy").exists()


@pytest.mark.django_db
def test_reversing_the_content_keeps_what_editors_added():
    bladder = Meridian.objects.get(code="BL")
    added = make_point(meridian=bladder, number=60, code="BL60")

    guide_content.unload_guide(historical_apps(), None)

    assert Point.objects.filter(pk=added.pk).exists()
    assert Meridian.objects.filter(code="BL").exists()
    assert not Point.objects.filter(code="BL40").exists()
    assert not Meridian.objects.filter(code="GB").exists()
