"""A student's output against the reference's, on one case: every difference as a Problem with a hint.

    problems = compare("linear_backward", case, student_result, reference_result)

Pure: nothing is called but the mutants (the reference with one classic mistake, on the case's own
inputs), and only when something differs. What is checked, in order:

1. the return: None (missing return), not a tuple or the wrong number of values, the right values
   in the wrong order (found by matching each output to the reference's);
2. each output against the contract: a dict's keys (missing keys, and extra ones only when some are
   missing: an additional key harms nothing), Python lists and non-float64 dtypes, None entries
   (a template line left as it was), the shape (rank-1 (n,) for (n, 1), transposes, (m, m) from
   broadcasting, a sum over the wrong axis), then the values, within RTOL = 1e-6 of the
   reference's scale (the largest |entry|), naming the max abs error and the worst index;
3. what the contract leaves opaque (caches) is not compared, except that L_model_forward's caches
   must hold one cache per layer.

The cost: the course ends compute_cost with ``np.squeeze`` and asserts ``cost.shape == ()``. A Python
float, a numpy scalar and a 0-d array all pass; a (1, 1) or (1,) array is a shape problem
("missing_squeeze") even when its value is right, because the course's grader rejects it.

initialize_parameters_deep: its W are random, so only their shapes, dtype, that they are not all
zero, and - when they are a seeded np.random.randn draw whose scale can be read - that the draw is
scaled down as the course does (0.01, 1/√n[l-1], He or Glorot) are checked; its biases must be zeros.
Arrays in float32 (or wider) are compared by value: only integer, boolean and float16 dtypes are problems.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace
from typing import Any, Mapping

import numpy as np

from shapecheck.validate.params import Problem
from shapecheck.diagnosis import hints
from shapecheck.diagnosis.cases import Case
from shapecheck.diagnosis.contract import DICT_LAYOUTS, Contract, contract_of
from shapecheck.diagnosis.hints import Evidence, as_array, close
from shapecheck.diagnosis.mutants import BY_NAME, course_stream, mutants_for, run_mutants
from shapecheck.diagnosis.plugin import BATCHES
from shapecheck.diagnosis.swaps import occurrence_swaps, operand_swaps
from shapecheck.core.dims import show
from shapecheck.core.messages import msg

GRADIENT_LAYOUTS = ("dense_grads", "rnn_cell_grads", "rnn_grads", "lstm_cell_grads", "lstm_grads",
                    "three_layer_grads", "logreg_grads", "planar_grads", "char_rnn_grads")  # issue 14's plug-ins' too
_LAYER_KEY = re.compile(r"^([A-Za-z_]+?)(\d+)$")
_RULES = (  # tensor name -> the course rule it follows (rules.toml)
    (re.compile(r"^dW\d*$"), "rules.dW"), (re.compile(r"^db\d*$"), "rules.db"), (re.compile(r"^dA(_prev|\d+)$"), "rules.dA_prev"),
    (re.compile(r"^W\d+$"), "rules.W"), (re.compile(r"^b\d+$"), "rules.b"), (re.compile(r"^Z$"), "rules.Z"),
    (re.compile(r"^(A|AL)$"), "rules.A"),
)


def compare(contract_name: str, case: Case, student_result: Any, reference_result: Any, *,
            mutant_results: Mapping[str, Any] | None = None) -> list[Problem]:
    """Every way ``student_result`` differs from ``reference_result`` on ``case``, each with its hint.

    ``mutant_results`` (mutant name -> that mutant's output on the case) may be given when already
    computed; otherwise they are computed here, on the case's arguments, only if something differs.
    """
    contract = contract_of(contract_name, case.kind or None)
    run = _Comparison(contract, case, reference_result, mutant_results)
    return run.compare(student_result)


def compare_updated(contract_name: str, case: Case, argument: str, student_after: Any, reference_after: Any) -> list[Problem]:
    """An argument the function updates in place, as the notebook means it to (Dinosaurus' optimize updates the
    caller's parameters through utils' update_parameters), after the student's call against after the
    reference's; the mutants' evidence is that argument after each mutant's call."""
    import copy

    contract = contract_of(contract_name, case.kind or None)
    position = list(contract.inputs).index(argument)
    after: dict[str, Any] = {}
    with course_stream(), np.errstate(all="ignore"):
        for name, mutant in mutants_for(contract_name, contract.kind, case.stand_ins).items():
            args = copy.deepcopy(case.fresh_args())
            try:
                mutant(*args)
            except Exception:  # noqa: BLE001 - a mistake that cannot run on these sizes is no evidence
                continue
            after[name] = args[position]
    updated = replace(contract, outputs={argument: contract.inputs[argument]})
    return _Comparison(updated, case, reference_after, after).compare(student_after)


# --- flattening outputs into named tensors ----------------------------------------------------------


def batches_of(result: Any) -> dict[str, Any] | None:
    """A list of (X, Y) pairs (random_mini_batches) as named tensors, mini_batch_X1, mini_batch_Y1, ...; None if it is not one."""
    if not isinstance(result, (list, tuple)) or not all(isinstance(b, (list, tuple)) and len(b) == 2 for b in result):
        return None
    return {f"mini_batch_{xy}{k}": pair[i] for k, pair in enumerate(result, start=1) for i, xy in enumerate("XY")}


def qualified(output: str, key: Any) -> str:
    """The name of a dict entry of one output among several: v[dW1] (Adam returns parameters, v, s, ...)."""
    return f"{output}[{key}]"


def tensors_of(contract: Contract, result: Any) -> dict[str, Any]:
    """The comparable outputs by name: a tuple's visible entries, a dict's entries, or the one value."""
    if contract.outputs and list(contract.outputs.values())[0] == BATCHES:
        return batches_of(result) or {}
    if contract.returns_tuple:
        if not isinstance(result, (tuple, list)) or len(result) != contract.arity:
            return {}
        tensors = {}
        for i, (name, spec) in enumerate(contract.outputs.items()):
            if isinstance(spec, str) and isinstance(result[i], Mapping):  # a dict inside a tuple: v[dW1], s[dW1], ...
                tensors.update({qualified(name, key): value for key, value in result[i].items()})
            elif spec is not None:
                tensors[name] = result[i]
        return tensors
    (name, spec), = contract.outputs.items()
    if isinstance(spec, str):
        return dict(result) if isinstance(result, Mapping) else {}
    return {name: result}


def symbolic(contract: Contract, tensor: str) -> str:
    """The contract's symbolic shape of an output, in the course's notation: dW3 -> (n[3], n[2])."""
    spec = contract.outputs.get(tensor)
    if isinstance(spec, tuple):
        return _show_symbols(spec, {})
    for layout in (s for s in contract.outputs.values() if isinstance(s, str)):
        for pattern, shape in DICT_LAYOUTS[layout].items():
            if pattern == tensor:
                return _show_symbols(shape, {})
            found = _LAYER_KEY.match(tensor)
            if found and pattern.startswith(found.group(1) + "{"):
                index = int(found.group(2))
                l = index + 1 if pattern.endswith("{l-1}") else index  # noqa: E741
                return _show_symbols(shape, {"l": l})
    return "?"


def _show_symbols(shape: tuple, env: dict) -> str:
    def one(dim):
        if isinstance(dim, int):
            return str(dim)
        if "{l" in dim:
            l = env.get("l")  # noqa: E741
            dim = dim.replace("{l-1}", f"[{l - 1}]" if l else "[l-1]").replace("{l}", f"[{l}]" if l else "[l]")
            return dim
        return {"n": "n[l]", "n_prev": "n[l-1]", "nL": "n[L]", "n0": "n[0]"}.get(dim, dim)

    return "(" + ", ".join(one(d) for d in shape) + ("," if len(shape) == 1 else "") + ")"


def _show(shape) -> str:
    return "?" if shape is None else show(shape)


def _rule(tensor: str) -> str:
    for pattern, rule_id in _RULES:
        if pattern.match(tensor or ""):
            return msg(rule_id)
    return ""


# --- the comparison ------------------------------------------------------------------------------------


@dataclass
class _Comparison:
    contract: Contract
    case: Case
    reference: Any
    given_mutants: Mapping[str, Any] | None
    problems: list[Problem] = field(default_factory=list)
    _mutants: dict[str, dict[str, Any]] | None = None
    _whole: frozenset | None = None
    _swaps: tuple | None = None
    student_tensors: dict[str, Any] = field(default_factory=dict)

    @property
    def name(self) -> str:
        return self.contract.name

    @property
    def reference_tensors(self) -> dict[str, Any]:
        return tensors_of(self.contract, self.reference)

    def outputs_text(self) -> str:
        names = list(self.contract.outputs)
        return names[0] if len(names) == 1 else "(" + ", ".join(names) + ")"

    def add(self, kind: str, tensor: str | None, expected: Any, actual: Any, message: str, hint_id: str, hint: str) -> None:
        self.problems.append(Problem(kind, tensor, expected, actual, message, hint, _rule(tensor or ""), hint_id))

    # --- mutants, lazily ---
    def mutants(self) -> dict[str, dict[str, Any]]:
        if self._mutants is None:
            results = self.given_mutants
            if results is None:
                results = run_mutants(self.name, self.case.fresh_args(), self.contract.kind, stand_ins=self.case.stand_ins,
                                      global_seed=self.case.global_seed)
            self._mutants = {name: tensors_of(self.contract, self._first(result)) for name, result in results.items()}
        return self._mutants

    def whole(self) -> frozenset:
        """The mutants whose every output the student's equals (and that differ from the reference)."""
        if self._whole is None:
            reference = self.reference_tensors
            found = set()
            for name, tensors in self.mutants().items():
                if all(t in tensors and t in self.student_tensors and _same(self.student_tensors[t], tensors[t]) for t in reference) \
                        and any(not _same(tensors[t], reference[t]) for t in reference):
                    found.add(name)
            self._whole = frozenset(found)
        return self._whole

    def swaps(self) -> tuple[tuple[str, str], ...]:
        """(what was read, where it belongs) for each same-shaped input read in place of another whose output is
        the student's whole output (and not the reference's): swaps.py, run when a rule asks."""
        if self._swaps is None:
            reference = self.reference_tensors
            found = []
            if self.contract.role != "init" and self.student_tensors:  # initial weights are draws: no operand to read
                given = (self.name, self.case.fresh_args(), tuple(self.contract.inputs), self.contract.kind, self.case.stand_ins,
                         self.case.global_seed)
                for used, meant, result in operand_swaps(*given) + occurrence_swaps(*given):
                    tensors = tensors_of(self.contract, self._first(result))
                    if (used, meant) not in found \
                            and all(t in tensors and t in self.student_tensors and _same(self.student_tensors[t], tensors[t]) for t in reference) \
                            and any(not _same(tensors[t], reference[t]) for t in reference):
                        found.append((used, meant))
            self._swaps = tuple(found)
        return self._swaps

    def _first(self, result: Any) -> Any:
        """A course output cut to what this (possibly older-edition) contract returns."""
        if isinstance(result, tuple):
            return result[:self.contract.arity] if self.contract.returns_tuple else result[0]
        return result

    def evidence(self, tensor: str, student: Any, reference: Any) -> Evidence:
        return Evidence(self.name, tensor, student, reference, self.case,
                        mutants={name: tensors.get(tensor) for name, tensors in self.mutants().items()},
                        whole=self.whole(), student_tensors=self.student_tensors,
                        reference_tensors=self.reference_tensors, swaps=self.swaps)

    # --- 1. the return ---
    def compare(self, result: Any) -> list[Problem]:
        if result is None:
            self.add("missing", None, self.outputs_text(), None, msg("hints.compare_none", function=self.name),
                     "missing_return", hints.hint_text("missing_return", function=self.name, outputs=self.outputs_text()))
            return self.problems
        older = int(self.contract.notes.get("older_arity", 0))
        is_tuple = isinstance(result, (tuple, list))
        if self.contract.returns_tuple and older and ((is_tuple and len(result) == older) or (older == 1 and not is_tuple)):
            # the older edition returns the first values only (Adam's parameters, v, s; a model's parameters alone)
            self.contract = replace(self.contract, outputs=dict(list(self.contract.outputs.items())[:older]))
            self.reference = tuple(self.reference)[:older] if older > 1 else self.reference[0]
        if self.contract.returns_tuple and not self._structure(result):
            return self.problems
        self.student_tensors = tensors_of(self.contract, result)
        values = result if self.contract.returns_tuple else (result,)
        reference = self.reference if self.contract.returns_tuple else (self.reference,)
        for (name, spec), value, right in zip(self.contract.outputs.items(), values, reference):
            if spec is None:
                self._opaque(name, value)
            elif spec == BATCHES:
                self._batches(name, value, right)
            elif isinstance(spec, str):
                self._dict(name, spec, value, right)
            else:
                self._tensor(name, value, right)
        return self.problems

    def _structure(self, result: Any) -> bool:
        """A tuple of the right length, in the right order; False (with a problem) when not."""
        arity, outputs = self.contract.arity, self.outputs_text()
        if not isinstance(result, (tuple, list)):
            kind = type(result).__name__
            self.add("type", None, outputs, kind, msg("hints.compare_not_tuple", function=self.name, type=kind, outputs=outputs),
                     "not_a_tuple", hints.hint_text("not_a_tuple", function=self.name, type=kind, outputs=outputs))
            return False
        if len(result) != arity:
            fields = {"function": self.name, "count": len(result), "expected_count": arity, "outputs": outputs}
            self.add("type", None, arity, len(result), msg("hints.compare_arity", **fields), "wrong_arity", hints.hint_text("wrong_arity", **fields))
            return False
        order = self._order(result)
        if order is not None:
            fields = {"function": self.name, "actual_order": ", ".join(order), "expected_order": ", ".join(self.contract.outputs),
                      "outputs": outputs}
            self.add("type", None, tuple(self.contract.outputs), tuple(order), msg("hints.compare_order", **fields),
                     "wrong_tuple_order", hints.hint_text("wrong_tuple_order", **fields))
            return False
        return True

    def _order(self, result: tuple) -> list[str] | None:
        """The student's order of the outputs when it is a permutation of the course's, else None."""
        names = list(self.contract.outputs)
        visible = [j for j, n in enumerate(names) if self.contract.outputs[n] is not None]
        reference = self.reference
        if all(_same(result[j], reference[j]) for j in visible):
            return None
        placed: dict[int, int] = {}
        for j in visible:
            where = [i for i in range(len(result)) if i not in placed.values() and _same(result[i], reference[j])]
            if not where:
                return None
            placed[j] = where[0]
        if all(placed[j] == j for j in visible):
            return None
        order: list[str | None] = [None] * len(result)
        for j, i in placed.items():
            order[i] = names[j]
        rest = iter(n for j, n in enumerate(names) if j not in placed)
        return [n if n is not None else next(rest) for n in order]

    # --- 2. each output ---
    def _opaque(self, name: str, value: Any) -> None:
        if self.name != "L_model_forward" or name != "caches":
            return
        L = len(self.case.args[1]) // 2
        if not isinstance(value, (list, tuple)):
            kind = type(value).__name__
            self.add("type", "caches", "list", kind, msg("hints.compare_caches_type", type=kind, case=self.case.label),
                     "caches_type", hints.hint_text("caches_type", type=kind))
        elif len(value) != L:
            fields = {"count": len(value), "L": L, "case": self.case.label}
            self.add("shape", "caches", L, len(value), msg("hints.compare_caches", **fields), "caches_length",
                     hints.hint_text("caches_length", **fields))

    def _batches(self, name: str, value: Any, right: Any) -> None:
        """A list of (mini_batch_X, mini_batch_Y) pairs: its length first, then each pair's arrays."""
        theirs, ours = batches_of(value), batches_of(right)
        if theirs is None:
            kind = type(value).__name__
            self.add("type", name, "list", kind, msg("hints.compare_batches_type", function=self.name, type=kind),
                     "wrong_type", hints.hint_text("wrong_type", function=self.name, type=kind, what=msg("hints.a_list_of_pairs")))
            return
        if len(theirs) != len(ours):
            fields = {"function": self.name, "count": len(value), "expected_count": len(right), "case": self.case.label}
            for mutant, tensors in self.mutants().items():  # a classic mistake that makes the same batches
                if tensors.keys() == theirs.keys() and all(_same(theirs[k], tensors[k]) for k in theirs):
                    mistake = BY_NAME[mutant]
                    self.add("shape", name, len(right), len(value), msg("hints.compare_batch_count", **fields),
                             mistake.hint, msg(mistake.message_id, tensor=name, **fields))
                    return
            self.add("shape", name, len(right), len(value), msg("hints.compare_batch_count", **fields),
                     "minibatch_count", hints.hint_text("minibatch_count", **fields))
            return
        for key in ours:
            self._tensor(key, theirs[key], ours[key])

    def _dict(self, name: str, layout: str, value: Any, right: Mapping) -> None:
        expected_keys = list(right)
        if not isinstance(value, Mapping):
            kind = type(value).__name__
            what = msg("hints.a_dict", keys=", ".join(expected_keys))
            self.add("type", name, "dict", kind, msg("hints.compare_not_dict", tensor=name, type=kind, function=self.name, keys=", ".join(expected_keys)),
                     "wrong_type", hints.hint_text("wrong_type", function=self.name, type=kind, what=what))
            return
        missing = [k for k in expected_keys if k not in value]
        extra = [k for k in value if k not in right]
        renamed: set[str] = set()
        if missing:
            hint_id = self._keys_hint(layout, missing, extra, value, right)
            fields = {"tensor": name, "missing_keys": ", ".join(missing), "extra_keys": ", ".join(map(str, extra)) or "none",
                      "expected_keys": ", ".join(expected_keys), "actual_keys": ", ".join(map(str, value))}
            self.add("missing", name, expected_keys, list(map(str, value)), msg("hints.compare_keys", **fields), hint_id,
                     hints.hint_text({"off_by_one_layer": "off_by_one_keys"}.get(hint_id, hint_id), **fields))
            # a value that sits under another key is explained by the keys already
            renamed = {k for k in value if k in right and any(_same(value[k], right[o]) for o in right if o != k)}
        if not missing and extra and self.contract.role == "init":  # an initializer's dict is the network: W0 is a layer too many
            fields = {"tensor": name, "function": self.name, "extra_keys": ", ".join(map(str, extra)), "expected_keys": ", ".join(expected_keys)}
            self.add("missing", name, expected_keys, list(map(str, value)), msg("hints.compare_extra_keys", **fields),
                     "off_by_one_layer", hints.hint_text("off_by_one_keys_extra", **fields))
        for key in expected_keys:
            if key in value and key not in renamed:
                tensor = qualified(name, key) if self.contract.returns_tuple else key
                self._tensor(tensor, value[key], right[key], layout=layout)

    def _keys_hint(self, layout: str, missing: list[str], extra: list, value: Mapping, right: Mapping) -> str:
        if layout == "dense_grads" and self._old_edition(value, right):
            return "old_edition_keys"
        if layout in GRADIENT_LAYOUTS:
            return "wrong_grads_keys"
        theirs, ours = _layers(value), _layers(right)
        if ours and theirs.keys() == ours.keys() and all(_shifted(theirs[p], ours[p]) for p in ours):
            return "off_by_one_layer"
        return "wrong_keys"

    @staticmethod
    def _old_edition(value: Mapping, right: Mapping) -> bool:
        """dA1..dAL holding dA0..dA{L-1}: the older notebook's keys."""
        dA = sorted(int(k[2:]) for k in right if re.fullmatch(r"dA\d+", k))
        return bool(dA) and all(f"dA{i + 1}" in value and _same(value[f"dA{i + 1}"], right[f"dA{i}"]) for i in dA)

    def _tensor(self, tensor: str, value: Any, right: Any, layout: str | None = None) -> None:
        if value is None:
            self.add("missing", tensor, _show(np.shape(right)), None, msg("hints.compare_none_tensor", tensor=tensor, function=self.name),
                     "unfinished_template", hints.hint_text("unfinished_template", tensor=tensor))
            return
        array = as_array(value)
        if isinstance(value, (list, tuple)) and not isinstance(right, (list, tuple)):  # a list where the course has one is fine (costs)
            kind = type(value).__name__
            self.add("type", tensor, "numpy array", kind, msg("hints.compare_type", tensor=tensor, type=kind),
                     "not_an_array", hints.hint_text("not_an_array", tensor=tensor, type=kind))
        if array is None:
            if not isinstance(value, (list, tuple)):
                kind = type(value).__name__
                self.add("type", tensor, "numpy array", kind, msg("hints.compare_type", tensor=tensor, type=kind),
                         "wrong_type", hints.hint_text("wrong_type", function=self.name, type=kind, what=msg("hints.an_array")))
            return
        dtype = getattr(value, "dtype", None)
        # float32 (and wider) keeps the course's values to about 7 digits: the values decide; ints, bools, float16 do not
        right_dtype = getattr(right, "dtype", np.dtype(float))
        # where the course itself returns booleans or integers (predictions), any numeric dtype will do
        if dtype is not None and not (dtype.kind == "f" and dtype.itemsize >= 4) and right_dtype.kind == "f":
            self.add("dtype", tensor, "float64", str(dtype), msg("hints.compare_dtype", tensor=tensor, dtype=dtype),
                     "wrong_dtype", hints.hint_text("wrong_dtype", tensor=tensor, dtype=dtype))
        right_array = as_array(right)
        random = self.name == "initialize_parameters_deep" and tensor.startswith("W")
        if array.shape != right_array.shape and array.size == right_array.size == 1 and self.contract.notes.get("one_number"):
            array = array.reshape(right_array.shape)  # one number, as an editions' (1, 1, 1) array or a float
        if array.shape != right_array.shape:
            fixed = self._shape_problem(tensor, array, right_array)
            # an initializer's W drawn in the transposed shape is another draw, not the right one transposed
            redrawn = self.contract.role == "init" and array.ndim == 2 and fixed is not None and fixed.shape == array.shape[::-1]
            if fixed is None or random or redrawn:
                return
            array = fixed
        if random:
            evidence = self.evidence(tensor, array, right_array)
            if not np.any(array) or hints.choose(evidence).id == "init_scale":
                self._value_problem(tensor, array, right_array)
            return
        bar = float(self.contract.notes.get("verdict_below", 0))
        if bar and array.size == right_array.size == 1 and abs(float(array.item())) < bar and abs(float(right_array.item())) < bar:
            return  # a gradient check's difference: below the course's bar, rounding noise is the same verdict
        if not close(array, right_array):
            self._value_problem(tensor, array, right_array)

    def _shape_problem(self, tensor: str, array: np.ndarray, right: np.ndarray) -> np.ndarray | None:
        """The shape problem; returns the student's array brought to the right shape when that is a pure
        reshape (rank-1, unsqueezed) or a transpose, so its values can still be compared."""
        evidence = self.evidence(tensor, array, right)
        hint = hints.explain(evidence)
        fields = {"tensor": tensor, "actual": _show(array.shape), "expected": _show(right.shape),
                  "symbolic": symbolic(self.contract, tensor), "case": self.case.label}
        self.add("shape", tensor, tuple(right.shape), tuple(array.shape), msg("hints.compare_shape", **fields), hint.id, hint.text)
        if hint.id in ("missing_keepdims", "rank_1_array", "missing_squeeze") and array.size == right.size:
            return array.reshape(right.shape)
        if hint.id == "transposed" and array.T.shape == right.shape:
            return array.T
        return None

    def _value_problem(self, tensor: str, array: np.ndarray, right: np.ndarray) -> None:
        evidence = self.evidence(tensor, array, right)
        hint = hints.explain(evidence)
        error, index, yours, expected = hints.error_at_worst(array, right)
        scale = float(np.max(np.abs(right))) if right.size else 0.0
        fields = {"tensor": tensor, "max_error": f"{error:.3g}", "worst_index": list(index), "yours": f"{yours:.6g}",
                  "right": f"{expected:.6g}", "tolerance": f"{hints.RTOL * scale + hints.ATOL:.1e}", "case": self.case.label}
        kind = "gradient" if self.contract.role == "backward" else "value"
        self.add(kind, tensor, expected, yours, msg("hints.compare_values", **fields), hint.id, hint.text)


def _layers(keys) -> dict[str, set[int]]:
    """{"W": {1, 2, 3}, "b": {1, 2, 3}} from layer-indexed keys."""
    found: dict[str, set[int]] = {}
    for key in keys:
        match = _LAYER_KEY.match(str(key))
        if match:
            found.setdefault(match.group(1), set()).add(int(match.group(2)))
    return found


def _shifted(theirs: set[int], ours: set[int]) -> bool:
    """The same layers moved by one, or one layer short at either end."""
    return theirs in ({i - 1 for i in ours}, {i + 1 for i in ours}, ours - {max(ours)}, ours - {min(ours)}, ours)


def _same(a: Any, b: Any) -> bool:
    """Equal within tolerance: arrays (or numbers) by ``close``, dicts key by key."""
    if isinstance(a, Mapping) or isinstance(b, Mapping):
        return isinstance(a, Mapping) and isinstance(b, Mapping) and a.keys() == b.keys() and all(_same(a[k], b[k]) for k in a)
    if a is None or b is None:
        return a is None and b is None
    return close(a, b)
