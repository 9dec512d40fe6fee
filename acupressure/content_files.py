"""The guide's content as a release file (content/guide.json): export, import, and what a
site has changed since the release it last imported.

The file is a Django fixture (a list of {"model", "fields"} objects) written with natural
keys instead of database ids: a point is named by its code, a link by the pair it joins
(points/natural_keys.py). Objects come in a fixed model order and, within a model, in
natural key order, so the same content always gives the same bytes and a fix shows as a
small diff. Visitors' routines, accounts and sessions are not content and are never in it.

Each app registers its content models in its AppConfig.ready (`register`), in dependency
order: an object only names objects registered before it.

An import is a three-way merge, field by field, of the file, this site's content and the
release this site imported last (acupressure.models.ContentRelease):
- a field this site has not changed since that release takes the file's value;
- a field an editor changed keeps the editor's value, and the import reports it;
- an object an editor deleted stays deleted, and one an editor added stays (reported);
- a point's links and markers and a suggestion's steps otherwise follow the file exactly.
Without a release on record (a site older than release files) nothing tells an editor's
change from old content, so every difference is kept and reported, unless `overwrite`
asks for the file's content everywhere. Every object is validated as the admin would
validate it; the whole import is one transaction and one django-reversion revision named
after the release, and any error leaves the site untouched.
"""

import hashlib
import json
from collections import Counter
from dataclasses import dataclass, field

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
from django.db.models import FileField, ProtectedError, RestrictedError
from django.utils import timezone
from reversion import create_revision, set_comment

from .models import ContentRelease


@dataclass(frozen=True)
class Registration:
    model: type
    # Lookups that pick the rows that are content, e.g. {"is_suggestion": True}.
    scope: dict
    # What `scope` means, for the refusal of a file that names other rows.
    scope_name: str
    # The foreign key to the object whose entry in the file lists all of these rows.
    parent: str | None
    # Fields that describe one site rather than the content: left out of the file, kept
    # as they are by an import.
    site_fields: frozenset


_registry = {}


def register(model, *, scope=None, scope_name="", parent=None, site_fields=()):
    """Make `model`'s rows (those matching `scope`) part of the content file."""
    timestamps = {f.name for f in model._meta.local_fields if getattr(f, "auto_now", False)}
    _registry[model._meta.label_lower] = Registration(
        model, scope or {}, scope_name, parent, frozenset(site_fields) | timestamps
    )


def content_labels():
    return list(_registry)


def content_model(label):
    return _registry[label].model


def in_scope(label):
    registration = _registry[label]
    return registration.model._default_manager.filter(**registration.scope)


def site_fields(label):
    return _registry[label].site_fields


def children(label):
    """The registered models whose rows belong to a `label` object: [(child label, fk name)]."""
    return [
        (child, registration.parent)
        for child, registration in _registry.items()
        if registration.parent
        and registration.model._meta.get_field(registration.parent).related_model._meta.label_lower
        == label
    ]


def serialized_fields(label):
    model = content_model(label)
    left_out = site_fields(label)
    names = [f.name for f in model._meta.local_fields if f.serialize and f.name not in left_out]
    names += [f.name for f in many_to_many_fields(label) if f.name not in left_out]
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
    """Give a key to rows saved without one (bulk_create)."""
    for label in content_labels():
        model = content_model(label)
        if any(f.name == "key" for f in model._meta.local_fields):
            for row in model._default_manager.filter(key=None):
                row.save(update_fields=["key"])


def content_entries():
    fill_missing_keys()
    entries = []
    for label in content_labels():
        entries += serialize(label, in_scope(label))
    return entries


def as_json(entries):
    return json.dumps(entries, indent=2, ensure_ascii=False, cls=DjangoJSONEncoder) + "\n"


class ContentFileError(Exception):
    pass


# --- Reading a file ------------------------------------------------------------------------


def comparable(fields, label):
    """An entry's fields as JSON gives them back, without site fields, many-to-many lists
    sorted: what two versions of an object are compared by."""
    fields = json.loads(json.dumps(fields, cls=DjangoJSONEncoder))
    for name in site_fields(label):
        fields.pop(name, None)
    for f in many_to_many_fields(label):
        if isinstance(fields.get(f.name), list):
            fields[f.name] = sorted(fields[f.name])
    return fields


