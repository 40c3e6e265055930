"""The tempo constraints hold Tempo's own rule (coaching.tempo.NOTATION_PATTERN): each phase
0 to 30 seconds, lowering and lifting at least one, as Tempo.notation writes it. The old
pattern took any two digits, so the database accepted 0-0-0-0 and 99-99-99-99, which no
form ever stored (every path cleans a tempo through Tempo), so no row is changed."""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("training", "0014_import_jobs"),
    ]

    operations = [
        migrations.RemoveConstraint(
            model_name="prescription",
            name="prescription_tempo_notation",
        ),
        migrations.RemoveConstraint(
            model_name="set",
            name="set_tempo_notation",
        ),
        migrations.AddConstraint(
            model_name="prescription",
            constraint=models.CheckConstraint(
                condition=models.Q(
                    (
                        "tempo__regex",
                        "^(1|2|3|4|5|6|7|8|9|10|11|12|13|14|15|16|17|18|19|20|21|22|23|24|25|26|27|28|29|30)-(0|1|2|3|4|5|6|7|8|9|10|11|12|13|14|15|16|17|18|19|20|21|22|23|24|25|26|27|28|29|30)-(1|2|3|4|5|6|7|8|9|10|11|12|13|14|15|16|17|18|19|20|21|22|23|24|25|26|27|28|29|30)-(0|1|2|3|4|5|6|7|8|9|10|11|12|13|14|15|16|17|18|19|20|21|22|23|24|25|26|27|28|29|30)$",
                    )
                ),
                name="prescription_tempo_notation",
            ),
        ),
        migrations.AddConstraint(
            model_name="set",
            constraint=models.CheckConstraint(
                condition=models.Q(
                    ("tempo", ""),
                    (
                        "tempo__regex",
                        "^(1|2|3|4|5|6|7|8|9|10|11|12|13|14|15|16|17|18|19|20|21|22|23|24|25|26|27|28|29|30)-(0|1|2|3|4|5|6|7|8|9|10|11|12|13|14|15|16|17|18|19|20|21|22|23|24|25|26|27|28|29|30)-(1|2|3|4|5|6|7|8|9|10|11|12|13|14|15|16|17|18|19|20|21|22|23|24|25|26|27|28|29|30)-(0|1|2|3|4|5|6|7|8|9|10|11|12|13|14|15|16|17|18|19|20|21|22|23|24|25|26|27|28|29|30)$",
                    ),
                    _connector="OR",
                ),
                name="set_tempo_notation",
            ),
        ),
    ]
