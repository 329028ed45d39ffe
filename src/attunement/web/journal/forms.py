"""The journal forms: writing an entry (with an optional prompt) and searching entries."""

from __future__ import annotations

from django import forms
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from attunement.practices import prompts
from attunement.web.journal import paging, services


def prompt_choices() -> list[tuple[str, str | Promise]]:
    return [("", _("No prompt")), *((p.id, p.question) for p in prompts.prompts())]


class EntryForm(forms.Form):
    # Chosen on the page before (or kept from the entry); shown above the form as a question.
    prompt = forms.ChoiceField(
        choices=prompt_choices,
        required=False,
        widget=forms.HiddenInput,
        error_messages={
            "invalid_choice": _(
                "That prompt is not available any more. Go back to choose another, or write freely."
            )
        },
    )
    title = forms.CharField(
        label=_("Title (optional)"),
        required=False,
        max_length=services.TITLE_MAX_LENGTH,
    )
    body = forms.CharField(
        label=_("Your reflection"),
        max_length=services.BODY_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 14}),
        help_text=_("At most 20,000 characters."),
        error_messages={"required": _("Write something first: an empty entry is not saved.")},
    )


class SearchForm(forms.Form):
    q = forms.CharField(
        label=_("Search your entries"),
        required=False,
        max_length=services.QUERY_MAX_LENGTH,
    )
    cursor = forms.CharField(required=False, max_length=200, widget=forms.HiddenInput)

    def clean_cursor(self) -> str:
        cursor: str = self.cleaned_data["cursor"]
        if cursor:
            try:
                paging.decode(cursor)
            except paging.BadCursor as error:
                raise forms.ValidationError(
                    _("That link to older entries is not valid. Start again from the newest.")
                ) from error
        return cursor
