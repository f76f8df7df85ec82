from django import template

from catalog.images import picture_for

register = template.Library()


@register.inclusion_tag("includes/picture.html")
def picture(image, alt, sizes, loading="lazy", css_class=""):
    """A responsive `<picture>` for a stored image: WebP sources, JPEG fallback.

    `sizes` tells the browser how wide the image is laid out (match the CSS),
    so it downloads the smallest rendition that is sharp on its screen.
    `loading="eager"` is for the one image above the fold (the film's poster).
    Reads only the row's name, width and height: no query, no storage call.
    """
    return {
        "picture": picture_for(image),
        "original_url": image.url if image else "",
        "alt": alt,
        "sizes": sizes,
        "loading": loading,
        "css_class": css_class,
    }
