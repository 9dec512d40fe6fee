"""Issue 12, continued: every warning sign sourced from health-service guidance.

0011 left two pain-type red flags without a source, and cited some safety text to sites
a clinician would not sign off: a newspaper, copies of NHS or Mayo Clinic pages on
unrelated sites, a red-flag list of unknown authorship and a course page. Here the two
flags get NHS pages, and their tier and wording follow what those pages say (A&E for the
head injury, an urgent appointment the same day for the joint); the flags and cautions
that cited the weak sites get NHS pages too, and only then lose the weak ones. A weak
reference nothing else cites is deleted. The pregnancy caution no longer names GB21: of
its sources only the dropped course page did. All pages were read on 2026-12-06.

The BL40 caution on varicose veins is still unsourced: no NHS page or professional body
read so far says to keep pressure off them.

Texts an editor has since changed are left alone. The reverse puts back the weak
references as 0011 made them, with their links, removes the pages added here and gives
the two flags and the pregnancy caution their 0011 texts and tiers.
"""

from datetime import date

from django.db import migrations
from django.utils.text import slugify

READ_ON = date(2026, 12, 6)
# When 0011's sources were read: the weak references are put back with it, so that
# reversing 0011 afterwards finds and removes them.
FIRST_READ_ON = date(2026, 12, 5)

# (source id, authors, published (date, year only) or None, title, site, url)
REFERENCES = [
    (
        "concussion",
        "NHS 111 Wales",
        None,
        "Concussion",
        "NHS 111 Wales",
        "https://111.wales.nhs.uk/Encyclopaedia/c/article/concussion/",
    ),
    (
        "septic-arthritis",
        "NHS",
        None,
        "Septic arthritis",
        "NHS",
        "https://www.nhs.uk/conditions/septic-arthritis/",
    ),
    (
        "heart-attack",
        "Welsh Ambulance Services NHS Trust",
        None,
        "Heart Watch",
        "Welsh Ambulance Services NHS Trust",
        "http://www.ambulance.wales.nhs.uk/Default.aspx?pageId=154&lan=en",
    ),
    (
        "heart-attack-gp",
        "Springwell House Surgery",
        None,
        "Recognising heart attack",
        "Springwell House Surgery",
        "https://springwellhousesurgery.nhs.uk/reconising-a-heart-attack/",
    ),
    (
        "aaa",
        "NHS",
        None,
        "Abdominal aortic aneurysm",
        "NHS",
        "https://www.nhs.uk/conditions/abdominal-aortic-aneurysm/",
    ),
    (
        "sprains",
        "NHS GP practice (merepark.nhs.uk)",
        None,
        "Sprains and strains",
        "merepark.nhs.uk",
        "https://www.merepark.nhs.uk/self-care/tag/sprain/",
    ),
    (
        "scar-massage",
        "Cambridge University Hospitals NHS Foundation Trust",
        None,
        "Scar massage information",
        "Cambridge University Hospitals",
        "https://www.cuh.nhs.uk/patient-information/scar-massage-information/",
    ),
    (
        "maternity-acupuncture",
        "Bolton NHS Foundation Trust",
        None,
        "Maternity complementary therapy: acupuncture",
        "Bolton NHS Foundation Trust",
        "https://www.boltonft.nhs.uk/services/maternity/information/complementary-therapies/"
        "acupuncture/",
    ),
    (
        "aacp",
        "Acupuncture Association of Chartered Physiotherapists",
        (date(2012, 1, 1), True),
        "AACP guidelines for safe practice, version 2",
        "AACP (copy on documents.pub)",
        "https://documents.pub/document/aacp-guidelines-for-safe-practice-for-aacp-guidelines-"
        "for-safe-practice-acupuncture.html",
    ),
]

# Red flags by key: (0011 text, new text or None, emergency before, emergency now, sources).
FLAG_UPDATES = {
    # 111 Wales sends you to A&E for a headache after a head injury that painkillers do
    # not shift; 0011 had no source and left the flag in the softer tier.
    "headache-after-a-blow-to-the-head": (
        "Headache after a blow to the head",
        "A headache after a blow to the head that painkillers do not ease",
        False,
        True,
        ["concussion"],
    ),
    # The NHS page asks for an urgent GP appointment or 111 (its "urgent advice", not A&E
    # or 999): the see-a-doctor-soon tier, whose action is an urgent appointment the same
    # day. It does not mention weight bearing: the flag says what the page lists.
    "a-hot-red-swollen-joint-or-one-you-cannot-put": (
        "A hot, red, swollen joint, or one you cannot put weight on",
        "A joint that suddenly becomes very painful, swollen or discoloured, or joint pain "
        "with a high temperature or shivers",
        False,
        False,
        ["septic-arthritis"],
    ),
    # These two cited only copies of NHS pages on a pharmacy's and an app's site.
    "back-pain-with-chest-pain-pain-spreading-to-your": (
        None,
        None,
        True,
        True,
        ["heart-attack", "heart-attack-gp"],
    ),
    "sudden-severe-pain-in-your-tummy-abdomen-as-well": (None, None, True, True, ["aaa"]),
}

