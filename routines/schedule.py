"""How often a routine is done: times a day, on which weekdays, for how many weeks.

A working routine keeps its schedule in the session, a saved one in its own columns; both
read it as a Schedule, which says itself in words ("Twice a day, every day, for 2 weeks")
and knows how many sessions, and so how many rows of the printed pain log, it asks for.
"""

from dataclasses import dataclass
from datetime import date

from django.utils.formats import date_format
from django.utils.translation import gettext, ngettext

TIMES_PER_DAY = range(1, 5)
WEEKS = range(1, 13)
# ISO weekday numbers, Monday first, as a string of digits: "1234567" is every day.
EVERY_DAY = "1234567"
# The printed log's rows: enough for two weeks of once a day, which fits the sheet's
# second page beside the sources in every language (tests/browser/test_languages.py).
MAX_LOG_ROWS = 14
# A Monday, to name weekdays in the page's language.
_MONDAY = date(2024, 1, 1)


def weekday_names():
    """(digit, name) for each weekday, in the page's language."""
    return [(str(day), date_format(_MONDAY.replace(day=day), "l")) for day in range(1, 8)]


def clean_weekdays(days):
    """The digits 1-7 in `days`, each once, in order; "" if none."""
    return "".join(sorted({day for day in str(days) if day in EVERY_DAY}))


@dataclass(frozen=True)
class Schedule:
    times_per_day: int = 1
    weekdays: str = EVERY_DAY
    weeks: int | None = 2  # None: open-ended

    @classmethod
    def of(cls, routine):
        return cls(routine.times_per_day, routine.weekdays, routine.weeks)

    @classmethod
    def from_session(cls, data):
        try:
            schedule = cls(int(data["times"]), clean_weekdays(data["days"]), data["weeks"])
        except (KeyError, TypeError, ValueError):
            return cls()
        return schedule if schedule.is_valid() else cls()

    def as_session(self):
        return {"times": self.times_per_day, "days": self.weekdays, "weeks": self.weeks}

    def as_fields(self):
        return {"times_per_day": self.times_per_day, "weekdays": self.weekdays, "weeks": self.weeks}

    def is_valid(self):
        return (
            self.times_per_day in TIMES_PER_DAY
            and bool(self.weekdays)
            and self.weekdays == clean_weekdays(self.weekdays)
            and (self.weeks is None or self.weeks in WEEKS)
        )

    @property
    def every_day(self):
        return self.weekdays == EVERY_DAY

    def sessions(self):
        """How many sessions the whole schedule asks for; None if it is open-ended."""
        if self.weeks is None:
            return None
        return self.times_per_day * len(self.weekdays) * self.weeks

    def log_rows(self):
        """Rows of the printed pain log: one per session, as many as the sheet holds."""
        sessions = self.sessions()
        return min(sessions or MAX_LOG_ROWS, MAX_LOG_ROWS)

    def log_columns(self):
        """The log's session numbers in two columns, side by side on the sheet."""
        rows = list(range(1, self.log_rows() + 1))
        half = (len(rows) + 1) // 2
        return [rows[:half], rows[half:]]

    def describe(self):
        """ "Twice a day, every day, for 2 weeks"; "Once a day, on Monday and Thursday"."""
        times = {
            1: gettext("Once a day"),
            2: gettext("Twice a day"),
        }.get(
            self.times_per_day,
            gettext("%(count)s times a day") % {"count": self.times_per_day},
        )
        if self.every_day:
            days = gettext("every day")
        else:
            names = dict(weekday_names())
            chosen = [names[day] for day in self.weekdays]
            days = gettext("on %(days)s") % {
                "days": chosen[0]
                if len(chosen) == 1
                else gettext("%(first)s and %(last)s")
                % {"first": ", ".join(chosen[:-1]), "last": chosen[-1]}
            }
        if self.weeks is None:
            return gettext("%(times)s, %(days)s, for as long as it helps") % {
                "times": times,
                "days": days,
            }
        weeks = ngettext("for %(count)s week", "for %(count)s weeks", self.weeks) % {
            "count": self.weeks
        }
        return f"{times}, {days}, {weeks}"
