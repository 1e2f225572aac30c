"""Forms every app's pages share."""

from urllib.parse import urlencode

from django import forms
from django.conf import settings

from core.pagination import Page

PAGE_SIZE_MAX = 50


class PageForm(forms.Form):
    """`?cursor=` and `?size=`: a bad value falls back to the first page at the default size."""

    cursor = forms.CharField(required=False, max_length=500)
    size = forms.IntegerField(required=False, min_value=1, max_value=PAGE_SIZE_MAX)

    def page_args(self) -> dict:
        cleaned = self.cleaned_data if self.is_valid() else {}
        return {
            "cursor": cleaned.get("cursor") or None,
            "size": cleaned.get("size") or settings.FEED_PAGE_SIZE,
        }

    def query(self) -> dict[str, str]:
        """What the next page's link keeps, besides its own cursor."""
        if self.is_valid() and self.cleaned_data.get("size"):
            return {"size": str(self.cleaned_data["size"])}
        return {}

    def next_query(self, page: Page, keep: dict[str, str] | None = None) -> str:
        """The next page's query string: `keep` (e.g. the place), the size, the new cursor."""
        if not page.has_next:
            return ""
        return urlencode({**(keep or {}), **self.query(), "cursor": page.next_cursor})
