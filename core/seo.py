"""Constants shared by the SEO template tags and the apps' JSON-LD builders."""

# The picture link previews use when a page has none of its own.
DEFAULT_SHARE_IMAGE = "img/share.png"
# The last part of the address of a film's title card (catalog/share_cards.py),
# which link previews describe as such rather than as a poster.
SHARE_CARD_NAME = "card.png"
