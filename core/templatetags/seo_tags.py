"""What search engines and link previews read: JSON-LD, canonical links and
absolute URLs for share images.

These only format what the view gives them; none of them touches the database.
"""

import json

from django import template
from django.core.serializers.json import DjangoJSONEncoder
from django.templatetags.static import static
from django.utils.html import _json_script_escapes, format_html
from django.utils.safestring import mark_safe

from core.seo import DEFAULT_SHARE_IMAGE, SHARE_CARD_NAME

register = template.Library()


@register.filter(is_safe=True)
def json_ld(data):
    """A dict → <script type="application/ld+json">…</script>.

    Like Django's json_script, <, > and & are written as \\u escapes, so user
    text such as "</script>" cannot end the element early; unlike it, no id
    attribute is added (search engines don't need one, and two pages' worth
    of the same id would be invalid HTML).
    """
    if not data:
        return ""
    text = json.dumps(data, cls=DjangoJSONEncoder, ensure_ascii=False, separators=(",", ":"))
    return format_html(
        '<script type="application/ld+json">{}</script>',
        mark_safe(text.translate(_json_script_escapes)),
    )


@register.simple_tag(takes_context=True)
def canonical_url(context):
    """This page's address without its query string, except a page number
    past the first, so each page of a list is its own canonical page."""
    request = context["request"]
    url = request.build_absolute_uri(request.path)
    page = context.get("page_obj")
    if page is not None and page.number > 1:
        url += f"?page={page.number}"
    return url


@register.simple_tag(takes_context=True)
def absolute_static(context, path):
    """The full URL of a static file, for tags that need scheme and host
    (og:image): link previews are fetched from other sites."""
    return context["request"].build_absolute_uri(static(path))


class CaptureNode(template.Node):
    # Lets {% block %} tags inside be overridden by child templates.
    child_nodelists = ("nodelist",)

    def __init__(self, nodelist, name):
        self.nodelist = nodelist
        self.name = name

    def render(self, context):
        # The blocks' output is already escaped; keeping it marked safe stops
        # it being escaped twice where it is used again.
        text = " ".join(self.nodelist.render(context).split())
        context[self.name] = mark_safe(text)
        return ""


@register.tag
def capture(parser, token):
    """{% capture as name %}…{% endcapture %}: render once, use many times.

    base.html wraps the title and description blocks in it so a page that
    fills them once gets the same text in <title>, og:title and twitter:title.
    Whitespace runs collapse to one space.
    """
    bits = token.split_contents()
    if len(bits) != 3 or bits[1] != "as":
        raise template.TemplateSyntaxError("Usage: {% capture as name %}…{% endcapture %}")
    nodelist = parser.parse(("endcapture",))
    parser.delete_first_token()
    return CaptureNode(nodelist, bits[2])


OPEN_GRAPH_TYPES = {"Movie": "video.movie", "Person": "profile", "Review": "article"}


@register.simple_tag(takes_context=True)
def link_preview(context, data):
    """Open Graph type, image and its alt text for a page, read off the
    page's JSON-LD so both always agree; the default card otherwise."""
    data = data or {}
    kind = data.get("@type", "")
    default_image = absolute_static(context, DEFAULT_SHARE_IMAGE)
    image = data.get("image") or data.get("itemReviewed", {}).get("image") or default_image
    site_name = context.get("site_name", "")
    picture = "Title card" if image.endswith("/" + SHARE_CARD_NAME) else "Poster"
    if image == default_image:
        image_alt = f"{site_name}: films, people and fans' reviews"
    elif kind == "Movie":
        image_alt = f"{picture} of {data['name']}"
    elif kind == "Review":
        image_alt = f"{picture} of {data['itemReviewed']['name']}"
    else:
        image_alt = f"Photo of {data.get('name', '')}"
    return {"type": OPEN_GRAPH_TYPES.get(kind, "website"), "image": image, "image_alt": image_alt}


@register.simple_tag(takes_context=True)
def page_film(context):
    """The film a page is about (its own page, cast, reviews or one review),
    so the head can link that film's review feeds; None elsewhere."""
    film = context.get("film")
    if film is None:
        film = getattr(context.get("review"), "film", None)
    return film if getattr(film, "slug", "") else None
