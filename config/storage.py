"""Static files storage."""

from whitenoise.storage import CompressedManifestStaticFilesStorage


class StaticFilesStorage(CompressedManifestStaticFilesStorage):
    """whitenoise's hashed, compressed file names, each worked out once.

    The manifest is read when the process starts and never changes while it
    runs, yet the parent class looks a name up afresh (cleaning, splitting
    and unquoting it) for every `{% static %}`: a few per page, on every page,
    cached or not.
    """

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._urls = {}

    def url(self, name, force=False):
        if force:
            return super().url(name, force)
        try:
            return self._urls[name]
        except KeyError:
            url = self._urls[name] = super().url(name)
            return url
