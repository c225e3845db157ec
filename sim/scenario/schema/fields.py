"""Field types every section shares: numbers that refuse booleans, ranges, Strict."""

from __future__ import annotations

from typing import Annotated, Any

from pydantic import (
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
)

ACTOR_ID = r"^[a-z][a-z0-9_]*$"


def _no_bool(expected: str) -> BeforeValidator:
    """Refuse true/false (and YAML's yes/no/on/off) where a number is expected.

    Pydantic would otherwise read ``resources: true`` as 1.
    """

    def check(value: Any) -> Any:
        if isinstance(value, bool):
            raise ValueError(f"expected {expected}, got {str(value).lower()}")
        return value

    return BeforeValidator(check)


#: A float (an int is taken) or an int, but never a bool.
Number = Annotated[float, _no_bool("a number")]
Whole = Annotated[int, _no_bool("a whole number")]

Unit = Annotated[Number, Field(ge=0.0, le=1.0, allow_inf_nan=False)]
Signed = Annotated[Number, Field(ge=-1.0, le=1.0, allow_inf_nan=False)]
# No quantity of the model is meaningful above a billion (fighters, aid units
# a step, rates, weights); the cap turns a typo such as 1e30 into a clear
# error instead of an overflow in the middle of a run.
LARGEST = 1e9
NonNeg = Annotated[Number, Field(ge=0.0, le=LARGEST, allow_inf_nan=False)]
Finite = Annotated[Number, Field(allow_inf_nan=False)]


class Strict(BaseModel):
    """Base for all scenario sections: unknown keys are errors."""

    model_config = ConfigDict(extra="forbid", populate_by_name=True)
