"""The guide's content in each language (django-modeltranslation).

Each field named here gets a column per language beside it (`summary_en`, `summary_es`,
`summary_de`); `point.summary` reads the active language's, English filling in where a
translation is missing (settings.MODELTRANSLATION_FALLBACK_LANGUAGES). Codes, slugs,
numbers and pinyin are the same in every language and are not listed.
"""

from modeltranslation.translator import TranslationOptions, register

from .models import (
    Benefit,
    BodyView,
    Caution,
    Meridian,
    PainType,
    Point,
    PointPainType,
    PointReference,
    RedFlag,
    Tip,
)


@register(Meridian)
class MeridianTranslation(TranslationOptions):
    fields = ("name",)


@register(Point)
class PointTranslation(TranslationOptions):
    fields = ("name", "aliases", "summary", "location", "how_to_find", "technique")


@register(PainType)
class PainTypeTranslation(TranslationOptions):
    fields = ("name", "summary", "advice")


@register(PointPainType)
class PointPainTypeTranslation(TranslationOptions):
    fields = ("note",)


@register(PointReference)
class PointReferenceTranslation(TranslationOptions):
    fields = ("supports",)


@register(RedFlag)
class RedFlagTranslation(TranslationOptions):
    fields = ("text",)


@register(Caution)
class CautionTranslation(TranslationOptions):
    fields = ("title", "text", "step_note")


@register(Tip)
class TipTranslation(TranslationOptions):
    fields = ("title", "text")


@register(Benefit)
class BenefitTranslation(TranslationOptions):
    fields = ("text",)


@register(BodyView)
class BodyViewTranslation(TranslationOptions):
    fields = ("title", "description", "labels")
