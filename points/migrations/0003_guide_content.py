"""The guide's first content, so a fresh install shows it.

The facts (landmarks, press times, uses) come from the source article, "Spring Cleaning
for Your Back" by Savanna Stone; the wording is the guide's own. Editors change all of it
in the admin afterwards, so the reverse only removes rows this migration made.
"""

from datetime import date

from django.db import migrations

MERIDIANS = [
    {"code": "BL", "name": "Bladder", "other_names": "Urinary Bladder, UB"},
    {"code": "GB", "name": "Gallbladder", "other_names": "Gall Bladder"},
    {"code": "LI", "name": "Large Intestine", "other_names": "Colon"},
]

POINTS = [
    {
        "meridian": "BL",
        "number": 23,
        "code": "BL23",
        "slug": "bl23",
        "english_name": "Sea of Vitality",
        "pinyin": "Shenshu",
        "aliases": "UB23, Bladder 23, Urinary Bladder 23",
        "region": "lower-back",
        "summary": (
            "A point on the lower back at waist level, beside the spine. It is traditionally "
            "used for lower back pain and to strengthen the core."
        ),
        "location": (
            "On the lower back at waist level, between the second and third lumbar vertebrae "
            "(L2 and L3). It lies two finger widths out from the spine, with one point on "
            "each side."
        ),
        "how_to_find": (
            "1. Put your fingers on the lower edge of your rib cage at the back, close to "
            "your spine.\n"
            "2. Press lightly and follow that edge outwards, away from the spine.\n"
            "3. Stop about an inch (two finger widths) from the spine. The point is there.\n"
            "4. Find the same spot on the other side."
        ),
        "technique": (
            "Make small circles on the point with your fingertips, or press straight in. "
            "Keep going for 30 seconds to a few minutes. Every so often, ease off and then "
            "press again. Work on both sides."
        ),
        "press_seconds_min": 30,
        "press_seconds_max": 180,
        "press_and_release": True,
        "bilateral": True,
    },
    {
        "meridian": "GB",
        "number": 30,
        "code": "GB30",
        "slug": "gb30",
        "english_name": "Jumping Circle",
        "pinyin": "Huantiao",
        "aliases": "Gallbladder 30, Gall Bladder 30",
        "region": "hips",
        "summary": (
            "A point in the buttock, towards the side of the hip. It is traditionally used "
            "for sciatic pain and piriformis syndrome."
        ),
        "location": (
            "In the buttock, on a line from the highest point of the sacrum (the flat bone at "
            "the base of the spine) to the hip point, the bony point at the side of the hip "
            "(greater trochanter). Split the line into thirds: the point is one third of the "
            "way along, in the third next to the hip."
        ),
        "how_to_find": (
            "1. Find the hip point: the bony bump at the outer side of your hip.\n"
            "2. Find the highest point of your sacrum, in the middle at the top of your "
            "buttocks.\n"
            "3. Picture a straight line between the two and split it into three equal parts.\n"
            "4. The point is where the first third ends, counting from the hip.\n"
            "5. Find the same spot on the other side."
        ),
        "technique": (
            "Make small circles on the point with your fingertips, or press straight in. "
            "Keep going for 30 seconds to a few minutes. Every so often, ease off and then "
            "press again. Work on both sides."
        ),
        "press_seconds_min": 30,
        "press_seconds_max": 180,
        "press_and_release": True,
        "bilateral": True,
    },
    {
        "meridian": "BL",
        "number": 40,
        "code": "BL40",
        "slug": "bl40",
        "english_name": "Commanding Middle",
        "pinyin": "Weizhong",
        "aliases": "UB40, Bladder 40, Urinary Bladder 40",
        "region": "legs",
        "summary": (
            "A point in the middle of the crease behind the knee. It is traditionally used "
            "for many kinds of back pain, including sciatica, herniated discs and muscle "
            "spasms, and for knee stiffness and arthritis."
        ),
        "location": "At the back of the knee, in the middle of the crease.",
        "how_to_find": (
            "1. Sit down and bend your knee a little, so the crease behind it shows.\n"
            "2. Find the middle of the crease, halfway between its inner and outer ends.\n"
            "3. The point is there.\n"
            "4. Find the same spot on the other leg."
        ),
        "technique": (
            "Make small circles on the point with your fingertips, or press straight in. "
            "Keep going for 30 seconds to a few minutes. Every so often, ease off and then "
            "press again. Work on both legs."
        ),
        "press_seconds_min": 30,
        "press_seconds_max": 180,
        "press_and_release": True,
        "bilateral": True,
    },
    {
        "meridian": "LI",
        "number": 4,
        "code": "LI4",
        "slug": "li4",
        "english_name": "Joining Valley",
        "pinyin": "Hegu",
        "aliases": "Large Intestine 4, Hegu, Union Valley",
        "region": "arms",
        "summary": (
            "A point in the web between the thumb and index finger. It is traditionally used "
            "for pain in many parts of the body, headaches and back pain among them."
        ),
        "location": "In the web of skin and muscle between the thumb and the index finger.",
        "how_to_find": (
            "1. Hold one hand in front of you, with the thumb and index finger a little apart.\n"
            "2. Look at the web of skin between them.\n"
            "3. The point is in that web. It often feels tender when you find it.\n"
            "4. Find the same spot on the other hand."
        ),
        "technique": (
            "Pinch the web between the thumb and index finger of your other hand. The spot "
            "is tender, so press for only 60 to 90 seconds. You can go again if needed. Do "
            "both hands. For back pain, use it together with the other points rather than "
            "on its own."
        ),
        "press_seconds_min": 60,
        "press_seconds_max": 90,
        "press_and_release": False,
        "bilateral": True,
    },
    {
        "meridian": "BL",
        "number": 62,
        "code": "BL62",
        "slug": "bl62",
        "english_name": "Extending Vessel",
        "pinyin": "Shenmai",
        "aliases": "UB62, Bladder 62, Urinary Bladder 62",
        "region": "feet",
        "summary": (
            "A point just below the outer ankle bone. Although it sits on the foot, it is "
            "traditionally used to ease tension in the lower back."
        ),
        "location": "In the soft, fleshy hollow just below the outer ankle bone.",
        "how_to_find": (
            "1. Find the bony bump on the outside of your ankle.\n"
            "2. Slide a finger straight down off the bottom of the bone.\n"
            "3. The point is in the soft hollow right below it.\n"
            "4. Find the same spot on the other foot."
        ),
        "technique": (
            "Press into the hollow with a fingertip or thumb for 30 seconds to a few minutes. "
            "Do both feet. Afterwards, many people find it helps to massage the arches of "
            "the feet firmly."
        ),
        "press_seconds_min": 30,
        "press_seconds_max": 180,
        "press_and_release": False,
        "bilateral": True,
    },
]

