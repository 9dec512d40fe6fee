"""Forms for the routine builder. Every change carries the routine's version, so a stale
or replayed request is refused instead of changing the wrong step."""

from django import forms
from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext_lazy as _

from .models import (
    DEFAULT_STEP_SECONDS,
    FREE_STEP_MAX_LENGTH,
    FREE_STEP_SECONDS,
    NOTE_MAX_LENGTH,
    TITLE_MAX_LENGTH,
    Sides,
    refuse_control_characters,
)
from .schedule import WEEKS, Schedule, weekday_names


class VersionForm(forms.Form):
    version = forms.IntegerField(
        min_value=0,
        max_value=10**9,
        widget=forms.HiddenInput,
        error_messages=dict.fromkeys(
            ("required", "invalid", "min_value", "max_value"),
            _("That request was incomplete; please reload the page and try again."),
        ),
    )


class TitleForm(VersionForm):
    title = forms.CharField(
        max_length=TITLE_MAX_LENGTH, required=False, validators=[refuse_control_characters]
    )


class ScheduleForm(VersionForm):
    """How often: times a day, which weekdays (all seven: every day), for how many weeks."""

    times = forms.TypedChoiceField(
        label=_("How often"),
        coerce=int,
        choices=[
            (1, _("Once a day")),
            (2, _("Twice a day")),
            (3, _("3 times a day")),
            (4, _("4 times a day")),
        ],
    )
    days = forms.MultipleChoiceField(
        label=_("On these days"),
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": _("Choose at least one day.")},
    )
    weeks = forms.TypedChoiceField(
        label=_("For"),
        coerce=int,
        empty_value=None,
        required=False,
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # Names in the page's language, read when the form is made.
        self.fields["days"].choices = weekday_names()
        self.fields["weeks"].choices = [("", gettext("as long as it helps"))] + [
            (weeks, ngettext("%(count)s week", "%(count)s weeks", weeks) % {"count": weeks})
            for weeks in WEEKS
        ]

    def schedule(self):
        data = self.cleaned_data
        return Schedule(data["times"], "".join(sorted(data["days"])), data["weeks"])


class FreeStepForm(VersionForm):
    text = forms.CharField(
        label=_("Free step"),
        max_length=FREE_STEP_MAX_LENGTH,
        validators=[refuse_control_characters],
    )
    seconds = forms.IntegerField(
        label=_("Seconds"),
        min_value=FREE_STEP_SECONDS[0],
        max_value=FREE_STEP_SECONDS[1],
        initial=DEFAULT_STEP_SECONDS,
    )


class StepForm(VersionForm):
    """Time, sides and note of one step; the time must suit the step's point."""

    seconds = forms.IntegerField(label=_("Seconds"))
    # What a point on both sides of the body offers, labelled to fit the step's narrow
    # select; a step without sides sends none (clean_sides decides for it).
    sides = forms.ChoiceField(
        choices=[
            (Sides.BOTH, _("Both")),
            (Sides.LEFT, _("Left only")),
            (Sides.RIGHT, _("Right only")),
        ],
        required=False,
    )
    note = forms.CharField(
        max_length=NOTE_MAX_LENGTH, required=False, validators=[refuse_control_characters]
    )

    def __init__(self, data, step):
        super().__init__(data)
        self.step = step
        low, high = (
            (step.point.press_seconds_min, step.point.press_seconds_max)
            if step.point
            else FREE_STEP_SECONDS
        )
        self.bounds = (low, high)

    def clean_seconds(self):
        seconds = self.cleaned_data["seconds"]
        low, high = self.bounds
        if not low <= seconds <= high:
            bounds = {"low": low, "high": high}
            if self.step.point:
                message = _("%(code)s takes between %(low)s and %(high)s seconds.")
                bounds["code"] = self.step.point.code
            else:
                message = _("A step of your own takes between %(low)s and %(high)s seconds.")
            raise forms.ValidationError(message, params=bounds)
        return seconds

    def clean_sides(self):
        sides = self.cleaned_data["sides"]
        point = self.step.point
        if point and point.bilateral and sides == Sides.NONE:
            return Sides.BOTH
        if not (point and point.bilateral):
            return Sides.NONE
        return sides


# The builder's page writes its inputs out by hand (a routine of 30 steps has some 90
# forms) and takes their limits (maxlength, min, max, the sides' options, the free step's
# starting time) from these fields, so each limit is set once: here or in models.py.
BUILDER_FIELDS = {
    "title": TitleForm.base_fields["title"],
    "free_step_text": FreeStepForm.base_fields["text"],
    "free_step_seconds": FreeStepForm.base_fields["seconds"],
    "note": StepForm.base_fields["note"],
    "sides": StepForm.base_fields["sides"],
}
