"""The installable guide: its web app manifest and the service worker that keeps a saved
routine's guided session working offline (the browser's side: tests/browser/test_offline.py)."""

import json
import re

import pytest
from csp.utils import build_policy
from django.contrib.staticfiles import finders
from django.templatetags.static import static
from PIL import Image

from acupressure.caching import code_version
from routines.models import Routine

pytestmark = pytest.mark.django_db

RELEASE = re.compile(r"\Aconst RELEASE = (\{.*?\n\});\n", re.DOTALL)


def release_of(response):
    return json.loads(RELEASE.match(response.content.decode())[1])


def test_the_service_worker_is_served_from_the_root_and_always_revalidated(client):
    response = client.get("/sw.js")
    assert response.status_code == 200
    assert response["Content-Type"] == "text/javascript; charset=utf-8"
    assert response["Cache-Control"] == "no-cache"
    assert response["ETag"]
    assert "Set-Cookie" not in response.headers
    script = response.content.decode()
    assert 'self.addEventListener("fetch"' in script
    # Asked again with its ETag, as browsers do when they check for an update.
    again = client.get("/sw.js", headers={"if-none-match": response["ETag"]})
    assert again.status_code == 304


def test_the_service_worker_names_the_release(client):
    release = release_of(client.get("/sw.js"))
    assert release["version"].startswith(f"{code_version()}-")
    # Another release's worker is another script, so browsers install it.
    assert release["version"] in client.get("/sw.js").content.decode()


def test_a_new_release_is_a_new_worker(client, monkeypatch):
    before = release_of(client.get("/sw.js"))["version"]
    monkeypatch.setattr("acupressure.views.code_version", lambda: "0123456789ab")
    after = release_of(client.get("/sw.js"))["version"]
    assert after != before
    assert after.startswith("0123456789ab-")


def test_the_service_worker_keeps_only_saved_routines_sessions(client):
    session_path = re.compile(release_of(client.get("/sw.js"))["sessionPath"])
    for path in ("/r/abc_DEF-123/session/", "/es/r/abc/session/", "/de/r/abc/session/"):
        assert session_path.match(path), path
    for path in (
        "/routine/session/",
        "/es/routine/session/",
        "/routine/",
        "/r/abc/",
        "/r/abc/print/",
        "/r/abc/session/extra/",
        "/points/",
    ):
        assert not session_path.match(path), path


def test_the_worker_finds_every_file_a_session_needs_its_later_script_too(client):
    release = release_of(client.get("/sw.js"))
    routine = Routine.objects.filter(is_suggestion=True).first()
    html = client.get(f"/r/{routine.token}/session/").content.decode()
    named = re.findall(release["staticReference"], html)
    assert static("js/session.js") in named
    assert static("css/session.css") in named
    # The pain log's script is loaded on the first save, not with the page, and is kept all
    # the same: that save may come offline.
    assert f'<script src="{static("js/pain-log.js")}"' not in html
    assert static("js/pain-log.js") in named


def test_the_offline_page_comes_in_every_language_under_the_sites_policy(client):
    release = release_of(client.get("/sw.js"))
    pages = dict(release["offlinePages"])
    assert list(pages) == ["/es/", "/de/", "/"]
    assert '<html lang="es">' in pages["/es/"]
    assert '<html lang="de">' in pages["/de/"]
    assert '<html lang="en">' in pages["/"]
    assert "You are offline" in pages["/"]
    # Nothing per-visitor, and no script: only the stylesheet the worker keeps with it.
    for html in pages.values():
        assert "<script" not in html
        assert "csrf" not in html.lower()
        assert re.findall(release["staticReference"], html) == [
            static("favicon.svg"),
            static("css/site.css"),
        ]
    assert release["contentSecurityPolicy"] == build_policy()


def test_the_policy_lets_the_site_run_its_worker_and_manifest(client):
    policy = client.get("/")["Content-Security-Policy"]
    assert "worker-src 'self'" in policy
    assert "manifest-src 'self'" in policy
    assert "default-src 'none'" in policy


@pytest.mark.parametrize(
    ("path", "language", "start_url", "name"),
    [
        ("/manifest.webmanifest", "en", "/", "Acupressure guide"),
        ("/es/manifest.webmanifest", "es", "/es/", "Guía de acupresión"),
        ("/de/manifest.webmanifest", "de", "/de/", None),
    ],
)
def test_the_manifest_makes_the_guide_installable(client, path, language, start_url, name):
    response = client.get(path)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/manifest+json"
    assert response["Cache-Control"] == "no-cache"
    manifest = json.loads(response.content)
    assert manifest["lang"] == language
    assert manifest["start_url"] == start_url
    assert manifest["id"] == "/"
    assert manifest["scope"] == "/"
    assert manifest["display"] == "standalone"
    if name:
        assert manifest["name"] == name
    assert manifest["short_name"]
    assert manifest["theme_color"] == "#1f6f68"
    assert manifest["background_color"] == "#fbfaf7"
    icons = {icon["sizes"]: icon for icon in manifest["icons"]}
    assert icons["any"] == {"src": static("favicon.svg"), "sizes": "any", "type": "image/svg+xml"}
    assert icons["192x192"]["src"] == static("icons/icon-192.png")
    assert icons["512x512"]["src"] == static("icons/icon-512.png")


@pytest.mark.parametrize("size", [192, 512])
def test_the_app_icons_are_pngs_of_their_size(size):
    with Image.open(finders.find(f"icons/icon-{size}.png")) as image:
        assert image.format == "PNG"
        assert image.size == (size, size)


def test_every_page_links_the_manifest_and_the_worker(client):
    page = client.get("/es/points/").content.decode()
    assert (
        '<link rel="manifest" href="/es/manifest.webmanifest" data-service-worker="/sw.js">' in page
    )


def test_the_manifest_and_worker_take_no_posts(client):
    assert client.post("/sw.js").status_code == 405
    assert client.post("/manifest.webmanifest").status_code == 405