CONDITIONS = [
    {
        "slug": "lower-back-pain",
        "name": "Lower back pain",
        "sort_order": 10,
        "summary": (
            "Pain, aching or stiffness in the lower part of the back, between the ribs and "
            "the buttocks. It is very common. It can make bending, lifting or sitting for "
            "long uncomfortable."
        ),
        "advice": (
            "Keeping gently active usually helps more than long rest in bed. See a doctor or "
            "physiotherapist if the pain is severe, does not ease after a few weeks, or comes "
            "with any of the warning signs."
        ),
    },
    {
        "slug": "sciatica",
        "name": "Sciatica",
        "sort_order": 20,
        "summary": (
            "Pain that runs from the lower back or buttock down the back of one leg, along "
            "the sciatic nerve. It can feel sharp, burning or like an electric shock. There "
            "may be tingling or numbness in the leg or foot."
        ),
        "advice": (
            "Gentle movement and a break from what makes it worse may help. See a doctor if "
            "it lasts more than a few weeks, keeps getting worse, or affects both legs."
        ),
    },
    {
        "slug": "piriformis-syndrome",
        "name": "Piriformis syndrome",
        "sort_order": 30,
        "summary": (
            "The piriformis is a small muscle deep in the buttock. When it is tight or "
            "irritated it can press on the sciatic nerve and cause pain in the buttock that "
            "may spread down the leg. Sitting for a long time often makes it worse."
        ),
        "advice": (
            "Gentle hip stretches and short breaks from sitting may help. If the pain spreads "
            "down the leg or does not ease, ask a doctor or physiotherapist to check the "
            "cause."
        ),
    },
    {
        "slug": "herniated-disc",
        "name": "Herniated disc",
        "sort_order": 40,
        "summary": (
            "The discs between the bones of the spine have a soft centre. When part of a disc "
            "bulges out, it can press on a nearby nerve. This can cause back pain, and pain, "
            "numbness or tingling that spreads into a leg. It is also called a slipped disc."
        ),
        "advice": (
            "Many people slowly get better with gentle activity. Have it checked by a doctor, "
            "especially if your leg feels weak or numb, or you notice any of the warning "
            "signs."
        ),
    },
    {
        "slug": "muscle-spasm",
        "name": "Muscle spasm",
        "sort_order": 50,
        "summary": (
            "A sudden tightening of a back muscle that you cannot control. It can feel like a "
            "cramp or a hard knot, and may make it hard to move or stand straight. It often "
            "follows a strain, an awkward movement or a long time in one position."
        ),
        "advice": (
            "Gentle movement, warmth and a rest from heavy lifting may help the muscle relax. "
            "See a doctor if spasms keep coming back or the pain is severe."
        ),
    },
    {
        "slug": "knee-stiffness",
        "name": "Knee stiffness",
        "sort_order": 60,
        "summary": (
            "The knee feels tight or hard to bend or straighten fully. It is often worse in "
            "the morning or after sitting still. There may be aching or some swelling."
        ),
        "advice": (
            "Gentle movement within a comfortable range may help. See a doctor if the knee "
            "is hot, red or very swollen, locks or gives way, or the stiffness does not "
            "improve."
        ),
    },
    {
        "slug": "arthritis",
        "name": "Arthritis",
        "sort_order": 70,
        "summary": (
            "Arthritis means wear or inflammation in a joint. It causes pain, stiffness and "
            "sometimes swelling, and can affect the spine, hips, knees and hands. It often "
            "comes on slowly over years."
        ),
        "advice": (
            "Acupressure does not treat arthritis itself; many people use it for comfort "
            "alongside their usual care. Ask your doctor about a plan, and get help quickly "
            "if a joint suddenly becomes hot, red and swollen."
        ),
    },
    {
        "slug": "headache",
        "name": "Headache",
        "sort_order": 80,
        "summary": (
            "Pain anywhere in the head, from a dull, tight band to a throbbing ache. Most "
            "headaches, such as tension headaches, are not serious and pass with rest."
        ),
        "advice": (
            "Rest, enough water and regular meals help many people. Get help at once for any "
            "of the warning signs, and see a doctor if headaches are frequent or getting "
            "worse."
        ),
    },
]

