"""The checks Scrutineer knows, by ID. Each family module registers its functions here with a decorator.

An advert check is called once per advert with the advert read once (`AdvertText`), its rule from the checklist,
and the campaign bundle (for checks that compare the advert with campaign facts). A campaign check is called once
per audit with the bundle and its rule. Both return an `Outcome`.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from audits.model import CampaignBundle, Outcome

if TYPE_CHECKING:
    from audits.checklist import Rule
    from audits.text import AdvertText

AdvertCheck = Callable[["AdvertText", "Rule", CampaignBundle], Outcome]
CampaignCheck = Callable[[CampaignBundle, "Rule"], Outcome]


@dataclass(frozen=True)
class CheckSpec:
    id: str
    scope: str  # "advert" or "campaign"
    function: Callable[..., Outcome]


CHECKS: dict[str, CheckSpec] = {}


def _register(check_id: str, scope: str, function: Callable[..., Outcome]) -> None:
    if check_id in CHECKS:
        raise RuntimeError(f"check {check_id} is registered twice")
    CHECKS[check_id] = CheckSpec(check_id, scope, function)


def advert_check(check_id: str) -> Callable[[AdvertCheck], AdvertCheck]:
    def decorate(function: AdvertCheck) -> AdvertCheck:
        _register(check_id, "advert", function)
        return function

    return decorate


def campaign_check(check_id: str) -> Callable[[CampaignCheck], CampaignCheck]:
    def decorate(function: CampaignCheck) -> CampaignCheck:
        _register(check_id, "campaign", function)
        return function

    return decorate
