"""Constants shared by the SEO template tags and the apps' JSON-LD builders."""

# The picture link previews use when a page has none of its own.
DEFAULT_SHARE_IMAGE = "img/share.png"