def key_of(label, fields):
    """An object's natural key as a string, from its fields as the file holds them. It is
    also how the file names the object in a foreign key: ["BL23"] for point BL23."""
    names = [lookup.split("__")[0] for lookup in content_model(label).natural_key_lookups]
    return json.dumps([fields.get(name) for name in names], ensure_ascii=False)


def describe_key(key):
    """'[["BL23"], ["sciatica"]]' as a person reads it: "BL23 · sciatica"."""

    def flat(value):
        if isinstance(value, list):
            for item in value:
                yield from flat(item)
        elif value not in (None, ""):
            yield str(value)

    return " · ".join(flat(json.loads(key)))


def read_entries(text):
    """The file's entries as (number, entry) in model order, or ContentFileError saying why."""
    try:
        entries = json.loads(text)
    except ValueError as error:
        raise ContentFileError(f"The file is not valid JSON: {error}.") from error
    if not isinstance(entries, list):
        raise ContentFileError("The file must hold a list of objects, as export_content writes.")
    rank = {label: position for position, label in enumerate(content_labels())}
    for number, entry in enumerate(entries, start=1):
        check_entry(number, entry, rank)
    check_parents(entries)
    return sorted(enumerate(entries, start=1), key=lambda item: rank[item[1]["model"]])


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
    registration = _registry[label]
    for name, value in entry["fields"].items():
        try:
            model_field = registration.model._meta.get_field(name)
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
    for lookup in registration.model.natural_key_lookups:
        name = lookup.split("__")[0]
        if entry["fields"].get(name) in (None, "", []):
            raise ContentFileError(
                f"Object {number} ({label}) has no {name!r}, which names it on every site."
            )
    for name, value in registration.scope.items():
        if "__" not in name and entry["fields"].get(name) != value:
            raise ContentFileError(
                f"Object {number} ({label}) is not {registration.scope_name}; only those are "
                "content."
            )


def check_parents(entries):
    """A link, marker or step comes with the object it belongs to, which lists all of them."""
    named = Counter()
    for entry in entries:
        named[(entry["model"], key_of(entry["model"], entry["fields"]))] += 1
    for number, entry in enumerate(entries, start=1):
        parent = _registry[entry["model"]].parent
        if parent is None:
            continue
        parent_model = content_model(entry["model"])._meta.get_field(parent).related_model
        parent_key = json.dumps(entry["fields"].get(parent), ensure_ascii=False)
        if not named[(parent_model._meta.label_lower, parent_key)]:
            raise ContentFileError(
                f"Object {number} is a {content_model(entry['model'])._meta.verbose_name} of a "
                f"{parent_model._meta.verbose_name} the file does not hold."
            )


def describe(number, label, entry):
    """For error messages: "Object 12 (points.pointpaintype BL23 · sciatica)"."""
    return f"Object {number} ({label} {describe_key(key_of(label, entry['fields']))})"


# --- Importing -----------------------------------------------------------------------------

DELETED_HERE = "deleted on this site since the last release: not brought back"
ADDED_HERE = "not in the last release: kept"
CHANGED_HERE = "changed on this site since the last release: kept"


@dataclass(frozen=True)
class Kept:
    """What an import left as this site has it: fields of an object, or a whole object."""

    label: str
    key: str
    fields: tuple
    why: str

    def __str__(self):
        what = f"{self.label} {describe_key(self.key)}"
        return f"{what}: {', '.join(self.fields)}" if self.fields else f"{what} ({self.why})"


@dataclass
class ImportReport:
    release: str = ""
    recorded: bool = False
    created: Counter = field(default_factory=Counter)
    updated: Counter = field(default_factory=Counter)
    unchanged: Counter = field(default_factory=Counter)
    removed: Counter = field(default_factory=Counter)
    # Objects of this site the file does not name, by model.
    unnamed: Counter = field(default_factory=Counter)
    # Editors' changes the import kept, and those `overwrite` replaced.
    kept: list = field(default_factory=list)
    overwritten: list = field(default_factory=list)
    # The ids of the rows the file names, by model.
    seen: dict = field(default_factory=dict)


