"""A seed that numpy would refuse (-1, 1.5, "0", True) is one sentence from every public function that draws
from one, not numpy's "expected non-negative integer" ten frames down; numpy's integers are seeds too."""

import numpy as np
import pytest

import shapecheck as sc


SEEDED = {  # every public function that draws from a seed
    "init_params": lambda seed: sc.init_params([3, 2, 1], seed=seed),
    "Sequential": lambda seed: sc.Sequential([sc.Dense(1, input_shape=(2,))], seed=seed).predict(np.zeros((3, 2))),
    "gradcheck": lambda seed: sc.gradcheck(lambda p: float(np.sum(p["W"] ** 2)), {"W": np.ones((2, 2))},
                                           {"dW": 2 * np.ones((2, 2))}, mode="sample", k=2, seed=seed),
    "sweep": lambda seed: sc.sweep([2, 3, 1], "moons", learning_rates=[0.1], iterations=2, every=1, m=20, seed=seed,
                                   progress=False),
}


@pytest.mark.parametrize("name", SEEDED)
@pytest.mark.parametrize("seed", [-1, 1.5, "0", True])
def test_a_seed_that_is_not_a_whole_number_from_0_is_one_sentence(name, seed):
    with pytest.raises(sc.ShapecheckError, match=r"seed = .* is not valid: a seed is a whole number ≥ 0"):
        SEEDED[name](seed)


@pytest.mark.parametrize("name", SEEDED)
def test_a_numpy_integer_seed_draws_what_the_same_int_draws(name):
    ours, plain = SEEDED[name](np.int64(3)), SEEDED[name](3)
    if name == "init_params":
        assert all(np.array_equal(ours[k], plain[k]) for k in plain)
    elif name == "Sequential":
        assert np.array_equal(ours, plain)
    else:
        assert ours.to_json() == plain.to_json()