# (point code, condition slug, why the guide suggests the point for it)
POINT_CONDITIONS = [
    (
        "BL23",
        "lower-back-pain",
        "This is what the point is mainly used for, along with strengthening the core.",
    ),
    ("GB30", "sciatica", "The source article calls this point very effective for sciatic pain."),
    (
        "GB30",
        "piriformis-syndrome",
        "The source article calls this point very effective for piriformis syndrome.",
    ),
    (
        "BL40",
        "herniated-disc",
        "One point used for many kinds of back pain, herniated discs among them.",
    ),
    ("BL40", "sciatica", "One point used for many kinds of back pain, sciatica among them."),
    (
        "BL40",
        "muscle-spasm",
        "One point used for many kinds of back pain, muscle spasms among them.",
    ),
    ("BL40", "knee-stiffness", "Sits right behind the knee and is used for knee stiffness."),
    ("BL40", "arthritis", "One point used for many kinds of pain, arthritis among them."),
    ("BL40", "lower-back-pain", "One point used for many kinds of back pain."),
    ("LI4", "headache", "Traditionally used for pain all over the body, headaches included."),
    (
        "LI4",
        "lower-back-pain",
        "Helps with back pain best when used together with the other back points.",
    ),
    (
        "BL62",
        "lower-back-pain",
        "Though it sits on the foot, it is used to ease tension in the lower back.",
    ),
]

RED_FLAGS = [
    {"text": "Loss of bladder or bowel control", "is_general": True, "urgent": True},
    {
        "text": "Numbness in the groin or saddle area (the inner thighs and buttocks)",
        "is_general": True,
        "urgent": True,
    },
    {
        "text": "Weakness in one or both legs that is getting worse",
        "is_general": True,
        "urgent": True,
    },
    {
        "text": "Back pain with a fever, or feeling generally unwell",
        "is_general": True,
        "urgent": True,
    },
    {
        "text": "Pain that started after a recent fall, accident or other injury",
        "is_general": True,
        "urgent": True,
    },
    {"text": "Weight loss you cannot explain", "is_general": True, "urgent": False},
    {
        "text": "Sciatica in both legs at once",
        "is_general": False,
        "urgent": True,
        "conditions": ["sciatica", "herniated-disc"],
    },
    {
        "text": "A sudden, very severe headache, the worst you have had",
        "is_general": False,
        "urgent": True,
        "conditions": ["headache"],
    },
    {
        "text": "Headache with a stiff neck, fever or rash",
        "is_general": False,
        "urgent": True,
        "conditions": ["headache"],
    },
    {
        "text": "Headache after a blow to the head",
        "is_general": False,
        "urgent": True,
        "conditions": ["headache"],
    },
    {
        "text": "A hot, red, swollen joint, or one you cannot put weight on",
        "is_general": False,
        "urgent": True,
        "conditions": ["knee-stiffness", "arthritis"],
    },
]