class RollBack(Exception):
    pass


def release_name(path_name, text):
    return f"{path_name} sha256:{digest(text)[:12]}"


def digest(text):
    return hashlib.sha256(text.encode()).hexdigest()


def latest_release():
    return ContentRelease.objects.order_by("-imported_at", "-pk").first()


def import_content(text, *, name="", prune=False, dry_run=False, overwrite=False):
    """Merge a content file into this site (see the module's docstring); raise
    ContentFileError and change nothing if any object in it cannot be loaded. With `prune`,
    also delete the content the file does not name."""
    entries = read_entries(text)
    report = ImportReport(release=name or release_name("content file", text))
    try:
        with transaction.atomic(), create_revision():
            set_comment(f"Content release {report.release}")
            latest = latest_release()
            base = release_content(latest) if latest else None
            merge(entries, base, report, overwrite=overwrite)
            if prune:
                delete_unnamed(report)
            count_unnamed(report)
            if latest is None or latest.digest != digest(text):
                ContentRelease.objects.create(name=report.release, digest=digest(text), text=text)
                report.recorded = True
            if dry_run:
                raise RollBack
    except RollBack:
        pass
    except DatabaseError as error:
        # A read-only or unreachable database: nothing was written.
        raise ContentFileError(f"The database takes no writes now ({error}).") from error
    return report


def current_content():
    """This site's content as the file would hold it: {label: {key: (id, fields)}}."""
    content = {}
    for label in content_labels():
        content[label] = {}
        for entry in serialize(label, in_scope(label), with_ids=True):
            fields = comparable(entry["fields"], label)
            content[label][key_of(label, fields)] = (entry["pk"], fields)
    return content


def release_content(release):
    """A release's content: {label: {key: fields}}. A field an older release file lacks
    (the model gained it since) counts as holding its default, as the rows it made do."""
    content = {label: {} for label in content_labels()}
    for entry in release.entries:
        label = entry["model"]
        if label in content:
            fields = comparable(entry["fields"], label)
            for name in serialized_fields(label):
                fields.setdefault(name, field_default(label, name))
            content[label][key_of(label, fields)] = fields
    return content


def field_default(label, name):
    """What a field holds on a row made before the field existed (its default)."""
    model_field = content_model(label)._meta.get_field(name)
    if model_field.many_to_many:
        return []
    if model_field.is_relation:
        return None
    return json.loads(json.dumps(model_field.get_default(), cls=DjangoJSONEncoder))


def merge_fields(label, wanted, here, was, *, overwrite):
    """The fields to save for an object the file and this site both have, and the names of
    the fields kept as this site has them and of those `overwrite` replaced."""
    merged, kept, overwritten = dict(here), [], []
    for name, value in wanted.items():
        if here.get(name) == value:
            continue
        if was is not None and here.get(name) == was.get(name, field_default(label, name)):
            merged[name] = value  # the release changed it, this site did not
        elif overwrite:
            merged[name] = value
            overwritten.append(name)
        else:
            kept.append(name)
    return merged, tuple(kept), tuple(overwritten)


def merge(entries, base, report, *, overwrite):
    current = current_content()
    seen = {label: set() for label in content_labels()}
    named = {label: set() for label in content_labels()}
    for number, entry in entries:
        label = entry["model"]
        wanted = comparable(entry["fields"], label)
        key = key_of(label, wanted)
        named[label].add(key)
        pk, here = current[label].get(key, (None, None))
        was = base[label].get(key) if base is not None else None
        if pk is None:
            if was is not None and not overwrite:
                report.kept.append(Kept(label, key, (), DELETED_HERE))
                continue
            fields = wanted
        else:
            seen[label].add(pk)
            fields, kept, overwritten = merge_fields(label, wanted, here, was, overwrite=overwrite)
            if kept:
                report.kept.append(Kept(label, key, kept, CHANGED_HERE))
            if overwritten:
                report.overwritten.append(Kept(label, key, overwritten, CHANGED_HERE))
            if fields == here:
                report.unchanged[label] += 1
                continue
        pk = save_entry(describe(number, label, entry), label, fields, existing=pk)
        seen[label].add(pk)
        (report.updated if here is not None else report.created)[label] += 1
    remove_stale_children(current, base, named, report, overwrite=overwrite)
    report.seen = seen