# The pregnancy caution, as 0011 wrote it and as its remaining sources support it: the
# AACP names LI4, SP6 and BL60; GB21 was named only by the course page dropped here.
PREGNANCY_TEXTS = (
    "Ask your midwife or doctor first. Some points are traditionally avoided in pregnancy, "
    "among them LI4, SP6, BL60 and GB21: leave them out. If you lose feeling in your legs, "
    "bottom or genitals, get emergency care now.",
    "Ask your midwife or doctor first. Some points are traditionally avoided in pregnancy, "
    "among them LI4, SP6 and BL60: leave them out. If you lose feeling in your legs, "
    "bottom or genitals, get emergency care now.",
)

# Cautions by key: sources that replace the weak ones they cited.
CAUTION_SOURCES = {
    # Massage is put off for the first days after a sprain, and a scar is massaged only
    # once the wound has fully healed.
    "skin-bruises-and-injuries": ["sprains", "scar-massage"],
    # Certain points are not used in pregnancy (Bolton); the AACP names LI4, SP6 and BL60.
    "pregnancy": ["maternity-acupuncture", "aacp"],
    # Bolton: a bleeding disorder or anticoagulants, talk to your GP first.
    "blood-thinners-or-a-bleeding-disorder": ["maternity-acupuncture"],
}

# The weak references as 0011 made them, and what 0011 linked them to, so the reverse
# can put them back: (key, authors, title, site, url, sort order, flag keys, caution keys).
# None had a publication date.
WEAK_REFERENCES = [
    (
        "lower-back-pain",
        "Red Flag Symptoms",
        "Lower back pain",
        "redflagsymptoms.co.uk",
        "https://redflagsymptoms.co.uk/back-pain",
        209,
        [
            "loss-of-bladder-or-bowel-control",
            "new-difficulty-passing-urine-or-not-feeling-when",
            "numbness-in-the-groin-or-saddle-area-the-inner",
            "weakness-in-one-or-both-legs-that-is-getting-worse",
            "back-pain-with-a-fever-or-feeling-generally-unwell",
            "pain-that-started-after-a-recent-fall-accident-or",
            "weight-loss-you-cannot-explain",
            "sciatica-in-both-legs-at-once",
            "back-pain-with-chest-pain-pain-spreading-to-your",
            "pain-that-is-worse-at-night-or-at-rest-or-wakes",
            "a-lump-or-swelling-on-your-back-or-your-back-has",
        ],
        [],
    ),
    (
        "abdominal-aortic-aneurysm-symptoms",
        "NHS website content, via Zana",
        "Abdominal aortic aneurysm: symptoms",
        "Zana",
        "https://zana.com/a/aneurysm-abdominal-aortic-symptoms-abdominal-aortic-aneurysm.8",
        214,
        ["sudden-severe-pain-in-your-tummy-abdomen-as-well"],
        [],
    ),
    (
        "heart-attack-symptoms",
        "NHS website content, as reproduced on hedgegrailpharmacy.co.uk",
        "Heart attack: symptoms",
        "hedgegrailpharmacy.co.uk",
        "https://hedgegrailpharmacy.co.uk/nhs_conditions_heart-attack_symptoms",
        215,
        ["back-pain-with-chest-pain-pain-spreading-to-your"],
        [],
    ),
    (
        "what-is-massage-therapy",
        "National Center for Complementary and Integrative Health (text as copied by MegaTopx)",
        "What is massage therapy?",
        "MegaTopx",
        "https://massage.megatopx.com/article002_pg2.html",
        219,
        [],
        ["skin-bruises-and-injuries", "blood-thinners-or-a-bleeding-disorder"],
    ),
    (
        "is-acupuncture-safe",
        "NHS website text, quoted by the Daily Mail",
        "Is acupuncture safe?",
        "Daily Mail",
        "http://www.dailymail.co.uk/health/fb-5340647/IS-ACUPUNCTURE-SAFE.html",
        226,
        [],
        ["pregnancy", "blood-thinners-or-a-bleeding-disorder"],
    ),
    (
        "is-massage-for-you",
        "Mayo Clinic (text as copied on ambersherbet.com)",
        "Is massage for you?",
        "ambersherbet.com",
        "http://ambersherbet.com/all-about-massage/is-massage-for-you.html",
        230,
        [],
        [
            "skin-bruises-and-injuries",
            "blood-thinners-or-a-bleeding-disorder",
            "fragile-bones-osteoporosis",
            "shooting-pain-or-tingling",
        ],
    ),
    (
        "is-acupuncture-and-acupressure-safe-in-pregnancy",
        "Health2Mama",
        "Is acupuncture and acupressure safe in pregnancy?",
        "Health2Mama",
        "https://health2mama.com/courses/pregnancy-faqs/lessons/"
        "is-acupuncture-and-acupressure-safe-in-pregnancy/",
        231,
        [],
        ["pregnancy"],
    ),
]


