"""The practice forms: coaching a message, each step of a flow, replies and the practice log."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from attunement.web.practices import services


class CoachForm(forms.Form):
    text = forms.CharField(
        label=_("The message you are about to send"),
        max_length=services.ORIGINAL_MAX_LENGTH,
        strip=False,
        widget=forms.Textarea(attrs={"rows": 6}),
        error_messages={"required": _("Write or paste a message first.")},
    )


class StartForm(forms.Form):
    original = forms.CharField(
        required=False,
        max_length=services.ORIGINAL_MAX_LENGTH,
        widget=forms.HiddenInput,
    )


class StepForm(forms.Form):
    answer = forms.CharField(
        label=_("Your answer"),
        required=False,
        max_length=services.ANSWER_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 4}),
    )


class MessageForm(forms.Form):
    message = forms.CharField(
        label=_("Your message, in your own words"),
        max_length=services.MESSAGE_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 10}),
        error_messages={"required": _("Write the message first: an empty message is not kept.")},
    )


class ReplyForm(forms.Form):
    """A reply in the listener's three moves; at least one is needed."""

    acknowledge = forms.CharField(
        label=_("Acknowledge: what it meant that they wrote this"),
        help_text=_("For example: \u201cThank you for telling me. I know it wasn't easy.\u201d"),
        required=False,
        max_length=services.ANSWER_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    reflect = forms.CharField(
        label=_("Reflect: what you heard, in your own words"),
        help_text=_("For example: \u201cWhat I hear is that you felt alone when \u2026\u201d"),
        required=False,
        max_length=services.ANSWER_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    ask = forms.CharField(
        label=_("Ask: whether you got it right, or what would help"),
        help_text=_(
            "For example: \u201cDid I get that right? Is there more you want me to know?\u201d"
        ),
        required=False,
        max_length=services.ANSWER_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if not any(str(data.get(name, "")).strip() for name in ("acknowledge", "reflect", "ask")):
            raise forms.ValidationError(_("Write at least one part of your reply first."))
        return data


class LogForm(forms.Form):
    note = forms.CharField(
        label=_("A private note (optional)"),
        required=False,
        max_length=services.NOTE_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("How it went, what you noticed. Only you can read it."),
    )


def coached(form: forms.Form, field: str, url: str, *, described_by: str = "") -> forms.Form:
    """Make the field's text checked by the live coach as the person types (htmx, debounced).

    The coach's answer replaces the element with id `coach-result`. Without
    JavaScript nothing happens and the page works as before. The field stays
    described by `described_by`, its help text and its errors, then the coach.
    """
    described = [described_by, form[field].aria_describedby or "", "coach-result"]
    form.fields[field].widget.attrs.update(
        {
            "hx-post": url,
            "hx-trigger": "input changed delay:500ms, load",
            "hx-target": "#coach-result",
            "hx-sync": "this:replace",
            "aria-describedby": " ".join(d for d in described if d),
        }
    )
    return form
