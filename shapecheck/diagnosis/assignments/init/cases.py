"""Layer sizes for the initializers: no two neighbouring sizes equal (a transpose cannot fit), one
single-layer net, and a first layer wider than 2 (so √(2/n[l-1]) is not √(2/n[l]) by luck)."""

from shapecheck.diagnosis.plugin import Case

DIMS = ([3, 5, 2, 1], [4, 1], [6, 3, 7, 2, 1])


def _sizes(dims: list[int]) -> dict:
    return {"layer_dims": list(dims), "L": len(dims) - 1, "m": 0, **{f"n{l}": n for l, n in enumerate(dims)}}


def _cases(name: str):
    def cases(seed: int) -> list[Case]:
        return [Case(name, (list(dims),), f"layers_dims={dims}", _sizes(dims)) for dims in DIMS]
    return cases


CASES = {name: _cases(name) for name in ("initialize_parameters_zeros", "initialize_parameters_random", "initialize_parameters_he")}