CAUTIONS = [
    {
        "title": "Pregnancy",
        "text": (
            "LI4 is traditionally avoided during pregnancy. If you are pregnant, skip this "
            "point, and ask your midwife or doctor before you use acupressure."
        ),
        "points": ["LI4"],
    },
    {
        "title": "Skin, bruises and injuries",
        "text": (
            "Do not press on broken skin, a bruise, swelling, a burn, a recent injury or a "
            "lump. Leave the point out until the area has healed, and have any new lump "
            "checked by a doctor."
        ),
        "points": ["BL23", "GB30", "BL40", "LI4", "BL62"],
    },
    {
        "title": "Varicose veins",
        "text": (
            "Do not press the back of the knee over varicose veins, or if you have ever had "
            "a blood clot in your leg. Ask your doctor first."
        ),
        "points": ["BL40"],
    },
]

SOURCE_ARTICLE = "Stone, S."

REFERENCES = [
    {
        "authors": SOURCE_ARTICLE,
        "published_on": None,
        "year_only": False,
        "title": "Spring Cleaning for Your Back: Acupressure Points to Reduce Back Pain",
        "site_name": "",
        "url": "",
        "is_source_article": True,
        "sort_order": 0,
    },
    {
        "authors": "Bourassa, P.",
        "published_on": date(2018, 2, 10),
        "year_only": False,
        "title": "5 Acupressure Techniques To Relieve Lower Back Pain",
        "site_name": "mindbodygreen",
        "url": "https://www.mindbodygreen.com/articles/acupressure-for-lower-back-pain",
        "is_source_article": False,
        "sort_order": 10,
    },
    {
        "authors": "George, S.",
        "published_on": date(2016, 8, 30),
        "year_only": False,
        "title": "Bladder 23: An Acupressure/Acupuncture Point to Help Back Pain",
        "site_name": "Positive Acupuncture",
        "url": (
            "https://www.positiveacupuncture.co.uk/2012/04/"
            "bladder-23-an-acupressureacupuncture-point-to-help-back-pain/"
        ),
        "is_source_article": False,
        "sort_order": 20,
    },
    {
        "authors": "Larsen, A.",
        "published_on": date(2018, 5, 28),
        "year_only": False,
        "title": "Acupuncture Point: Gallbladder 30",
        "site_name": "Miridia Technology",
        "url": "https://www.miridiatech.com/news/2016/05/acupuncture-point-gallbladder-30/",
        "is_source_article": False,
        "sort_order": 30,
    },
    {
        "authors": "Pletcher, P.",
        "published_on": date(2015, 3, 25),
        "year_only": False,
        "title": "How to Massage Your Pressure Points",
        "site_name": "Healthline",
        "url": "https://www.healthline.com/health/pain-relief/how-to-massage-your-pressure-points#3",
        "is_source_article": False,
        "sort_order": 40,
    },
    {
        "authors": "Tower Health",
        "published_on": date(2018, 1, 1),
        "year_only": True,
        "title": "The 5 Most Important Acupuncture Points For Treating Back Pain",
        "site_name": "Tower Health",
        "url": "https://www.tower-health.co.uk/blog/5-acu-points-for-back-pain/",
        "is_source_article": False,
        "sort_order": 50,
    },
]

ALL_POINTS = ["BL23", "GB30", "BL40", "LI4", "BL62"]
BACK_POINTS = ["BL23", "GB30", "BL40", "BL62"]

# (reference authors, point codes, which facts it backs)
POINT_REFERENCES = [
    (SOURCE_ARTICLE, ALL_POINTS, "location, how to find, press time and uses"),
    ("George, S.", ["BL23"], "location and use for back pain"),
    ("Larsen, A.", ["GB30"], "location and use"),
    ("Pletcher, P.", ["LI4"], "how to press"),
    ("Bourassa, P.", BACK_POINTS, "general back-pain use"),
    ("Tower Health", BACK_POINTS, "general back-pain use"),
]

BENEFITS = [
    "Stimulates the nerves",
    "Eases stress, tension and anxiety",
    "Helps you sleep",
    "Helps the body release endorphins",
    "Loosens tight muscles and joints",
    "Soothes pain from an injury",
    "Helps digestion",
    "Calms headaches",
    "Eases long-lasting (chronic) pain",
]

