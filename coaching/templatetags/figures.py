from dataclasses import replace

from django import template
from django.core.files.storage import default_storage
from django.template.loader import render_to_string
from django.utils.safestring import SafeString, mark_safe

from coaching.drawing import Callout, Scene
from coaching.figures import BUILDERS, figure
from coaching.svg import render_figure_panels, render_moving_figure, render_panel

register = template.Library()


@register.simple_tag
def figure_thumbnail(key: str, numbered: bool = False) -> SafeString:
    """The first panel of a figure, small, for lists; decorative beside the rung's name. Its
    numbered callouts are left out, a list showing no legend to say what they point at,
    unless `numbered`: the printable sheet lists the legend beside it."""
    if key not in BUILDERS:
        return mark_safe("")
    drawn = figure(key)
    panel = drawn.panels[0]
    drawing = tuple(item for item in panel.scene.items if numbered or not isinstance(item, Callout))
    svg = render_panel(
        replace(panel, scene=replace(panel.scene, items=drawing), notes=()),
        element_id=f"thumb-{key}",
        title=drawn.title,
        description=drawn.description,
    )
    return mark_safe(f'<div class="fig-thumb">{svg}</div>')


@register.simple_tag
def guide_figure(key: str) -> SafeString:
    """The drawn figure for `key`, or nothing if no figure has that key."""
    if key not in BUILDERS:
        return mark_safe("")
    drawn = figure(key)
    panels = render_figure_panels(drawn, id_prefix=f"fig-{key}")
    return render_to_string(
        "coaching/_figure.html",
        {
            "figure": drawn,
            "panels": [
                {
                    "svg": mark_safe(svg),
                    "caption": panel.caption,
                    "verdict": panel.verdict,
                    "notes": panel.notes,
                }
                for svg, panel in zip(panels, drawn.panels, strict=True)
            ],
        },
    )


@register.simple_tag
def timer_figure(scene: Scene, title: str) -> SafeString:
    """The tempo timer's figure, which timer.mjs moves in time with the count."""
    return mark_safe(render_moving_figure(scene, element_id="timer-figure", title=title))


@register.filter
def media_url(name: str) -> str:
    return default_storage.url(name)


@register.filter
def srcset(renditions: list[dict]) -> str:
    return ", ".join(f"{default_storage.url(r['name'])} {r['width']}w" for r in renditions)
