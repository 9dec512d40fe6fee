"""The editors' content as a JSON file that can be kept in git and loaded into another site.

The file is a Django fixture (a list of {"model", "fields"} objects) written with natural
keys instead of database ids: a point is named by its code, a link by the pair it joins
(see natural_keys.py). Objects come in a fixed model order and, within a model, in natural
key order, so the same content always gives the same bytes and an edit shows as a small
diff. Visitors' routines, accounts and sessions are not content and are never in it.

Importing creates or updates every object the file names, by natural key, in one
transaction. A point's links and markers and a suggestion's steps are made to match the
file exactly, as its many-to-many fields are. Objects the file does not name at all are
kept, unless `prune` asks for them to be deleted. Every object is validated as the admin
would validate it before it is saved.
"""

import json
from collections import Counter
from dataclasses import dataclass, field

from django.apps import apps
from django.core import serializers
from django.core.exceptions import (
    FieldDoesNotExist,
    MultipleObjectsReturned,
    ObjectDoesNotExist,
    ValidationError,
)
from django.core.serializers.base import DeserializationError
from django.core.serializers.json import DjangoJSONEncoder
from django.db import DatabaseError, transaction
from django.db.models import ProtectedError, RestrictedError
from django.utils import timezone

# In dependency order: an object only names objects that come before it.
CONTENT_MODELS = [
    "points.meridian",
    # Before the red flags and cautions, which cite references.
    "points.reference",
    "points.redflag",
    "points.condition",
    "points.point",
    "points.pointcondition",
    "points.caution",
    "points.pointcaution",
    "points.pointreference",
    "points.benefit",
    "points.tip",
    "points.bodyview",
    "points.pointmarker",
    "routines.routine",
    "routines.routinestep",
]
# Fields that describe one site rather than the content, and stay out of the file: what a
# suggestion was copied from, when its link was last opened, and every auto_now timestamp
# (an import is an edit on the importing site; timestamps would only add noise to diffs).
SITE_FIELDS = {
    "routines.routine": {"source", "last_opened_at", "last_printed_at", "saved_by", "fingerprint"}
}
# The photo file itself is copied separately; the file only names it.
UNCHECKED_FIELDS = {"points.point": ["photo"]}
# Rows that belong to an object in the file and are replaced along with it.
CHILDREN = {
    "points.point": [
        ("points.pointcondition", "point"),
        ("points.pointcaution", "point"),
        ("points.pointreference", "point"),
        ("points.pointmarker", "point"),
    ],
    "routines.routine": [("routines.routinestep", "routine")],
}


class ContentFileError(Exception):
    pass


def content_model(label):
    return apps.get_model(label)


def in_scope(label):
    """The rows of a model that are content: for routines, only the editors' suggestions."""
    model = content_model(label)
    rows = model._default_manager.all()
    if label == "routines.routine":
        rows = rows.filter(is_suggestion=True)
    elif label == "routines.routinestep":
        rows = rows.filter(routine__is_suggestion=True)
    return rows


def timestamp_fields(label):
    return [f for f in content_model(label)._meta.local_fields if getattr(f, "auto_now", False)]


# An editor's review (last_reviewed, reviewed_by) is of the content on one site, by one of
# its editors: an import neither brings one nor keeps the file's; the site's own stays.
REVIEW_FIELDS = {"last_reviewed", "reviewed_by"}


def site_fields(label):
    names = {f.name for f in content_model(label)._meta.local_fields}
    return (
        SITE_FIELDS.get(label, set())
        | {f.name for f in timestamp_fields(label)}
        | (REVIEW_FIELDS & names)
    )


def serialized_fields(label):
    model = content_model(label)
    left_out = site_fields(label)
    names = [f.name for f in model._meta.local_fields if f.serialize and f.name not in left_out]
    names += [
        f.name
        for f in model._meta.local_many_to_many
        if f.remote_field.through._meta.auto_created and f.name not in left_out
    ]
    return names


def many_to_many_fields(label):
    model = content_model(label)
    return [f for f in model._meta.local_many_to_many if f.remote_field.through._meta.auto_created]


def serialize(label, rows, *, with_ids=False):
    """Rows as fixture entries with natural keys, in natural key order, as are their
    many-to-many lists.

    Sorted in Python rather than by the database, whose collation may differ from one
    site to the next: the same content gives the same file on SQLite and PostgreSQL.
    """
    model = content_model(label)
    foreign_keys = [f.name for f in model._meta.local_fields if f.is_relation]
    many_to_many = [f.name for f in many_to_many_fields(label)]
    rows = sorted(
        rows.select_related(*foreign_keys).prefetch_related(*many_to_many),
        key=lambda row: row.natural_key(),
    )
    entries = serializers.serialize(
        "python",
        rows,
        fields=serialized_fields(label),
        use_natural_foreign_keys=True,
        use_natural_primary_keys=not with_ids,
    )
    for entry in entries:
        for name in many_to_many:
            entry["fields"][name] = sorted(entry["fields"][name])
    return entries


