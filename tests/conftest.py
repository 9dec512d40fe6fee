import io
import sqlite3
import uuid

import pytest
from django.conf import settings
from django.core.management import call_command
from django.db import connections

from tests.pages import EDITOR_PASSWORD
from tools.server import GUIDE_CONTENT, collect_static, prepare_database, site_env

# Read before pytest-django points the connection at a test database.
REAL_DATABASE_NAME = settings.DATABASES["default"]["NAME"]


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    """The test database holds the guide's content, loaded from its file as `make run`
    loads it (the migrations make only the tables)."""
    if connections["default"].settings_dict["NAME"] == REAL_DATABASE_NAME:
        # No test of this run uses the database (the gunicorn tests bring their own), so
        # pytest-django made no test database: never load content into a real one.
        yield
        return
    with django_db_blocker.unblock():
        call_command("import_content", str(GUIDE_CONTENT), stdout=io.StringIO())
        # Transactional tests put back this copy of the database after their flush.
        serialized = [
            connection
            for connection in connections.all(initialized_only=True)
            if hasattr(connection, "_test_serialized_contents")
        ]
        for connection in serialized:
            connection._test_serialized_contents = connection.creation.serialize_db_to_string()
    with pytest.MonkeyPatch.context() as patch:
        for connection in serialized:
            if connection.vendor == "sqlite":
                restore_sqlite_from_a_copy(patch, connection)
        yield


def restore_sqlite_from_a_copy(patch, connection):
    """Put SQLite's test database back with SQLite's backup API instead of Django's
    object-by-object load of the serialized copy: the same rows in about 5 ms, not 430 ms,
    which every browser test (a transactional test) pays once."""
    copy = sqlite3.connect(":memory:", check_same_thread=False)
    connection.connection.backup(copy)
    serialized = connection._test_serialized_contents
    load_serialized = type(connection.creation).deserialize_db_from_string

    def deserialize_db_from_string(creation, data):
        if data is not serialized:
            return load_serialized(creation, data)
        creation.connection.ensure_connection()
        copy.backup(creation.connection.connection)

    patch.setattr(
        type(connection.creation), "deserialize_db_from_string", deserialize_db_from_string
    )


@pytest.fixture(scope="session")
def empty_static_root(tmp_path_factory):
    return tmp_path_factory.mktemp("staticfiles")


# For the tests that run the site under gunicorn (tools/server.py): made once a session.


@pytest.fixture(scope="session")
def static_root(tmp_path_factory):
    """Collected static files, which every Server(static_root=...) serves."""
    folder = tmp_path_factory.mktemp("server-static")
    collect_static(folder)
    return folder


@pytest.fixture(scope="session")
def database_template(tmp_path_factory):
    """One migrated SQLite database; Server(database_template=...) starts from a copy."""
    folder = tmp_path_factory.mktemp("server-database")
    prepare_database(site_env(folder))
    return folder / "db.sqlite3"


# For every test


@pytest.fixture(autouse=True)
def plain_static_storage(settings, empty_static_root):
    # The manifest storage needs collectstatic first; tests render templates without it and
    # serve static files through the finders. An empty STATIC_ROOT keeps whitenoise from
    # reading a collectstatic folder that a developer's `make run` may be rewriting.
    settings.STATIC_ROOT = empty_static_root
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }


@pytest.fixture(autouse=True)
def fast_password_hashing(settings):
    # The real hasher is slow on purpose; tests sign in hundreds of times.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def page_cache_in_memory(settings):
    # Each test starts with an empty cache of its own, never the files of `make run`.
    settings.CACHES = {
        alias: {
            "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
            "LOCATION": f"tests-{alias}-{uuid.uuid4()}",
        }
        for alias in ("default", "bulk")
    }


@pytest.fixture
def editor(client):
    """A member of the Editors group, signed in on `client` (staff, not a superuser), with
    the profile readers see beside a review: Ada Editor, physiotherapist."""
    from django.contrib.auth.models import Group, User

    from acupressure.models import EditorProfile

    user = User.objects.create_user("editor", password=EDITOR_PASSWORD, is_staff=True)
    user.groups.add(Group.objects.get(name="Editors"))
    EditorProfile.objects.create(user=user, name="Ada Editor", role="physiotherapist")
    client.force_login(user)
    return user
