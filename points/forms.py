from django import forms
from django.http import QueryDict
from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext_lazy as _

from .models import BodyRegion

SEARCH_MAX_LENGTH = 100


def printable(text):
    return "".join(character for character in text if character.isprintable())


class PointFilterForm(forms.Form):
    """The point list's filters, read from the query string so every filter is a URL.

    A shared or hand-edited link with one bad value should still show results, so bad
    values are dropped with a notice instead of failing the page.
    """

    # Drawn by the list's template, one plain box per pain type: Django's widget renders
    # four nested templates per box, forty boxes and more on every render.
    pain = forms.MultipleChoiceField(
        label=_("Pain type"), required=False, widget=forms.CheckboxSelectMultiple
    )
    region = forms.ChoiceField(
        label=_("Body region"), choices=[("", _("Anywhere"))] + BodyRegion.choices, required=False
    )
    q = forms.CharField(
        label=_("Search"),
        max_length=SEARCH_MAX_LENGTH,
        required=False,
        widget=forms.TextInput(attrs={"type": "search", "placeholder": _("e.g. BL40, knee, hand")}),
    )

    def __init__(self, data, pain_types):
        # Unknown pain types are dropped before validation; the rest still filter.
        self.pain_types = {pain_type.slug: pain_type for pain_type in pain_types}
        asked = data.getlist("pain")
        self.unknown_pain = [slug for slug in asked if slug not in self.pain_types]
        data = data.copy()
        data.setlist("pain", [slug for slug in asked if slug in self.pain_types])
        super().__init__(data)
        self.fields["pain"].choices = [(slug, c.name) for slug, c in self.pain_types.items()]

    def filters(self):
        """The valid filters as a dict, and a notice for each value that was ignored."""
        self.is_valid()
        notices = []
        if self.unknown_pain:
            names = ", ".join(f"“{printable(slug[:40])}”" for slug in self.unknown_pain[:3])
            notices.append(
                ngettext(
                    "We have no pain type called %(names)s; it was left out.",
                    "We have no pain types called %(names)s; they were left out.",
                    len(self.unknown_pain),
                )
                % {"names": names}
            )
        if "region" in self.errors:
            notices.append(gettext("We don't know that body region, so every region is shown."))
        if "q" in self.errors:
            if self.has_error("q", "max_length"):
                notices.append(
                    gettext("A search can be at most %(limit)s characters; it was left out.")
                    % {"limit": SEARCH_MAX_LENGTH}
                )
            else:
                notices.append(
                    gettext("The search had characters we cannot read; it was left out.")
                )
        cleaned = self.cleaned_data
        cleaned["pain"] = [self.pain_types[slug] for slug in cleaned.get("pain", [])]
        return cleaned, notices

    def canonical_query(self, cleaned):
        """The valid filters written the one way: each pain type once, in the order the form
        lists them, and no empty fields. Other spellings of the same filters are endless."""
        chosen = set(cleaned["pain"])
        query = QueryDict(mutable=True)
        query.setlist("pain", [slug for slug, c in self.pain_types.items() if c in chosen])
        for name in ("region", "q"):
            if cleaned.get(name):
                query[name] = cleaned[name]
        return query

    @staticmethod
    def apply(points, cleaned):
        if cleaned["pain"]:
            points = points.for_pain_types(cleaned["pain"])
        if cleaned.get("region"):
            points = points.in_region(cleaned["region"])
        if cleaned.get("q"):
            points = points.search(cleaned["q"])
        return points