def fill_missing_keys():
    """Give a key to rows saved without one (bulk_create, historical migrations)."""
    for label in CONTENT_MODELS:
        model = content_model(label)
        if any(f.name == "key" for f in model._meta.local_fields):
            for row in model._default_manager.filter(key=None):
                row.save(update_fields=["key"])


def content_entries():
    fill_missing_keys()
    entries = []
    for label in CONTENT_MODELS:
        entries += serialize(label, in_scope(label))
    return entries


def as_json(entries):
    return json.dumps(entries, indent=2, ensure_ascii=False, cls=DjangoJSONEncoder) + "\n"


@dataclass
class ImportReport:
    created: Counter = field(default_factory=Counter)
    updated: Counter = field(default_factory=Counter)
    unchanged: Counter = field(default_factory=Counter)
    removed: Counter = field(default_factory=Counter)
    kept: Counter = field(default_factory=Counter)
    # The ids of the rows the file names, by model.
    seen: dict = field(default_factory=dict)


def comparable(entry, label):
    """An entry as JSON would give it back, with many-to-many lists sorted."""
    entry = json.loads(json.dumps(entry, cls=DjangoJSONEncoder))
    for name in site_fields(label):
        entry["fields"].pop(name, None)
    for f in many_to_many_fields(label):
        if isinstance(entry["fields"].get(f.name), list):
            entry["fields"][f.name] = sorted(entry["fields"][f.name])
    return entry["fields"]


def read_entries(text):
    """The file's entries as (number, entry) in model order, or ContentFileError saying why."""
    try:
        entries = json.loads(text)
    except ValueError as error:
        raise ContentFileError(f"The file is not valid JSON: {error}.") from error
    if not isinstance(entries, list):
        raise ContentFileError("The file must hold a list of objects, as export_content writes.")
    rank = {label: position for position, label in enumerate(CONTENT_MODELS)}
    tokens = set()
    for number, entry in enumerate(entries, start=1):
        check_entry(number, entry, rank)
        if entry["model"] == "routines.routine":
            tokens.add(entry["fields"].get("token"))
    for number, entry in enumerate(entries, start=1):
        routine = entry["fields"].get("routine")
        if entry["model"] == "routines.routinestep" and routine not in ([t] for t in tokens):
            raise ContentFileError(
                f"Object {number} is a step of a routine the file does not hold."
            )
    numbered = sorted(enumerate(entries, start=1), key=lambda item: rank[item[1]["model"]])
    return numbered


def check_entry(number, entry, rank):
    if not isinstance(entry, dict) or not isinstance(entry.get("fields"), dict):
        raise ContentFileError(f"Object {number} is not a {{'model': …, 'fields': …}} object.")
    if "pk" in entry:
        raise ContentFileError(
            f"Object {number} has a database id (pk); content files name objects by their "
            "natural keys, as export_content writes them."
        )
    label = entry.get("model")
    if label not in rank:
        raise ContentFileError(
            f"Object {number} is a {label!r}; a content file holds only {', '.join(rank)}."
        )
    if set(entry) != {"model", "fields"}:
        raise ContentFileError(f"Object {number} has keys other than 'model' and 'fields'.")
    model = content_model(label)
    for name, value in entry["fields"].items():
        try:
            model_field = model._meta.get_field(name)
        except FieldDoesNotExist as error:
            raise ContentFileError(f"Object {number} ({label}) has no field {name!r}.") from error
        # An id would silently mean another row on another site.
        if model_field.many_to_many:
            names_by_key = isinstance(value, list) and all(isinstance(v, list) for v in value)
        elif model_field.many_to_one:
            names_by_key = value is None or isinstance(value, list)
        else:
            continue
        if not names_by_key:
            raise ContentFileError(
                f"Object {number} ({label}) gives {name!r} as {value!r}; related objects are "
                'named by their natural keys, e.g. ["BL23"].'
            )
    for lookup in model.natural_key_lookups:
        name = lookup.split("__")[0]
        if entry["fields"].get(name) in (None, "", []):
            raise ContentFileError(
                f"Object {number} ({label}) has no {name!r}, which names it on every site."
            )
    if label == "routines.routine" and entry["fields"].get("is_suggestion") is not True:
        raise ContentFileError(
            f"Object {number} is a routine that is not a suggestion; only editors' "
            "suggestions are content."
        )


