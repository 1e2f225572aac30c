from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class NotesConfig(AppConfig):
    name = "notes"
    verbose_name = _("Notes")

    def ready(self) -> None:
        """Search cuts text with the staff dictionary, which is a notes table: core is told
        where to read it (core has no models). Read lazily, not here."""
        from core import search
        from notes.services.search import search_words

        search.words_source_set(search_words)
