from modeltranslation.translator import TranslationOptions, register

from .models import Routine


@register(Routine)
class RoutineTranslation(TranslationOptions):
    """A suggested routine's title and summary, in each language. A visitor's routine has no
    language of its own: what they type is kept as it is (see routines/working.py)."""

    fields = ("title", "summary")
