"""Page types of the standards app."""

from standards.models.advice import AdviceIndexPage, AdvicePage
from standards.models.boroughs import BoroughIndexPage, BoroughPage
from standards.models.information import InformationPage
from standards.models.london import LondonStandardsPage
from standards.models.neighbourhoods import (
    NeighbourhoodMeeting,
    NeighbourhoodPage,
    NeighbourhoodTeamMember,
    Priority,
)

__all__ = [
    "AdviceIndexPage",
    "AdvicePage",
    "BoroughIndexPage",
    "BoroughPage",
    "InformationPage",
    "LondonStandardsPage",
    "NeighbourhoodMeeting",
    "NeighbourhoodPage",
    "NeighbourhoodTeamMember",
    "Priority",
]
