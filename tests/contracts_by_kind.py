"""Every contract function as "kind.name" (a name alone is ambiguous: compute_cost, predict, ... are graded in
several assignments), for tests parametrized over all of them."""

from shapecheck.diagnosis.assignments import by_function
from shapecheck.diagnosis.contract import ALL

EVERY = sorted(f"{c.kind}.{c.name}" for c in ALL)


def split(qualified: str) -> tuple[str, str]:
    kind, name = qualified.split(".", 1)
    return kind, name


def of_kind(*kinds: str) -> list[str]:
    return [q for q in EVERY if split(q)[0] in kinds]


def reference_of(name: str, kind: str | None = None):
    return by_function(name, kind).reference[name]


def default_kind(name: str) -> str:
    """The deep network's for a name it shares (compute_cost, update_parameters), else the one assignment's."""
    from shapecheck.diagnosis.contract import owners

    kinds = owners(name)
    return "dnn" if "dnn" in kinds else kinds[0]
