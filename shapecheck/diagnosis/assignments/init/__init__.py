"""Initialization (course 2, week 1): zeros, random ×10 and He, from the notebook's seed 3.

contract.py (the functions), cases.py (layer sizes), reference.py (the engine's course_inits),
course.py (the course's code with a switch per classic mistake), mistakes.py (their hint ids).
"""

from shapecheck.diagnosis.assignments.init import contract
from shapecheck.diagnosis.plugin import Assignment


def _unseeded_draw(e) -> bool:
    """A draw of the right scale that is not the seeded one: the notebook's np.random.seed(3) is missing
    (or another seed is used). Not a scaled copy of the right draw (that is a wrong scale)."""
    import numpy as np  # the plug-in's __init__ stays numpy-free: watch and the rubric read the contracts only

    s, r = e.s, e.r
    if s is None or r is None or s.shape != r.shape or s.size < 2 or not (e.tensor or "").startswith("W"):
        return False
    # a bias drawn at random (not zeros) moves the stream too: then the seed may well be there
    if any(str(k).startswith("b") and np.any(np.asarray(v, dtype=float)) for k, v in e.student_tensors.items()):
        return False
    ratio = np.linalg.norm(s) / max(np.linalg.norm(r), 1e-300)
    correlation = abs(np.corrcoef(s.ravel(), r.ravel())[0, 1]) if np.std(s) > 0 and np.std(r) > 0 else 1.0
    return 0.3 < ratio < 3.0 and correlation < 0.9


def _uniform_draw(e) -> bool:
    """W[l] is k · np.random.rand(n[l], n[l-1]) from the notebook's seed (or another common one), layer after
    layer: uniform numbers in [0, 1) where the course draws standard normal ones (randn), whatever the scale."""
    import numpy as np

    W, dims = e.s, e.case.args[0] if e.case.args else None
    name = e.tensor or ""
    if W is None or not name.startswith("W") or not name[1:].isdigit() or not isinstance(dims, (list, tuple)) or W.ndim != 2:
        return False
    layer = int(name[1:])
    if not 1 <= layer < len(dims) or W.shape != (dims[layer], dims[layer - 1]) or W.size < 2 or not np.any(W):
        return False
    for seed in (3, 0, 1, 2, 42):
        rng = np.random.RandomState(seed)
        for l in range(1, layer + 1):  # noqa: E741 - the course's index
            raw = rng.rand(dims[l], dims[l - 1])
        k = float(W.flat[int(np.argmax(raw))] / raw.max())
        if k and np.allclose(W, raw * k, rtol=1e-6, atol=0):
            return True
    return False


# (id, functions, message id, detect, strength): hints.HintRule's fields (hints.py imports the plug-ins, not back)
HINT_RULES = (("wrong_distribution", ("initialize_parameters_random", "initialize_parameters_he"), "hints.init_uniform_draw",
               _uniform_draw, "exact"),
              ("missing_seed", ("initialize_parameters_random", "initialize_parameters_he"), "hints.init_missing_seed",
               _unseeded_draw, "weak"))

ASSIGNMENT = Assignment(
    kind="init",
    contracts=contract.INIT,
    package=__name__,  # cases.py, reference.py, course.py, mistakes.py: loaded when first needed (numpy)
    layouts=contract.LAYOUTS,
    modules=contract.MODULES,
    hint_rules=HINT_RULES,
)
