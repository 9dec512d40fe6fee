"""What is translated of an item, and how each translation stands with its English.

django-modeltranslation keeps each language in its own column (points/translation.py);
these helpers read those columns directly, whatever language is active.
"""

import hashlib
import json

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.utils import timezone
from modeltranslation.translator import NotRegistered, translator
from modeltranslation.utils import build_localized_fieldname

from .models import TranslationReview


def translated_fields(obj):
    try:
        return sorted(translator.get_options_for_model(type(obj)).fields)
    except NotRegistered:
        return []


def text_in(obj, field, code):
    return getattr(obj, build_localized_fieldname(field, code)) or ""


def missing_fields(obj, code):
    """The fields written in English that have no text in this language yet."""
    return [
        field
        for field in translated_fields(obj)
        if text_in(obj, field, settings.LANGUAGE_CODE) and not text_in(obj, field, code)
    ]


def english_digest(obj):
    english = {
        field: text_in(obj, field, settings.LANGUAGE_CODE) for field in translated_fields(obj)
    }
    return hashlib.sha256(json.dumps(english, sort_keys=True).encode()).hexdigest()


def other_languages():
    return [(code, name) for code, name in settings.LANGUAGES if code != settings.LANGUAGE_CODE]


def reviews_of(obj):
    """Its translations' reviews by language (prefetch `translation_reviews` for a list)."""
    return {review.language: review for review in obj.translation_reviews.all()}


def translation_state(obj, code, review=None):
    """How the item's translation into `code` stands, in an editor's words."""
    if missing_fields(obj, code):
        return "not yet translated"
    if review is None:
        return "not yet reviewed"
    if review.english_digest != english_digest(obj):
        return "needs review: the English changed since"
    editor = review.reviewed_by.get_username() if review.reviewed_by else "a former editor"
    return f"reviewed {review.reviewed_on:%-d %b %Y} by {editor}"


def mark_translation_reviewed(obj, code, editor):
    TranslationReview.objects.update_or_create(
        content_type=ContentType.objects.get_for_model(obj),
        object_id=obj.pk,
        language=code,
        defaults={
            "english_digest": english_digest(obj),
            "reviewed_on": timezone.localdate(),
            "reviewed_by": editor,
        },
    )


def reviewed_for_readers(item, code):
    """The date to show readers as the item's review in this language: the English review;
    in another language, its translation's review too, made against the English as it is
    now (the later of the two: the text they read is both)."""
    if item.last_reviewed is None or code == settings.LANGUAGE_CODE:
        return item.last_reviewed
    review = reviews_of(item).get(code)
    if review is None or review.english_digest != english_digest(item):
        return None
    return max(item.last_reviewed, review.reviewed_on)