def save_entry(where, label, fields, *, existing):
    """Create or update one object from its fields; return its id."""
    try:
        (item,) = serializers.deserialize(
            "python", [{"model": label, "fields": fields}], handle_forward_references=False
        )
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
    if row.pk is not None and row.pk != existing:
        # Found by its natural key outside the content: a visitor's saved routine, say.
        raise ContentFileError(f"{where} names a row of this site that is not content.")
    model = type(row)
    if existing is not None:
        old = model._default_manager.get(pk=existing)
        for name in site_fields(label):
            attname = model._meta.get_field(name).attname
            setattr(row, attname, getattr(old, attname))
        # So that validation checks uniqueness against the other rows, not this one.
        row._state.adding = False
    for model_field in model._meta.local_fields:
        if getattr(model_field, "auto_now", False):
            setattr(row, model_field.attname, timezone.now())
    try:
        row.full_clean(exclude=unchecked_fields(model))
    except ValidationError as error:
        raise ContentFileError(f"{where} is not valid: {messages(error)}") from error
    try:
        item.save()
    except DatabaseError as error:
        raise ContentFileError(f"{where} cannot be saved: {error}") from error
    return row.pk


def unchecked_fields(model):
    # A file names a photo; the photo itself is copied separately and may not be here yet.
    return [f.name for f in model._meta.local_fields if isinstance(f, FileField)]


def remove_stale_children(current, base, named, report, *, overwrite):
    """Links, markers and steps of objects in the file that the file no longer lists: gone,
    unless this site added or changed them since the last release."""
    for parent_label in content_labels():
        for label, parent_field in children(parent_label):
            for key, (pk, here) in current[label].items():
                parent_key = json.dumps(here.get(parent_field), ensure_ascii=False)
                if parent_key not in named[parent_label] or key in named[label]:
                    continue
                was = base[label].get(key) if base is not None else None
                if overwrite or (was is not None and was == here):
                    content_model(label)._default_manager.filter(pk=pk).delete()
                    report.removed[label] += 1
                else:
                    why = ADDED_HERE if was is None else CHANGED_HERE
                    report.kept.append(Kept(label, key, (), why))


def delete_unnamed(report):
    # Last first: links and steps go before what they link, points before their meridian.
    for label in reversed(content_labels()):
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


def count_unnamed(report):
    for label in content_labels():
        report.unnamed[label] = in_scope(label).count() - len(report.seen[label])
    report.unnamed = +report.unnamed


def messages(error):
    if hasattr(error, "message_dict"):
        return "; ".join(
            f"{name}: {' '.join(texts)}" if name != "__all__" else " ".join(texts)
            for name, texts in error.message_dict.items()
        )
    return " ".join(error.messages)


# --- What this site changed --------------------------------------------------------------


@dataclass(frozen=True)
class Difference:
    label: str
    key: str
    pk: int | None
    fields: tuple
    what: str

    @property
    def name(self):
        return describe_key(self.key)


def release_differences():
    """The last release imported, and how this site's content differs from it."""
    latest = latest_release()
    if latest is None:
        return None, []
    base, current = release_content(latest), current_content()
    differences = []
    for label in content_labels():
        for key in sorted(set(base[label]) | set(current[label])):
            was = base[label].get(key)
            pk, here = current[label].get(key, (None, None))
            if here is None:
                differences.append(Difference(label, key, None, (), "deleted on this site"))
            elif was is None:
                differences.append(Difference(label, key, pk, (), "added on this site"))
            else:
                changed = tuple(
                    name
                    for name in sorted(here.keys() | was.keys())
                    if here.get(name) != was.get(name, field_default(label, name))
                )
                if changed:
                    differences.append(Difference(label, key, pk, changed, "changed on this site"))
    return latest, differences