def key_from_text(text, taken):
    """As in 0009, copied so later model changes cannot change what this did."""
    base = slugify(text)
    if len(base) > 50:
        base = base[:50].rsplit("-", 1)[0]
    base = base or "item"
    key, number = base, 1
    while key in taken:
        number += 1
        key = f"{base}-{number}"
    return key


def new_key(model, text):
    return key_from_text(text, set(model.objects.exclude(key=None).values_list("key", flat=True)))


def update_text(row, field, old, new):
    """Change a shipped text, unless an editor has changed it since."""
    if row is not None and getattr(row, field) == old:
        setattr(row, field, new)
        row.save(update_fields=[field])


def is_cited(reference):
    """Whether anything (a point, flag, caution or point note) still cites the reference."""
    return any(
        relation.related_model._base_manager.filter(**{relation.field.name: reference}).exists()
        for relation in reference._meta.related_objects
    )


def add_references(Reference):
    references = {}
    for number, (source, authors, published, title, site, url) in enumerate(REFERENCES, start=1):
        on, year_only = published or (None, False)
        references[source] = Reference.objects.create(
            key=new_key(Reference, title),
            authors=authors,
            published_on=on,
            year_only=year_only,
            title=title,
            site_name=site,
            url=url,
            accessed_on=READ_ON,
            sort_order=300 + number,
        )
    return references


def drop_weak_references(RedFlag, Caution, Reference):
    for *_, url, _sort_order, _flags, _cautions in WEAK_REFERENCES:
        for reference in Reference.objects.filter(url=url):
            for row in [
                *RedFlag.objects.filter(references=reference),
                *Caution.objects.filter(references=reference),
            ]:
                # A weak source is better than none: keep it where an editor has left
                # nothing else (the sources added above make this the exception).
                if row.references.exclude(pk=reference.pk).exists():
                    row.references.remove(reference)
            if not is_cited(reference):
                reference.delete()


def load_sources(apps, schema_editor):
    get = apps.get_model
    RedFlag, Caution = get("points", "RedFlag"), get("points", "Caution")
    Reference = get("points", "Reference")

    # New sources first, so no flag or caution is left without one when the weak go.
    references = add_references(Reference)
    for key, (old, new, before, emergency, sources) in FLAG_UPDATES.items():
        flag = RedFlag.objects.filter(key=key).first()
        if flag is None:
            continue
        if emergency != before:
            flag.emergency = emergency
            flag.save()
        if new:
            update_text(flag, "text", old, new)
        flag.references.add(*(references[source] for source in sources))
    for key, sources in CAUTION_SOURCES.items():
        caution = Caution.objects.filter(key=key).first()
        if caution is not None:
            caution.references.add(*(references[source] for source in sources))
    update_text(Caution.objects.filter(key="pregnancy").first(), "text", *PREGNANCY_TEXTS)

    drop_weak_references(RedFlag, Caution, Reference)


def restore_weak_references(RedFlag, Caution, Reference):
    for key, authors, title, site, url, sort_order, flags, cautions in WEAK_REFERENCES:
        reference = Reference.objects.filter(url=url).first()
        if reference is None:
            taken = Reference.objects.filter(key=key).exists()
            reference = Reference.objects.create(
                key=new_key(Reference, title) if taken else key,
                authors=authors,
                title=title,
                site_name=site,
                url=url,
                accessed_on=FIRST_READ_ON,
                sort_order=sort_order,
            )
        for flag in RedFlag.objects.filter(key__in=flags):
            flag.references.add(reference)
        for caution in Caution.objects.filter(key__in=cautions):
            caution.references.add(reference)


def unload_sources(apps, schema_editor):
    get = apps.get_model
    RedFlag, Caution = get("points", "RedFlag"), get("points", "Caution")
    Reference = get("points", "Reference")

    restore_weak_references(RedFlag, Caution, Reference)
    update_text(Caution.objects.filter(key="pregnancy").first(), "text", *reversed(PREGNANCY_TEXTS))
    for key, (old, new, before, emergency, _sources) in FLAG_UPDATES.items():
        flag = RedFlag.objects.filter(key=key).first()
        if flag is None:
            continue
        if emergency != before:
            flag.emergency = before
            flag.save()
        if new:
            update_text(flag, "text", new, old)
    # Deleting the references also removes their links to flags and cautions.
    Reference.objects.filter(url__in=[url for *_, url in REFERENCES], accessed_on=READ_ON).delete()


class Migration(migrations.Migration):
    dependencies = [("points", "0011_safety_content")]

    operations = [migrations.RunPython(load_sources, unload_sources)]
