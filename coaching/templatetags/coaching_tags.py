import json
from typing import Any

from django import template
from django.core.serializers.json import DjangoJSONEncoder
from django.utils.html import format_html
from django.utils.safestring import SafeString, mark_safe

from coaching.ours import OUR_DEFAULT
from coaching.tempo import Tempo, TempoError

register = template.Library()

# The same escapes as Django's json_script, so text from the admin cannot close the tag.
_JSON_ESCAPES = {ord(">"): "\\u003E", ord("<"): "\\u003C", ord("&"): "\\u0026"}


@register.simple_tag
def json_ld(data: dict[str, Any]) -> SafeString:
    payload = json.dumps(data, cls=DjangoJSONEncoder, ensure_ascii=False).translate(_JSON_ESCAPES)
    return format_html('<script type="application/ld+json">{}</script>', mark_safe(payload))


@register.simple_tag
def our_default() -> SafeString:
    """The mark beside a choice that is the site's, not the guide's (coaching.ours.OUR_DEFAULT)."""
    return format_html('<span class="our-default">{}</span>', OUR_DEFAULT)


@register.filter
def tempo_warning(tempo: Tempo | str) -> str:
    """Tempo.lowering_warning for a tempo or its notation ("" for none)."""
    if isinstance(tempo, str):
        try:
            tempo = Tempo.parse(tempo)
        except TempoError:
            return ""
    return tempo.lowering_warning()