def describe(number, label, entry):
    """For error messages: "Object 12 (points.pointcondition BL23 sciatica)"."""
    names = []
    for lookup in content_model(label).natural_key_lookups:
        value = entry["fields"].get(lookup.split("__")[0])
        names += value if isinstance(value, list) else [value]
    return " ".join([f"Object {number} ({label}", *(str(name) for name in names if name)]) + ")"


def import_content(text, *, prune=False, dry_run=False):
    """Load a content file in one transaction; raise ContentFileError and change nothing
    if any object in it cannot be loaded. With `prune`, also delete the content the file
    does not name, so the site ends up with exactly the file's content."""
    entries = read_entries(text)
    report = ImportReport()
    try:
        with transaction.atomic():
            load(entries, report)
            if prune:
                delete_unnamed(report)
            count_kept(report)
            if dry_run:
                raise RollBack
    except RollBack:
        pass
    return report


class RollBack(Exception):
    pass


def current_content():
    """Every content row as the file would hold it, by id: to tell what an import changes."""
    return {
        label: {
            entry["pk"]: comparable(entry, label)
            for entry in serialize(label, in_scope(label), with_ids=True)
        }
        for label in CONTENT_MODELS
    }


def load(entries, report):
    seen = {label: set() for label in CONTENT_MODELS}
    current = current_content()
    now = timezone.now()
    for number, entry in entries:
        label = entry["model"]
        where = describe(number, label, entry)
        try:
            (item,) = serializers.deserialize("python", [entry], handle_forward_references=False)
        except (
            DeserializationError,
            ObjectDoesNotExist,
            MultipleObjectsReturned,
            ValidationError,
            ValueError,
            TypeError,
        ) as error:
            raise ContentFileError(f"{where} cannot be read: {error}") from error
        row = item.object
        existing = (
            type(row)._default_manager.filter(pk=row.pk).first() if row.pk is not None else None
        )
        if existing is not None:
            if label == "routines.routine" and not existing.is_suggestion:
                raise ContentFileError(f"{where} has the link of a visitor's saved routine.")
            for name in site_fields(label):
                attname = type(row)._meta.get_field(name).attname
                setattr(row, attname, getattr(existing, attname))
            # So that validation checks uniqueness against the other rows, not this one.
            row._state.adding = False
            seen[label].add(row.pk)
            if comparable(entry, label) == current[label].get(row.pk):
                report.unchanged[label] += 1
                continue
        for timestamp in timestamp_fields(label):
            setattr(row, timestamp.attname, now)
        try:
            row.full_clean(exclude=UNCHECKED_FIELDS.get(label, []))
        except ValidationError as error:
            raise ContentFileError(f"{where} is not valid: {messages(error)}") from error
        try:
            item.save()
        except DatabaseError as error:
            raise ContentFileError(f"{where} cannot be saved: {error}") from error
        seen[label].add(row.pk)
        (report.updated if existing is not None else report.created)[label] += 1
    remove_stale_children(seen, report)
    report.seen = seen


def delete_unnamed(report):
    # Last first: links and steps go before what they link, points before their meridian.
    for label in reversed(CONTENT_MODELS):
        unnamed = in_scope(label).exclude(pk__in=report.seen[label])
        count = unnamed.count()
        try:
            unnamed.delete()
        except (ProtectedError, RestrictedError) as error:
            users = Counter(
                row._meta.label_lower
                for row in getattr(error, "protected_objects", None) or error.restricted_objects
            )
            raise ContentFileError(
                f"--prune cannot delete the {label} objects the file does not name: "
                f"{', '.join(f'{n} {user}' for user, n in sorted(users.items()))} still use "
                "them. Unpublish them instead, or import without --prune."
            ) from error
        if count:
            report.removed[label] += count


def count_kept(report):
    for label in CONTENT_MODELS:
        report.kept[label] = in_scope(label).count() - len(report.seen[label])
    report.kept = +report.kept


def remove_stale_children(seen, report):
    for parent, children in CHILDREN.items():
        for label, parent_field in children:
            stale = (
                content_model(label)
                ._default_manager.filter(**{f"{parent_field}__in": seen[parent]})
                .exclude(pk__in=seen[label])
            )
            count, _ = stale.delete()
            if count:
                report.removed[label] += count


def messages(error):
    if hasattr(error, "message_dict"):
        return "; ".join(
            f"{name}: {' '.join(texts)}" if name != "__all__" else " ".join(texts)
            for name, texts in error.message_dict.items()
        )
    return " ".join(error.messages)
