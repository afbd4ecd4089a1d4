from decimal import Decimal

from django.db import migrations

# Mức lương cơ sở: Nghị định 38/2019/NĐ-CP, 24/2023/NĐ-CP, 73/2024/NĐ-CP.
ROWS = [
    ("2019-07-01", Decimal("1490000"), "Nghị định 38/2019/NĐ-CP"),
    ("2023-07-01", Decimal("1800000"), "Nghị định 24/2023/NĐ-CP"),
    ("2024-07-01", Decimal("2340000"), "Nghị định 73/2024/NĐ-CP"),
]


def add_rows(apps, schema_editor):
    BaseSalary = apps.get_model("awards", "BaseSalary")
    for day, amount, basis in ROWS:
        BaseSalary.objects.get_or_create(effective_from=day, defaults={"amount": amount, "legal_basis": basis})


class Migration(migrations.Migration):
    dependencies = [("awards", "0001_proposal_lists_council_decisions")]

    operations = [migrations.RunPython(add_rows, migrations.RunPython.noop)]
