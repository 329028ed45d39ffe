"""The couple report for a signed-in person, built from exactly what was shared."""

from __future__ import annotations

from attunement.insight import CoupleReport, Partner, View, build_report
from attunement.web.accounts.models import User
from attunement.web.assessments import services as assessments
from attunement.web.couples import services as couples
from attunement.web.couples.models import Membership


def report_for(person: User) -> View:
    """The person's own view of the report.

    Alone: their own scores, about their side of the cycle. Paired: the joint
    report from the scale scores each partner chose to share, plus the person's
    own private part. The partner's safety screens are never read here, so
    nothing about them can reach this view.
    """
    couple = couples.active_couple(person)
    if couple is None:
        return own_view(person)
    members = list(
        Membership.objects.filter(couple=couple, active=True).select_related("user").order_by("pk")
    )
    partners, key = [], "a"
    for letter, member in zip("ab", members, strict=False):
        mine = member.user == person
        shared = set(
            couples.shared_instruments(person) if mine else couples.shared_scores_visible_to(person)
        )
        partners.append(Partner(letter, member.user.display_name, _values(member.user, shared)))
        if mine:
            key = letter
    report: CoupleReport = build_report(partners, {key: assessments.screen_outcomes(person)})
    return report.view(key)


def own_view(person: User) -> View:
    """The person's side of the cycle from all their own scores, as if they were alone."""
    own = Partner("a", person.display_name, _values(person, None))
    return build_report([own], {"a": assessments.screen_outcomes(person)}).view("a")


def _values(person: User, shared: set[str] | None) -> dict[str, dict[str, float]]:
    """Scale scores of complete questionnaires; only the shared ones when `shared` is given."""
    scores = assessments.scores_for(person)
    return {
        instrument: score.values()
        for instrument, score in scores.items()
        if shared is None or instrument in shared
    }
