"""The form of a page of questions: one choice per item, built from the instrument file."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from attunement.errors import AnswerError
from attunement.instruments.model import Item, ResponseScale

REQUIRED = _("Please choose an answer: this question needs one before you go on.")
NOT_A_CHOICE = _("Please choose one of the answers shown.")
NOT_ACCEPTED = _("This answer could not be saved. Please choose again.")


def choice_label(scale: ResponseScale, value: int) -> str:
    """What a person reads beside a radio button: the label, with the number on sparse scales.

    >>> choice_label(ResponseScale("likely", 1, 9, {1: "Very unlikely"}), 1)
    '1 – Very unlikely'
    """
    fully_labelled = len(scale.labels) == scale.max - scale.min + 1
    if fully_labelled:
        return scale.label(value)
    label = scale.labels.get(value)
    return f"{value} – {label}" if label else str(value)


class PageForm(forms.Form):
    """One page of questions, one radio group per item, built from the instrument file.

    With `partial`, blanks mean "not answered yet" rather than "skipped", and
    nothing is required: that is how Save and stop and Back keep what was chosen.
    """

    def __init__(self, items: Iterable[Item], *args: Any, partial: bool = False, **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.partial = partial
        self.items = list(items)
        for item in self.items:
            scale = item.scale
            self.fields[item.id] = forms.TypedChoiceField(
                label=item.text,
                choices=[(v, choice_label(scale, v)) for v in range(scale.min, scale.max + 1)],
                coerce=int,
                empty_value=None,
                required=item.required and not partial,
                widget=forms.RadioSelect,
                error_messages={"required": REQUIRED, "invalid_choice": NOT_A_CHOICE},
            )

    def questions(self) -> list[tuple[forms.BoundField, Item]]:
        """Each radio group with the item it asks, for the template."""
        return [(self[item.id], item) for item in self.items]

    def answers(self) -> dict[str, int | None]:
        """The answers to save: every item, with None for a skip; only chosen ones when partial."""
        chosen = {name: self.cleaned_data.get(name) for name in self.fields}
        if self.partial:
            return {name: value for name, value in chosen.items() if value is not None}
        return chosen

    def add_answer_error(self, error: AnswerError) -> None:
        """Show the core's verdict beside the question it is about."""
        field = error.item if error.item in self.fields else None
        required = error.reason.startswith("is required")
        self.add_error(field, REQUIRED if required and field else NOT_ACCEPTED)