TIPS = [
    {
        "point": "BL62",
        "title": "Massage the arches of your feet",
        "text": (
            "After pressing BL62, massage the arches of both feet with firm pressure. Many "
            "people find this adds to the relief for back pain."
        ),
        "sort_order": 10,
    },
    {
        "point": None,
        "title": "Relax your back first",
        "text": (
            "Before you start, loosen the muscles of your back. Roll slowly over a back "
            "roller or foam roller, or simply lie or lean back against it for a while."
        ),
        "sort_order": 10,
    },
    {
        "point": None,
        "title": "Press and release",
        "text": (
            "For points marked press and release, do not hold one steady push. Press, ease "
            "off after a few seconds, then press again."
        ),
        "sort_order": 20,
    },
    {
        "point": None,
        "title": "Breathe and go gently",
        "text": (
            "Press firmly, but never so hard that it hurts. Breathe slowly while you press. "
            "If you feel a sharp pain, stop and leave that point out."
        ),
        "sort_order": 30,
    },
    {
        "point": None,
        "title": "Relax again afterwards",
        "text": (
            "When you finish, roll out your back on the roller again, or lie down and rest "
            "for a few minutes."
        ),
        "sort_order": 40,
    },
]


def load_guide(apps, schema_editor):
    Meridian = apps.get_model("points", "Meridian")
    Point = apps.get_model("points", "Point")
    Condition = apps.get_model("points", "Condition")
    PointCondition = apps.get_model("points", "PointCondition")
    RedFlag = apps.get_model("points", "RedFlag")
    Caution = apps.get_model("points", "Caution")
    Reference = apps.get_model("points", "Reference")
    PointReference = apps.get_model("points", "PointReference")
    Benefit = apps.get_model("points", "Benefit")
    Tip = apps.get_model("points", "Tip")

    meridians = {data["code"]: Meridian.objects.create(**data) for data in MERIDIANS}

    points = {}
    for data in POINTS:
        fields = {**data, "meridian": meridians[data["meridian"]]}
        # No review date: only an editor who reviewed a point gives it one (issue 12).
        points[data["code"]] = Point.objects.create(**fields, is_published=True)

    conditions = {
        data["slug"]: Condition.objects.create(**data, is_published=True) for data in CONDITIONS
    }

    for code, slug, note in POINT_CONDITIONS:
        PointCondition.objects.create(point=points[code], condition=conditions[slug], note=note)

    for sort_order, data in enumerate(RED_FLAGS, start=1):
        fields = {key: value for key, value in data.items() if key != "conditions"}
        red_flag = RedFlag.objects.create(**fields, sort_order=sort_order * 10)
        for slug in data.get("conditions", []):
            conditions[slug].red_flags.add(red_flag)

    for data in CAUTIONS:
        caution = Caution.objects.create(title=data["title"], text=data["text"])
        caution.points.add(*(points[code] for code in data["points"]))

    references = {data["authors"]: Reference.objects.create(**data) for data in REFERENCES}
    for authors, codes, supports in POINT_REFERENCES:
        for code in codes:
            PointReference.objects.create(
                point=points[code], reference=references[authors], supports=supports
            )

    for sort_order, text in enumerate(BENEFITS, start=1):
        Benefit.objects.create(text=text, sort_order=sort_order * 10)

    for data in TIPS:
        point = points[data["point"]] if data["point"] else None
        Tip.objects.create(
            point=point, title=data["title"], text=data["text"], sort_order=data["sort_order"]
        )


def unload_guide(apps, schema_editor):
    get = apps.get_model
    # Deleting the points also removes their condition, reference and caution links and
    # their own tips.
    get("points", "Point").objects.filter(code__in=[data["code"] for data in POINTS]).delete()
    get("points", "Tip").objects.filter(
        point__isnull=True, title__in=[data["title"] for data in TIPS]
    ).delete()
    get("points", "Benefit").objects.filter(text__in=BENEFITS).delete()
    for data in REFERENCES:
        get("points", "Reference").objects.filter(
            authors=data["authors"], title=data["title"]
        ).delete()
    get("points", "Caution").objects.filter(title__in=[data["title"] for data in CAUTIONS]).delete()
    get("points", "RedFlag").objects.filter(text__in=[data["text"] for data in RED_FLAGS]).delete()
    get("points", "Condition").objects.filter(
        slug__in=[data["slug"] for data in CONDITIONS]
    ).delete()
    # Points are protected by their meridian; keep a meridian editors have since used.
    get("points", "Meridian").objects.filter(
        code__in=[data["code"] for data in MERIDIANS], points__isnull=True
    ).delete()


class Migration(migrations.Migration):
    dependencies = [("points", "0002_editors_group")]

    operations = [migrations.RunPython(load_guide, unload_guide)]
