"""Each point's Chinese name beside its pinyin, in simplified characters as the WHO standard
location tables and Chinese acupoint references print them."""

from django.db import migrations

CHINESE_NAMES = {
    "BL23": "肾俞",  # Shenshu
    "BL40": "委中",  # Weizhong
    "BL62": "申脉",  # Shenmai
    "GB30": "环跳",  # Huantiao
    "LI4": "合谷",  # Hegu
}


def add_names(apps, schema_editor):
    Point = apps.get_model("points", "Point")
    for code, name in CHINESE_NAMES.items():
        Point.objects.filter(code=code, chinese_name="").update(chinese_name=name)


class Migration(migrations.Migration):
    dependencies = [("points", "0014_english_translations")]

    operations = [migrations.RunPython(add_names, migrations.RunPython.noop)]
