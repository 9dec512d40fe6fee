import importlib
from io import StringIO

import pytest
from django.core.management import call_command
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from points.models import (
    Benefit,
    BodyView,
    Caution,
    Condition,
    Meridian,
    Point,
    PointMarker,
    RedFlag,
    Reference,
    Tip,
)
from tests.factories import make_point

guide_content = importlib.import_module("points.migrations.0003_guide_content")
body_view_content = importlib.import_module("points.migrations.0005_body_view_content")
suggested_routines = importlib.import_module("routines.migrations.0002_suggested_routines")
safety_content = importlib.import_module("points.migrations.0011_safety_content")
safety_sources = importlib.import_module("points.migrations.0012_safety_sources")
english_translations = importlib.import_module("points.migrations.0014_english_translations")
chinese_names = importlib.import_module("points.migrations.0015_chinese_names")
spanish_german = importlib.import_module("points.migrations.0017_spanish_german")

CONTENT_MODELS = [Meridian, Point, Condition, RedFlag, Reference, Benefit, Tip]
DIAGRAM_MODELS = [BodyView, PointMarker]


@pytest.mark.django_db
def test_no_model_change_lacks_a_migration():
    out = StringIO()
    # --check exits with status 1 when a migration is missing, failing the test.
    call_command("makemigrations", "--check", "--dry-run", stdout=out, stderr=out)
    assert "No changes detected" in out.getvalue()


def historical_apps(migration):
    executor = MigrationExecutor(connection)
    return executor.loader.project_state(("points", migration)).apps


def unload_all_content():
    # In reverse order, as `migrate points 0002` would: the suggested routines that use the
    # points, then the markers, then the guide.
    suggested_routines.unload_suggestions(
        MigrationExecutor(connection)
        .loader.project_state(("routines", "0002_suggested_routines"))
        .apps,
        None,
    )
    body_view_content.unload_views(historical_apps("0005_body_view_content"), None)
    # 0012 replaced some of 0011's sources and texts: back to 0011's first, which puts
    # back the references 0011's reverse then removes.
    safety_sources.unload_sources(historical_apps("0012_safety_sources"), None)
    # The safety content of 0011 rewrote some of 0003's rows: back to 0003's first.
    safety_content.unload_safety(historical_apps("0011_safety_content"), None)
    guide_content.unload_guide(historical_apps("0003_guide_content"), None)


def load_translations():
    """What the later migrations add to rows the earlier ones (re)wrote: the English of
    each translated field beside it (the page reads that one), Chinese names, Spanish and
    German."""
    english_translations.copy_to_english(historical_apps("0014_english_translations"), None)
    chinese_names.add_names(historical_apps("0015_chinese_names"), None)
    spanish_german.add_translations(historical_apps("0017_spanish_german"), None)


@pytest.mark.django_db
def test_content_migrations_reverse_and_load_again():
    counts = {model: model.objects.count() for model in CONTENT_MODELS + DIAGRAM_MODELS}

    unload_all_content()

    assert all(not model.objects.exists() for model in CONTENT_MODELS + DIAGRAM_MODELS)

    guide_content.load_guide(historical_apps("0003_guide_content"), None)
    body_view_content.load_views(historical_apps("0005_body_view_content"), None)
    safety_content.load_safety(historical_apps("0011_safety_content"), None)
    safety_sources.load_sources(historical_apps("0012_safety_sources"), None)
    load_translations()

    assert {model: model.objects.count() for model in CONTENT_MODELS + DIAGRAM_MODELS} == counts
    assert Point.objects.get(code="LI4").cautions.filter(title="Pregnancy").exists()
    assert PointMarker.objects.get(point__code="BL62").view.slug == "outer-foot"


@pytest.mark.django_db
def test_reversing_the_content_keeps_what_editors_added():
    bladder = Meridian.objects.get(code="BL")
    added = make_point(meridian=bladder, number=60, code="BL60")

    unload_all_content()

    assert Point.objects.filter(pk=added.pk).exists()
    assert Meridian.objects.filter(code="BL").exists()
    assert not Point.objects.filter(code="BL40").exists()
    assert not Meridian.objects.filter(code="GB").exists()


@pytest.mark.django_db
def test_reversing_the_safety_sources_puts_back_0011s_and_keeps_editors_texts():
    apps = historical_apps("0012_safety_sources")
    joint = RedFlag.objects.get(key="a-hot-red-swollen-joint-or-one-you-cannot-put")
    joint.text = "An editor's own words"
    joint.save()

    safety_sources.unload_sources(apps, None)
    load_translations()

    head = RedFlag.objects.get(key="headache-after-a-blow-to-the-head")
    assert head.text == "Headache after a blow to the head"
    assert not head.emergency
    assert not head.references.exists()
    joint.refresh_from_db()
    assert (joint.text, joint.emergency) == ("An editor's own words", False)
    assert RedFlag.objects.get(text="Losing weight without trying").references.count() == 4
    assert Reference.objects.get(site_name="Daily Mail").cautions.count() == 2
    assert not Reference.objects.filter(url__contains="111.wales.nhs.uk").exists()
    assert "BL60 and GB21" in Caution.objects.get(key="pregnancy").text

    safety_sources.load_sources(apps, None)
    load_translations()

    assert "GB21" not in Caution.objects.get(key="pregnancy").text

    head.refresh_from_db()
    assert head.emergency
    assert head.text == "A headache after a blow to the head that painkillers do not ease"
    assert not Reference.objects.filter(site_name="Daily Mail").exists()
    assert RedFlag.objects.get(text="Losing weight without trying").references.count() == 3
