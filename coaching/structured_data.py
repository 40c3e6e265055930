"""schema.org HowTo data for the guide, so search engines can show its steps."""

from __future__ import annotations

from typing import Any

from coaching.models import Exercise, FormError


def guide_howto(
    exercise: Exercise, cues: dict[str, list], form_errors: list[FormError], *, url: str
) -> dict[str, Any]:
    sections = [
        ("setup", "Set up", f"{url}#setup"),
        ("execution", "Drive up", f"{url}#execution"),
        ("top", "Top position", f"{url}#top-position"),
        ("descent", "Lower under control", f"{url}#descent"),
        ("breathing", "Breathe with the rep", f"{url}#descent"),
    ]
    steps = [
        {
            "@type": "HowToSection",
            "name": title,
            "itemListElement": [
                {
                    "@type": "HowToStep",
                    "name": cue.cue,
                    "text": cue.explanation,
                    "url": anchor,
                }
                for cue in cues[phase]
            ],
        }
        for phase, title, anchor in sections
        if cues[phase]
    ]
    return {
        "@context": "https://schema.org",
        "@type": "HowTo",
        "name": f"How to do the {exercise.name.lower()}",
        "description": exercise.summary,
        "url": url,
        "tool": [{"@type": "HowToTool", "name": "A bench fixed against a wall or rack"}],
        "step": steps,
        "about": [{"@type": "Thing", "name": error.name} for error in form_errors],
    }
