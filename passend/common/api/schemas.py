"""The error shape of every operation, for its OpenAPI documentation."""

from __future__ import annotations

from ninja import Field, Schema


class ProblemError(Schema):
    location: str = Field(description="Where the value was, e.g. `query.page`.")
    message: str


class ProblemOut(Schema):
    """An RFC 9457 problem document (served as `application/problem+json`)."""

    type: str = Field("about:blank", description="A URI for the kind of problem.")
    title: str = Field(description="The HTTP status phrase, in the request's language.")
    status: int
    detail: str = Field(description="What went wrong, in the request's language.")
    instance: str = Field(description="The path of the request that failed.")
    errors: list[ProblemError] | None = Field(
        None, description="Only on 422: each invalid value and what is wrong with it."
    )


def problems(*statuses: int) -> dict[int, type[ProblemOut]]:
    """Error responses to document; 401 and 429 can happen on every operation."""
    return dict.fromkeys((401, 429, *statuses), ProblemOut)
