"""The mark of the site's own choices, in plain Python: the pages and the pure rules that
word advice (training/progression.py) say it alike."""

# Beside each of the site's own choices wherever it is shown (each rung's advance criteria,
# the presets' seconds, the order of the rungs, the level advice's thresholds), so it reads
# apart from the guide's facts: the source material sets none of them. It says whose choice
# they are, not who changes them: they are the site's content, edited in the admin, not in a
# coach's prescription.
OUR_DEFAULT = "hipthrust's own choice, not the guide's"
