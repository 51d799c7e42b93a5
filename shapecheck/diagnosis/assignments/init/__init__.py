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
    ratio = np.linalg.norm(s) / max(np.linalg.norm(r), 1e-300)
    correlation = abs(np.corrcoef(s.ravel(), r.ravel())[0, 1]) if np.std(s) > 0 and np.std(r) > 0 else 1.0
    return 0.3 < ratio < 3.0 and correlation < 0.9


# (id, functions, message id, detect, strength): hints.HintRule's fields (hints.py imports the plug-ins, not back)
HINT_RULES = (("missing_seed", ("initialize_parameters_random", "initialize_parameters_he"), "hints.init_missing_seed",
               _unseeded_draw, "weak"),)

ASSIGNMENT = Assignment(
    kind="init",
    contracts=contract.INIT,
    package=__name__,  # cases.py, reference.py, course.py, mistakes.py: loaded when first needed (numpy)
    layouts=contract.LAYOUTS,
    modules=contract.MODULES,
    hint_rules=HINT_RULES,
)
