"""The model's shared vocabulary: pair statuses, SIGAR classes and actor kinds.

Processes, results, plots and the dashboard all speak of an "ally", a
"contested" province or an "insurgent"; they take the words and their codes
from here, so a code in an array and a word in a table always agree.
"""

from __future__ import annotations

from enum import IntEnum, StrEnum


class Status(IntEnum):
    """How a pair of actors stands: the sign of their mutual affinities.

    The integer codes are what the status arrays of a run hold.
    """

    ENEMY = -1
    NEUTRAL = 0
    ALLY = 1

    @property
    def label(self) -> str:
        """The word used in tables and the chronicle (``ally``...)."""
        return self.name.lower()


class SigarClass(IntEnum):
    """SIGAR's five classes of district control, from the government side's share.

    Codes run from insurgent control (0) to government control (4), the
    order SIGAR's assessments use.
    """

    INSURGENT_CONTROL = 0
    INSURGENT_INFLUENCE = 1
    CONTESTED = 2
    GOVERNMENT_INFLUENCE = 3
    GOVERNMENT_CONTROL = 4

    @property
    def label(self) -> str:
        """The words used in tables (``insurgent control``...)."""
        return self.name.lower().replace("_", " ")


class ActorKind(StrEnum):
    """What an actor is, which decides the rules it follows."""

    STATE = "state"
    INSURGENT = "insurgent"
    GOVERNMENT = "government"


#: A province no actor controls (no one holds ``control_share`` of its strength).
CONTESTED = "contested"
