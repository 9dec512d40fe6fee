"""When to get help is said only by red flags (with their tier) and cautions: free text
anywhere else that sends readers to a doctor could contradict them."""

import json
from io import StringIO

import pytest
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.core.management.base import CommandError
from modeltranslation.translator import NotRegistered, translator

from acupressure.content_files import content_labels, content_model, in_scope
from points.care_advice import care_advice_in
from points.models import Caution, PainType, Point, RedFlag
from tools.server import GUIDE_CONTENT

pytestmark = pytest.mark.django_db

# Advice of the kind a pain type must not give: its "both legs" means "see a doctor",
# while the emergency tier of the same page says to get emergency care now.
CONTRADICTING_SCIATICA_ADVICE = {
    "en": "Gentle movement and a break from what makes it worse may help. See a doctor if it "
    "lasts more than a few weeks, keeps getting worse, or affects both legs.",
    "es": "Moverse con suavidad y descansar de lo que lo empeora puede ayudar. Consulte a un "
    "médico si dura más de unas semanas, sigue empeorando o afecta a las dos piernas.",
    "de": "Sanfte Bewegung und eine Pause von allem, was die Schmerzen verschlimmert, können "
    "helfen. Gehen Sie zum Arzt oder zur Ärztin, wenn sie länger als einige Wochen anhalten, "
    "immer schlimmer werden oder beide Beine betreffen.",
}
# Where care advice belongs.
ADVICE_MODELS = {"points.redflag", "points.caution", "points.pointcaution"}


@pytest.mark.parametrize("language", CONTRADICTING_SCIATICA_ADVICE)
def test_contradicting_sciatica_advice_is_caught_in_every_language(language):
    assert care_advice_in(CONTRADICTING_SCIATICA_ADVICE[language], language)


@pytest.mark.parametrize(
    ("text", "language"),
    [
        ("Call 999 or go to A&E.", "en"),
        ("Phone 111 for advice.", "en"),
        ("Llame al 112 o vaya a urgencias.", "es"),
        ("Rufen Sie die 112 oder den Bereitschaftsdienst unter 116117 an.", "de"),
        ("Lassen Sie es ärztlich abklären.", "de"),
    ],
)
def test_numbers_and_places_of_care_are_caught(text, language):
    assert care_advice_in(text, language)


@pytest.mark.parametrize(
    ("text", "language"),
    [
        ("Hold for 30 to 90 seconds, 2 to 3 times a day.", "en"),
        ("Between L2 and L3, 1.5 cun from the midline.", "en"),
        ("Se usa tradicionalmente para el dolor lumbar.", "es"),
        ("Er wird traditionell bei Ischiasschmerzen angewendet.", "de"),
    ],
)
def test_ordinary_guide_text_passes(text, language):
    assert care_advice_in(text, language) == []


def free_text_fields(model):
    try:
        return sorted(translator.get_options_for_model(model).fields)
    except NotRegistered:
        return []


def test_no_free_text_of_the_guide_gives_care_advice_in_any_language():
    found = []
    for label in content_labels():
        if label in ADVICE_MODELS:
            continue
        model = content_model(label)
        for row in in_scope(label):
            for field in free_text_fields(model):
                for language, _ in settings.LANGUAGES:
                    text = getattr(row, f"{field}_{language}") or ""
                    if words := care_advice_in(text, language):
                        found.append((label, str(row), f"{field}_{language}", words))
    assert found == []
    # The check reads something: the free text is there in all three languages.
    assert PainType.objects.get(slug="sciatica").advice_de


def test_the_sciatica_page_does_not_send_both_legs_to_a_doctor(client):
    page = client.get("/pain/sciatica/").content.decode()
    assert "affects both legs" not in page
    assert "sciatica in both legs; possible cauda equina syndrome" in page


def test_an_editor_cannot_save_care_advice_in_a_pain_type():
    sciatica = PainType.objects.get(slug="sciatica")
    sciatica.advice_es = CONTRADICTING_SCIATICA_ADVICE["es"]
    with pytest.raises(ValidationError) as refusal:
        sciatica.full_clean()
    assert "advice_es" in refusal.value.message_dict
    assert "red flag or a caution" in refusal.value.message_dict["advice_es"][0]


def test_red_flags_and_cautions_may_say_when_to_get_help():
    RedFlag.objects.get(key="loss-of-bladder-or-bowel-control").full_clean()
    caution = Caution.objects.get(key="blood-thinners-or-a-bleeding-disorder")
    assert care_advice_in(caution.text, "en")
    caution.full_clean()


def test_a_release_with_care_advice_in_free_text_is_refused(tmp_path):
    entries = json.loads(GUIDE_CONTENT.read_text(encoding="utf-8"))
    for entry in entries:
        if entry["model"] == "points.point" and entry["fields"]["code"] == "BL23":
            entry["fields"]["technique_en"] += " See your GP if it hurts."
    path = tmp_path / "release.json"
    path.write_text(json.dumps(entries), encoding="utf-8")

    with pytest.raises(CommandError) as refusal:
        call_command("import_content", str(path), stdout=StringIO())

    assert "BL23" in str(refusal.value)
    assert "technique_en" in str(refusal.value)
    assert "GP" not in Point.objects.get(code="BL23").technique_en
