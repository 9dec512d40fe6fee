"""When to get help is said in one place only: red flags (with their tier) and cautions.

A pain type's advice once told readers to see a doctor if their sciatica "affects both
legs", while the red flags on the same page, like the NHS, said that means emergency care
now. Free text cannot be kept consistent with the tiered, sourced records by hand, so it
may not give care advice at all: every translated field of every other model is checked
for the words such advice needs (doctor, A&E, 112, Arzt, médico…), in its own language,
whenever it is validated (the admin, a content import).
"""

import re

from django.conf import settings
from django.core.exceptions import ValidationError
from modeltranslation.translator import NotRegistered, translator
from modeltranslation.utils import build_localized_fieldname

# Phone numbers are the same words in every language; not part of a longer number.
NUMBERS = r"(?<![\d.,])(?:999|112|911|111|116 ?117)(?![\d.,])"

CARE_WORDS = {
    "en": [
        r"\bdoctors?\b",
        r"\bGPs?\b",
        r"\bA&E\b",
        r"\bemergenc(?:y|ies)\b",
        r"\burgent(?:ly)?\b",
        r"\bambulance\b",
        r"\bhospital\b",
        r"\bphysio(?:therapist)?s?\b",
        r"\bmidwife\b",
        r"\bNHS\b",
        r"\bmedical (?:help|care|advice)\b",
    ],
    "es": [
        r"\bm[ée]dic[oa]s?\b",
        r"\burgencias?\b",
        r"\bemergencias?\b",
        r"\bambulancia\b",
        r"\bhospital\b",
        r"\bfisioterapeutas?\b",
        r"\bmatrona\b",
        r"\batenci[óo]n m[ée]dica\b",
    ],
    "de": [
        r"\bÄrzt(?:in|e|innen)?\b",
        r"\bArzt\b",
        r"\bärztlich",
        r"\bNot(?:aufnahme|ruf|fall|arzt)",
        r"\bKrankenhaus\b",
        r"\bPhysiotherap",
        r"\bHebamme\b",
        r"\bRettungsdienst\b",
        r"\bBereitschaftsdienst\b",
    ],
}
PATTERNS = {
    code: re.compile("|".join([NUMBERS, *words]), re.IGNORECASE)
    for code, words in CARE_WORDS.items()
}


def care_advice_in(text, code):
    """The words of `text` (in language `code`) that only care advice needs."""
    pattern = PATTERNS.get(code, PATTERNS[settings.LANGUAGE_CODE])
    return [match.group(0) for match in pattern.finditer(text or "")]


def check_no_care_advice(obj):
    """Refuse care advice in the translated fields of `obj`, in every language."""
    try:
        fields = sorted(translator.get_options_for_model(type(obj)).fields)
    except NotRegistered:
        return
    errors = {}
    for field in fields:
        for code, _ in settings.LANGUAGES:
            name = build_localized_fieldname(field, code)
            found = care_advice_in(getattr(obj, name, ""), code)
            if found:
                errors[name] = (
                    f"Say when to get help in a red flag or a caution, not here (found "
                    f"“{found[0]}”): text here could contradict their tiers."
                )
    if errors:
        raise ValidationError(errors)
