"""The initialization assignment's three functions: each takes layers_dims, returns W1, b1, ..., WL, bL."""

from shapecheck.core.tensors import layouts
from shapecheck.diagnosis.plugin import Contract

LAYOUTS = layouts("dense_params")

INIT = tuple(
    Contract(name, "init", "init", {"layers_dims": "list"}, {"parameters": "dense_params"})
    for name in ("initialize_parameters_zeros", "initialize_parameters_random", "initialize_parameters_he")
)

# init_utils: the notebook's own forward/backward for its experiments; nothing a contract function calls
MODULES: dict[str, tuple[str, ...]] = {"init_utils": ()}
