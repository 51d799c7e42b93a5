"""Seeded inputs for Dinosaurus Island: the notebook's 27 characters ("\\n" and a-z), n_a = 3, 5 and 7.

clip: gradients spread over ±(2·maxValue + 5) (entries inside and beyond both maxValue and the notebook's 5,
both signs), maxValue not 5, and an extra ``da_next`` as rnn_backward hands it over. sample: seeds that are not the
notebook's, chosen so that names run 6 to 40 characters (a mistake after the first step shows), and a
network that never says "\\n" (the 50-character cap). optimize: a name whose repeated letter drives dby
beyond 5 (so a missing clip shows), learning rates that are not 0.01, a_prev ≠ 0.
"""

import numpy as np

from shapecheck.diagnosis.plugin import Case, rng as _rng
from shapecheck.engine import sampling

CHARS = "\n" + "abcdefghijklmnopqrstuvwxyz"
VOCAB = len(CHARS)  # 27: utils.rnn_forward's default vocab_size


def char_to_ix() -> dict:
    return {ch: i for i, ch in enumerate(CHARS)}


def _parameters(rng, n_a, scale):
    return {"Wax": rng.standard_normal((n_a, VOCAB)) * scale, "Waa": rng.standard_normal((n_a, n_a)) * scale,
            "Wya": rng.standard_normal((VOCAB, n_a)) * scale, "b": rng.uniform(-0.5, 0.5, (n_a, 1)),
            "by": rng.uniform(-0.5, 0.5, (VOCAB, 1))}


def _clip(seed):
    cases = []
    for k, (n_a, bound) in enumerate(((5, 2.0), (3, 10.0), (7, 0.5))):
        rng = _rng(seed, "clip", k)
        spread = 2 * bound + 5  # beyond the bound and beyond the notebook's 5: a typed-in 5 clips other entries
        gradients = {f"d{name}": rng.uniform(-spread, spread, value.shape)
                     for name, value in _parameters(rng, n_a, 1.0).items()}
        gradients["da_next"] = rng.standard_normal((n_a, 1))
        cases.append(Case("clip", (gradients, bound), f"n_a={n_a}, maxValue={bound}", {"n_a": n_a, "n_x": VOCAB, "n_y": VOCAB}))
    return cases


def _sample(seed):
    cases = []
    # (n_a, the bias of "\n"): names of 6 to 40 characters (the seed is drawn until one is), and a network that
    # never says "\n" (the 50-character cap, then the appended "\n")
    for k, (n_a, newline_bias) in enumerate(((5, -0.5), (3, -30.0), (7, -0.5))):
        rng = _rng(seed, "sample", k)
        parameters = _parameters(rng, n_a, 0.8)
        parameters["by"][0, 0] = newline_bias
        for _ in range(100):
            draw = int(rng.integers(1, 1000))
            if newline_bias < -10 or 6 <= len(sampling.sample(parameters, char_to_ix(), draw)) <= 40:
                break
        # the global stream is seeded before the call (as a test cell would), so a sample that never seeds draws
        # numbers we can reproduce: its mistake is then named, not guessed
        cases.append(Case("sample", (parameters, char_to_ix(), draw), f"n_a={n_a}, seed={draw}",
                          {"n_a": n_a, "n_x": VOCAB, "n_y": VOCAB}, global_seed=draw + 1000))
    return cases


def _optimize(seed):
    cases = []
    for k, (n_a, name, rate) in enumerate(((5, "tyrannosaurrrrrrrrus", 0.05), (3, "aa", 0.2), (7, "velociraptor", 0.003))):
        rng = _rng(seed, "optimize", k)
        indices = [char_to_ix()[ch] for ch in name]
        X, Y = [None] + indices, indices + [char_to_ix()["\n"]]
        a_prev = rng.uniform(-0.5, 0.5, (n_a, 1))
        cases.append(Case("optimize", (X, Y, a_prev, _parameters(rng, n_a, 0.5), rate),
                          f"n_a={n_a}, the name {name!r}, learning_rate={rate}",
                          {"n_a": n_a, "n_x": VOCAB, "n_y": VOCAB, "T_x": len(X)}))
    return cases


CASES = {"clip": _clip, "sample": _sample, "optimize": _optimize}
