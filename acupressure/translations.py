"""What is translated of an item, and how each translation stands with its English.

django-modeltranslation keeps each language in its own column (points/translation.py);
these helpers read those columns directly, whatever language is active.
"""

import hashlib
import json
from dataclasses import dataclass
from datetime import date

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


def text_digest(obj, code):
    """A digest of the item's text in one language, to tell later whether it changed."""
    text = {field: text_in(obj, field, code) for field in translated_fields(obj)}
    return hashlib.sha256(json.dumps(text, sort_keys=True).encode()).hexdigest()


def english_digest(obj):
    return text_digest(obj, settings.LANGUAGE_CODE)


def other_languages():
    return [(code, name) for code, name in settings.LANGUAGES if code != settings.LANGUAGE_CODE]


def reviews_of(obj):
    """Its translations' reviews by language (prefetch `translation_reviews` for a list)."""
    return {review.language: review for review in obj.translation_reviews.all()}


def translation_is_current(obj, review):
    """The review is of the English and of the translation as they are now."""
    return (
        review.english_digest == english_digest(obj)
        and review.text_digest == text_digest(obj, review.language)
        and not missing_fields(obj, review.language)
    )


def translation_state(obj, code, review=None):
    """How the item's translation into `code` stands, in an editor's words."""
    if missing_fields(obj, code):
        return "not yet translated"
    if review is None:
        return "not yet reviewed"
    if not translation_is_current(obj, review):
        return "needs review: the English or the translation changed since"
    return f"reviewed {review.reviewed_on:%-d %b %Y} by {review.reviewer_name}"


def mark_translation_reviewed(obj, code, editor):
    profile = editor.editor_profile
    TranslationReview.objects.update_or_create(
        content_type=ContentType.objects.get_for_model(obj),
        object_id=obj.pk,
        language=code,
        defaults={
            "english_digest": english_digest(obj),
            "text_digest": text_digest(obj, code),
            "reviewed_on": timezone.localdate(),
            "reviewed_by": editor,
            "reviewer_name": profile.name,
            "reviewer_role": profile.role,
        },
    )


@dataclass(frozen=True)
class Review:
    """A review as readers see it: who, in what role, when."""

    name: str
    role: str
    date: date


def english_review(item):
    """The review of the English that readers may rely on: None if nobody reviewed it, or
    if it changed since."""
    if item.last_reviewed is None or item.reviewed_digest != english_digest(item):
        return None
    return Review(item.reviewer_name, item.get_reviewer_role_display(), item.last_reviewed)


def translation_review(item, code):
    """The review of the item's translation into `code` that readers may rely on."""
    review = reviews_of(item).get(code)
    if review is None or not translation_is_current(item, review):
        return None
    return Review(review.reviewer_name, review.get_reviewer_role_display(), review.reviewed_on)


def reader_review(item, code):
    """The review that stands for what a reader of a page in `code` sees of `item`: the
    English one, and on a page in another language the translation's too (the later)."""
    review = english_review(item)
    if review is None or code == settings.LANGUAGE_CODE:
        return review
    translated = translation_review(item, code)
    if translated is None:
        return None
    return translated if translated.date > review.date else review


@dataclass(frozen=True)
class ReviewSummary:
    """Of several items shown together (a home page, a printed sheet): how many of them
    stand reviewed for this language, by whom and between which days."""

    reviewed: int
    total: int
    reviewers: tuple
    first: date | None
    last: date | None


def review_summary(items, code):
    reviews = [reader_review(item, code) for item in items]
    done = [review for review in reviews if review is not None]
    reviewers = tuple(dict.fromkeys(f"{review.name}, {review.role}" for review in done))
    dates = sorted(review.date for review in done)
    return ReviewSummary(
        reviewed=len(done),
        total=len(reviews),
        reviewers=reviewers,
        first=dates[0] if dates else None,
        last=dates[-1] if dates else None,
    )
