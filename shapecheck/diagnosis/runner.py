"""``diagnose``: a student's file, checked function by function, root causes first.

1. Load the file in a sandbox (statement by statement: a bad statement is a finding, not the end).
2. Check each contract function bottom-up on seeded cases: return type and arity, shapes, values
   against the engine's reference, mutation of inputs, gradients against the student's own forward.
3. For a failing function that calls other student functions, run it again with the reference in
   place of those callees: if it then passes, it only *inherits* the fault (``inherited_from``).
"""

from __future__ import annotations

import ast
import time
from dataclasses import replace
from pathlib import Path

from shapecheck.validate.params import Problem
from shapecheck.diagnosis import cases as case_lib
from shapecheck.diagnosis import edition, imports
from shapecheck.diagnosis.assignments import ASSIGNMENTS, get, not_yet_checked, recognise, recognise_all
from shapecheck.diagnosis.contract import Contract
from shapecheck.diagnosis.plugin import fit_arguments, given
from shapecheck.diagnosis.course_utils import module_sources
from shapecheck.diagnosis.locate import function_node as locate_function, mutation_line
from shapecheck.diagnosis.report import DiagnoseReport, FunctionResult
from shapecheck.diagnosis.sandbox import Outcome, Ref, Sandbox, Template
from shapecheck.diagnosis.source import StudentSource, load_source, read_source_bytes
from shapecheck.core.errors import ShapecheckError
from shapecheck.core.messages import msg
from shapecheck.core.printable import printable


# the arguments an update function may change in place (its parameters, the optimiser's state), beside its outputs
IN_PLACE_ARGUMENTS = ("parameters", "params", "w", "b", "v", "s")
SYNTAX_ERRORS = ("SyntaxError", "IndentationError", "TabError")  # the file cannot be read: nothing of it loads


def diagnose(path: str | Path, kind: str = "auto", *, timeout: float = 3.0, seed: int = 0,
             memory_mb: int = 2048, strict: bool = False, template: Template | None = None,
             data: bytes | None = None) -> DiagnoseReport:
    """Check a student's implementation (.py or .ipynb) of the deep-network or the RNN/LSTM assignment.

    >>> report = diagnose("student.py")          # doctest: +SKIP
    >>> report.passed, report.root_causes[0].name   # doctest: +SKIP

    ``template``: the sandbox's running template process to fork workers from (a grader keeps one for all
    its submissions); by default the sandbox starts its own. ``data``: the file's bytes, already read (a
    grader grades exactly the bytes it hashed).
    """
    if kind != "auto" and kind not in ASSIGNMENTS:
        raise ShapecheckError("diagnose.bad_kind", value=kind, kinds=", ".join(ASSIGNMENTS))
    if not (isinstance(timeout, (int, float)) and 0 < timeout <= 600):
        raise ShapecheckError("diagnose.bad_timeout", value=timeout)
    start = time.perf_counter()
    if data is None:
        data = read_source_bytes(path) if Path(path).suffix in (".py", ".ipynb") and Path(path).is_file() else None
    source = load_source(path, data)
    defined = _definitions(source)
    if kind == "auto":  # a file with functions of several assignments is diagnosed for each
        kinds = recognise_all(defined, _signatures(source))
        if len(kinds) > 1 and not_yet_checked(defined) is None:
            options = dict(timeout=timeout, seed=seed, memory_mb=memory_mb, strict=strict, template=template, data=data)
            first, *others = (diagnose(path, k, **options) for k in kinds)
            return replace(first, parts=others, seconds=time.perf_counter() - start)
    # the helper modules are the recognised assignment's (dnn_app_utils_v3 differs): the file's function names say which
    if kind == "auto" and (other := not_yet_checked(defined)) is not None:
        raise ShapecheckError("diagnose.not_yet", path=printable(str(source.path)), notebook=other[0],
                              functions=", ".join(other[1]))
    modules = module_sources(kind if kind != "auto" else recognise(defined, _signatures(source)))
    # what the file imports that the checker lacks: absent (imports, raises when used), and said in one line
    imported = imports.imported(source.tree)
    absent = imports.absent(imported, modules)
    environment = imports.stood_in(imported, modules)
    modules.update({name: [None, []] for name in absent})
    stars = imports.opaque_stars(source.tree, modules)  # from tensorflow import *: names the checker cannot know
    with Sandbox(source, timeout=timeout, memory_mb=memory_mb, template=template, modules=modules) as box:
        kind = recognise(box.defined, _signatures(source)) if kind == "auto" else kind
        box.course = get(kind).course_source  # what the aide compiles its stand-ins from
        run = _Run(box, source, kind, seed, strict, absent, stars)
        if environment:
            run.notes.append(msg("diagnose.checked_without", modules=", ".join(environment)))
        run.check_all()
        run.find_root_causes()
        findings = run.findings()  # reads what the student's code printed: before the sandbox is cleaned up
    return DiagnoseReport(printable(str(source.path)), kind, run.located(), [run.public_line(p) for p in findings], run.notes,
                          time.perf_counter() - start, isolation=dict(box.in_force), edition=run.edition.edition,
                          editions=run.edition.to_json())


def _missing_name(message: str) -> str:
    """The name a NameError's message names (``name 'Dense' is not defined``)."""
    return message.split("'")[1] if message.count("'") >= 2 else ""


def _kind_from_definitions(source: StudentSource) -> str:
    """The assignment the file's function definitions point to, read from its syntax before anything runs
    (a file that does not parse: the default assignment)."""
    return recognise(_definitions(source), _signatures(source))


def _definitions(source: StudentSource) -> list[str]:
    """The names of the file's function definitions, read from its syntax (none when it does not parse)."""
    tree = source.tree
    return [node.name for node in ast.walk(tree) if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef))] if tree else []


def _arities(source: StudentSource) -> dict[str, int | None]:
    """Each top-level function's count of positional arguments (None where it takes *args)."""
    tree = source.tree
    if tree is None:
        return {}
    return {node.name: None if node.args.vararg else len(node.args.posonlyargs + node.args.args)
            for node in tree.body if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef))}


def _signatures(source: StudentSource) -> dict[str, tuple[str, ...]]:
    """Each top-level function's positional argument names, read from its syntax (the last definition wins,
    as it does when the file runs): compute_cost(A2, Y) is planar's, compute_cost(AL, Y) the deep network's."""
    tree = source.tree
    if tree is None:
        return {}
    return {node.name: tuple(a.arg for a in node.args.posonlyargs + node.args.args)
            for node in tree.body if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef))}


class _Run:
    def __init__(self, box: Sandbox, source: StudentSource, kind: str, seed: int, strict: bool, absent=(), stars=()) -> None:
        self.stars = list(stars)  # modules star-imported whose names the checker cannot know (imports.opaque_stars)
        self.bound = imports.bound_names(source.tree) if stars else frozenset()
        self.box, self.source, self.kind, self.seed, self.strict = box, source, kind, seed, strict
        self.absent = tuple(absent)  # packages the file imports that the checker lacks
        self.results: dict[str, FunctionResult] = {}
        self.notes: list[str] = []
        self.assignment = get(kind)
        self.contracts = self.assignment.contracts
        self._old_edition = False  # L_model_backward keeps dA one index higher, as the older notebook did
        self._in_place: dict[str, str] = {}  # update function -> the argument it updated in place (a warning)
        self.edition = edition.Evidence()  # which notebook edition each telling function matches
        for contract in self.contracts:
            seen = edition.from_signature(contract, locate_function(source.tree, contract.name))
            if seen:
                self.edition.saw(contract.name, seen)
        if source.dropped:
            reasons = sorted({d.reason for d in source.dropped})
            self.notes.append(msg("diagnose.dropped", count=len(source.dropped),
                                  reasons=", ".join(msg(f"diagnose.dropped_reason_{r}") for r in reasons)))

    # --- step 2: each function on its own ---
    def check_all(self) -> None:
        # a function the notebook has but nothing calls (Contract.notes "optional"), absent from the file: not a gap
        self.contracts = tuple(c for c in self.contracts if not (c.notes.get("optional") and c.name not in self.box.defined))
        for contract in self.contracts:
            if contract.name not in self.box.defined:
                self.results[contract.name] = self._missing(contract)
            else:
                self.results[contract.name] = self.check(contract)

    def check(self, contract: Contract, overrides: dict[str, str] | None = None) -> FunctionResult:
        """``overrides``: the student's functions the course's code stands in for (their name -> the course
        file's name); such runs go to the sandbox's aide worker, and so does everything they need."""
        name = contract.name
        result = FunctionResult(name, "pass")
        if overrides:
            self.box.fresh_aide()
        cases = self.assignment.cases[name](self.seed)
        for case in sorted(cases, key=lambda c: c.outside is not None):  # the course's own domain first
            # a case may put course functions in place of the student's (gradient_check with a wrong backward)
            # the case's own stand-ins win: a root-cause run puts the course's backward_propagation in place of the
            # student's, but gradient_check's case with a doubled backward must still get the doubled one
            stand_ins = {**(overrides or {}), **case.stand_ins}
            aide = bool(stand_ins)
            if case.stand_ins and not overrides:
                self.box.fresh_aide()
            args = fit_arguments(contract, self._args(case, aide), self._accepted(name))
            kept = contract.notes.get("updates")
            outcome = self.box.call(name, args, tuple(contract.inputs), stand_ins or None, aide=aide, seed=case.global_seed,
                                    keep=list(contract.inputs).index(kept) if kept else None)
            problems = self._compare(contract, case, outcome) if outcome.ok else []
            if case.outside is not None and (not outcome.ok or problems):
                if not overrides:
                    failed = self._failure(contract, outcome, case) if not outcome.ok else None
                    finding = (failed.problems[0] if failed and failed.problems else problems[0]).message
                    result.notes.append(msg("diagnose.outside", name=name, case=case.label, why=msg(case.outside), finding=finding))
                break
            if not outcome.ok:
                result = self._failure(contract, outcome, case)
                break
            if problems:
                unfinished = self._unfinished(name)
                result = FunctionResult(name, "missing", problems=[unfinished]) if unfinished else FunctionResult(name, "fail", problems=problems)
                break
        if name in self._in_place and not overrides:
            function = locate_function(self.source.tree, name)
            where = self.source.where(mutation_line(function, self._in_place[name], self.source.tree))
            result.notes.append(msg("diagnose.mutation_in_place", name=name, argument=self._in_place[name], where=where))
        if name == "L_model_backward" and self._old_edition:
            result.notes.append(msg("diagnose.edition_old_strict" if self.strict else "diagnose.edition_old"))
        if overrides is None and result.status == "pass":
            self._gradient_check(contract, result)
        return result

    def _args(self, case, aide: bool = False) -> tuple:
        """The case's arguments. Caches are the student's own business, so they are built the student's way:
        1. by the student's forward, when it passes;
        2. by the student's forward run with the reference in place of its failing callees, or by the student's
           own linear_activation_forward layer by layer (for L_model_backward), with the reference's (right)
           values poured into that structure;
        3. else in the course's format, by the reference."""
        link = self.assignment.links.get(case.function)
        if link is None or case.forward_args is None:
            return case.fresh_args()
        forward = self.results.get(link.forward)
        args = list(case.fresh_args())
        if forward is not None and forward.status == "pass":
            outcome = self.box.call(link.forward, case.forward_args, (), aide=aide)
            if outcome.ok:
                for position, out in link.outputs:
                    args[position] = Ref(outcome.handle, (out,))
                return tuple(args)
        if forward is not None and forward.status not in ("missing", "timeout"):  # a forward that hangs: not again
            failing = [c for c in self._callees(self._contract(link.forward))
                       if self.results.get(c) is not None and self.results[c].status != "pass"]
            # the student's own forward first: wrong values, but the caches in the format the student's backward
            # reads (the reference's values go into them); then the deepest failing callee alone, then all of them
            tries: list[dict[str, str]] = [{}]
            if failing:
                tries.append({failing[-1]: failing[-1]})
            if len(failing) > 1:
                tries.append({c: c for c in failing})
            if not aide and len(tries) > 1:
                self.box.fresh_aide()
            for overrides in tries:
                outcome = self.box.call(link.forward, case.forward_args, (), overrides, aide=aide)
                if outcome.status == "timeout":
                    break
                if not outcome.ok:
                    continue
                try:
                    for position, out in link.outputs:
                        args[position] = _transplant(outcome.value[out], args[position])
                    return tuple(args)
                except (TypeError, IndexError, KeyError):
                    args = list(case.fresh_args())  # the student's structure does not fit: try the next way
        if case.function == "L_model_backward" and self.results.get("linear_activation_forward", FunctionResult("", "missing")).status == "pass":
            caches = self._layer_caches(args[2], aide)
            if caches is not None:
                args[2] = caches
        return tuple(args)

    def _layer_caches(self, reference_caches, aide: bool = False) -> list | None:
        """L_model_forward's caches as the course defines them: the student's own linear_activation_forward
        cache of every layer, on the reference's (right) inputs."""
        caches = []
        last = len(reference_caches) - 1
        for l, ((A_prev, W, b), _) in enumerate(reference_caches):
            outcome = self.box.call("linear_activation_forward", (A_prev, W, b, "sigmoid" if l == last else "relu"), (), aide=aide)
            if not outcome.ok:
                return None
            caches.append(Ref(outcome.handle, (1,)))
        return caches

    def _contract(self, name: str) -> Contract:
        return next(c for c in self.contracts if c.name == name)

    def _accepted(self, name: str) -> int | None:
        """How many positional arguments the student's definition of ``name`` takes (None: any number, or unknown)."""
        if not hasattr(self, "_definitions"):
            self._definitions = _arities(self.source)
        return self._definitions.get(name)

    def _compare(self, contract: Contract, case, outcome: Outcome) -> list[Problem]:
        from shapecheck.diagnosis import compare

        expected = case_lib.reference_result(case)
        value = outcome.value
        if contract.name == "L_model_backward":
            value = self._edition(value, expected, case)
        if (seen := edition.from_arity(contract, value)) is not None:
            self.edition.saw(contract.name, seen)
        problems = list(compare.compare(contract.name, case, value, expected))
        if problems:  # the other edition's right answer (planar's nn_model of 2017–20): right too, and said so
            for which, other in self.assignment.editions.get(contract.name, {}).items():
                if not compare.compare(contract.name, case, value, other(*case.fresh_args())):
                    problems = []
                    self.edition.saw(contract.name, which)
                    note = msg("diagnose.edition_matches", name=contract.name, edition=which)
                    if note not in self.notes:
                        self.notes.append(note)
                    break
        updated = contract.notes.get("updates")
        if updated and outcome.kept is not None:  # the argument the notebook's function updates in place, after the call
            args = case.fresh_args()
            given(self.assignment.reference[contract.name], self.assignment.stand_ins(case))(*args)
            position = list(contract.inputs).index(updated)
            problems += compare.compare_updated(contract.name, case, updated, outcome.kept, args[position])
        allowed = contract.notes.get("in_place", "").split(",")
        for argument in outcome.mutated:
            if argument in allowed:  # the notebook's own code changes it in place (utils' update_parameters, clip's out=)
                note = msg("diagnose.in_place_course", name=contract.name, argument=argument)
                if note not in self.notes:
                    self.notes.append(note)
                continue
            if self._in_place_update(contract, argument):
                self._in_place.setdefault(contract.name, argument)
                continue
            problems.append(Problem("mutation", argument, None, None, msg("diagnose.mutation", name=contract.name, argument=argument),
                                    msg("diagnose.mutation_fix"), hint_id="mutates_input"))
        return problems

    @staticmethod
    def _in_place_update(contract: Contract, argument: str) -> bool:
        """An update that changes the caller's parameters in place (``parameters["W1"] -= ...``, as the older
        edition's template did) returns them updated as well: a warning, not a fault. Other arguments
        (X, Y, grads, caches) stay the caller's."""
        return contract.role == "update" and (argument in contract.outputs or argument in IN_PLACE_ARGUMENTS)

    def _edition(self, value, expected, case):
        """The older notebook keeps dA[l-1] under "dA{l}": recognise it, and map it to today's keys."""
        if not (isinstance(value, dict) and isinstance(expected, dict)):
            return value
        L = case.sizes.get("L")
        if "dA0" in value:
            self.edition.saw(case.function, edition.CURRENT)
        if not L or "dA0" in value or f"dA{L}" not in value:
            return value
        shifted = {(f"dA{int(k[2:]) - 1}" if k.startswith("dA") and k[2:].isdigit() else k): v for k, v in value.items()}
        if set(shifted) != set(expected):
            return value
        self._old_edition = True
        self.edition.saw(case.function, edition.OLD)
        if self.strict:
            self.notes.append(msg("diagnose.edition_old_strict"))
            return value
        return shifted

    def _gradient_check(self, contract: Contract, result: FunctionResult) -> None:
        """Backward against centered differences of the student's own forward (and cost), where they pass."""
        from shapecheck.diagnosis import numeric

        check = next((g for g in self.assignment.gradient_checks if g.backward == contract.name), None)
        if check is None or any(self.results.get(n) is None or self.results[n].status != "pass" for n in check.uses):
            return
        case = self.assignment.cases[contract.name](self.seed)[0]
        numbers = self.box.numeric(list(check.uses), check.inputs(case), numeric.EPS)
        student = self.box.call(contract.name, self._args(case), tuple(contract.inputs))
        if numbers.ok and student.ok and isinstance(student.value, dict) and isinstance(numbers.value, dict):
            problems = numeric.gradient_problems(student.value, numbers.value)
            if problems:
                result.status = "fail"
                result.problems.extend(problems)

    # --- findings without a comparison ---
    def _missing(self, contract: Contract) -> FunctionResult:
        return FunctionResult(contract.name, "missing")

    def _failure(self, contract: Contract, outcome: Outcome, case=None) -> FunctionResult:
        name = contract.name
        where = self.source.where(outcome.line)
        if outcome.status == "timeout":
            at = f" ({where})" if outcome.line else ""
            problem = Problem("timeout", None, None, None, msg("diagnose.timeout", name=name, seconds=self.box.timeout, where=at),
                              msg("diagnose.timeout_fix"), hint_id="timeout", line=self.source.valid_line(outcome.line))
            return FunctionResult(name, "timeout", problems=[problem])
        if outcome.type == "MemoryError":
            problem = Problem("exception", None, None, "MemoryError", msg("diagnose.memory", name=name, limit=self.box.memory // 2**20, where=where),
                              msg("diagnose.memory_fix"), hint_id="memory", line=self.source.valid_line(outcome.line))
            return FunctionResult(name, "error", problems=[problem])
        if outcome.status == "crash":
            if outcome.message == "memory":
                text = msg("diagnose.memory", name=name, limit=self.box.memory // 2**20, where=where)
                problem = Problem("exception", None, None, "MemoryError", text, msg("diagnose.memory_fix"), hint_id="memory")
            else:
                problem = Problem("exception", None, None, "crash", msg("diagnose.died", name=name, how=crash_how(outcome.message)),
                                  msg("diagnose.died_fix"), hint_id="crash")
            return FunctionResult(name, "error", problems=[problem])
        package = imports.missing_package(outcome.type, outcome.message, self.absent)
        if package:  # the course's environment, not the student's fault: not checked, and said why
            return FunctionResult(name, "missing", notes=[msg("diagnose.not_checked", name=name, package=package, where=where)],
                                  checked=False)
        star = imports.star_source(_missing_name(outcome.message), self.stars, self.bound) if outcome.type == "NameError" else None
        if star:  # a name no line of the file defines, after a star import of the environment: not the student's fault
            return FunctionResult(name, "missing", notes=[msg("diagnose.not_checked_star", name=name, missing=_missing_name(outcome.message),
                                                              package=star, where=where)], checked=False)
        unfinished = self._unfinished(name)
        if unfinished:
            return FunctionResult(name, "missing", problems=[unfinished])
        from shapecheck.diagnosis.hints import exception_hint

        text = msg("diagnose.exception", name=name, type=outcome.type, where=where, message=outcome.message)
        found = exception_hint(name, outcome.type, outcome.message, case, elements=outcome.elements)
        if outcome.type == "NameError":
            missing = outcome.message.split("'")[1] if "'" in outcome.message else outcome.message
            hint = msg("diagnose.name_error_fix", missing=missing, notebook=msg("diagnose.notebook_hid") if self.source.is_notebook else "")
            hint_id = "undefined_name"
        elif found:
            hint_id, hint = found
        else:
            hint, hint_id = msg("diagnose.exception_fix", name=name), "exception"
        return FunctionResult(name, "error", problems=[Problem("exception", None, None, outcome.type, text, hint, hint_id=hint_id,
                                                               line=self.source.valid_line(outcome.line))])

    def _unfinished(self, name: str) -> Problem | None:
        """A template line still holding None (``dW = None  # YOUR CODE HERE``): unfinished, not wrong."""
        tree = self.source.tree
        if tree is None:
            return None
        for node in ast.walk(tree):
            if isinstance(node, ast.FunctionDef) and node.name == name:
                stores: dict[str, int] = {}  # how often the function assigns each name
                for inner in ast.walk(node):
                    if isinstance(inner, ast.Name) and isinstance(inner.ctx, ast.Store):
                        stores[inner.id] = stores.get(inner.id, 0) + 1
                for inner in ast.walk(node):
                    if isinstance(inner, ast.Assign) and isinstance(inner.value, ast.Constant) and inner.value.value is None \
                            and not all(isinstance(t, ast.Name) and stores.get(t.id, 0) > 1 for t in inner.targets):
                        # (grads = None before a loop that assigns grads is an initialisation, not a template's placeholder)
                        where = self.source.where(inner.lineno)
                        return Problem("missing", None, None, None,
                                       msg("diagnose.unfinished", name=name, where=where, line=self.source.line_text(inner.lineno)),
                                       msg("diagnose.unfinished_fix"), hint_id="unfinished_template", line=inner.lineno)
        return None

    # --- step 3: root causes ---
    def find_root_causes(self) -> None:
        for contract in self.contracts:
            result = self.results[contract.name]
            if result.status not in ("fail", "error"):
                continue
            culprit = self._culprit(contract)
            if culprit:
                result.inherited_from = culprit
            else:
                self._locate_in_helper(contract, result)
        backward = self.results.get("L_model_backward")
        note = msg("diagnose.edition_old_strict" if self.strict else "diagnose.edition_old")
        if self._old_edition and backward is not None and note not in backward.notes:
            backward.notes.append(note)  # seen while finding root causes: the student should hear it anyway

    def _culprit(self, contract: Contract) -> str | None:
        """The student function whose fault this one only inherits, if swapping it for the reference fixes it."""
        for callee in self._callees(contract):
            result = self.results.get(callee)
            if result is None or result.status == "pass":
                continue
            if self.check(contract, overrides={callee: callee}).status == "pass":
                return result.inherited_from or callee
        return None

    def _locate_in_helper(self, contract: Contract, result: FunctionResult) -> None:
        """A fault that lives in a student's own copy of a course helper (relu_backward ...): the contract
        function stays the one to fix, and the note says where to look."""
        for helper in (h for h in self.assignment.helpers if h in self.box.defined):
            if self.check(contract, overrides={helper: helper}).status == "pass":
                note = msg("diagnose.in_helper", helper=helper)
                result.notes.append(note)
                if result.problems:
                    first = result.problems[0]
                    result.problems[0] = replace(first, hint=msg("diagnose.in_helper_hint", hint=first.hint, helper=helper))
                return

    def _callees(self, contract: Contract) -> list[str]:
        """Contract callees and what they call in turn, nearest first."""
        seen: list[str] = []
        queue = list(contract.callees)
        by_name = {c.name: c for c in self.contracts}
        while queue:
            name = queue.pop(0)
            if name not in seen:
                seen.append(name)
                queue.extend(by_name[name].callees if name in by_name else ())
        return seen

    # --- results ---
    def ordered(self) -> list[FunctionResult]:
        return [self.results[c.name] for c in self.contracts]

    def _course_data(self) -> list[dict]:
        """The load findings that are the notebook's data, not the student's fault: a top-level read of a file the
        checker does not have (Dinosaurus' dinos.txt), and the statements that then miss what it would have defined.
        Said once in a note; the functions are checked without them."""
        tree = self.source.tree
        if tree is None:
            return []
        statements = {node.lineno: node for node in tree.body}
        skipped, files, unset = [], [], set()
        for finding in self.box.load_findings:
            node = statements.get(finding.get("statement"))
            missing = finding.get("message", "").split("'")[1:2] if finding.get("type") in ("FileNotFoundError", "NameError") else []
            from_star = bool(missing) and finding.get("type") == "NameError" and imports.star_source(missing[0], self.stars, self.bound)
            if node is None or not missing or (finding["type"] == "NameError" and missing[0] not in unset and not from_star):
                continue
            if finding["type"] == "FileNotFoundError":
                files.append(missing[0])
            skipped.append(finding)
            unset |= {n.id for n in ast.walk(node) if isinstance(n, ast.Name) and isinstance(n.ctx, ast.Store)}
        if files:
            self.notes.append(msg("diagnose.course_data", files=", ".join(sorted(set(files))), count=len(skipped) - len(files)))
        return skipped

    def located(self) -> list[FunctionResult]:
        """The results, every problem pointing at the student's line that produced it: the line an exception
        was raised at (as the worker said it, checked to be a line of the file), else the assignment or the
        ``return`` of the output it is about, read from the function's syntax here (locate.py)."""
        from shapecheck.diagnosis import locate

        out = []
        for contract in self.contracts:
            result = self.results[contract.name]
            function = locate.function_node(self.source.tree, contract.name)
            problems = []
            for p in result.problems:
                line = p.line
                if line is None and p.kind == "mutation":
                    line = locate.mutation_line(function, p.tensor or "", self.source.tree)
                elif line is None:
                    line = locate.line_of(function, tuple(contract.outputs), p.tensor)
                problems.append(self.public_line(replace(p, line=line)))
            out.append(replace(result, problems=problems))
        return out

    def public_line(self, problem: Problem) -> Problem:
        """``problem`` with its line (a line of the code we ran) as the student sees it: in a notebook, the cell
        and the line in it; with that line's text."""
        line = self.source.valid_line(problem.line)
        cell, in_cell = self.source.location(line)
        return replace(problem, line=in_cell, cell=cell, code=printable(self.source.line_text(line)) if line else "")

    def findings(self) -> list[Problem]:
        out = []
        data = self._course_data()
        for finding in (f for f in self.box.load_findings if f not in data):
            where = self.source.where(finding.get("line") or finding.get("statement"))
            line = self.source.valid_line(finding.get("line") or finding.get("statement"))
            if finding["status"] == "timeout":
                out.append(_at(line, Problem("timeout", None, None, None, msg("diagnose.import_timeout", where=where, seconds=self.box.timeout),
                                   msg("diagnose.import_timeout_fix"), hint_id="timeout")))
            elif finding["status"] == "slow_load":
                out.append(_at(line, Problem("timeout", None, None, None,
                                   msg("diagnose.slow_load", where=where, seconds=round(self.box.load_budget)),
                                   msg("diagnose.import_timeout_fix"), hint_id="timeout")))
            elif finding["status"] == "crash":
                out.append(_at(line, Problem("exception", None, None, "crash", msg("diagnose.import_crash", where=where, how=crash_how(finding.get("message", ""))),
                                   msg("diagnose.import_fix"), hint_id="crash")))
            elif finding.get("type") == "SystemExit":
                out.append(_at(line, Problem("exception", None, None, "SystemExit", msg("diagnose.import_exit", message=finding.get("message", ""), where=where),
                                   msg("diagnose.import_exit_fix"), hint_id="exit_at_import")))
            elif imports.missing_package(finding.get("type", ""), finding.get("message", ""), self.absent):
                continue  # a top-level statement used a package the checker lacks: the note says so
            else:
                out.append(_at(line, Problem("exception", None, None, finding.get("type"),
                                   msg("diagnose.import_exception", type=finding.get("type"), where=where, message=finding.get("message", "")),
                                   msg("diagnose.import_syntax_fix" if finding.get("type") in SYNTAX_ERRORS else "diagnose.import_fix"),
                                   hint_id="exception")))
        from shapecheck.diagnosis import numpy2

        tree, code = self.source.tree, self.source.code
        uses = numpy2.combined(numpy2.spellings(tree), numpy2.scalar_calls(self.box.numpy1, tree, code, self.box.numpy1_ndims),
                               numpy2.item_stores(self.box.numpy1_items, tree, code))
        uses.sort(key=lambda u: (u.line, u.column))
        out.extend(numpy2.findings(uses, self.source.where))
        printed = len(self.box.output())
        if printed > 2000:
            out.append(Problem("exception", None, None, None, msg("diagnose.printed", count=f"{printed:,}"), msg("diagnose.import_fix"), hint_id="output_at_import"))
        return out


def _at(line: int | None, problem: Problem) -> Problem:
    return replace(problem, line=line)


def crash_how(how: str) -> str:
    """How a worker ended, in words: "signal:11:SIGSEGV", "exit:3", "reply" (it broke the wire format)."""
    kind, _, rest = how.partition(":")
    if kind == "signal":
        number, _, name = rest.partition(":")
        return msg("diagnose.crash_signal", number=number, signal=name or "?")
    if kind == "exit":
        return msg("diagnose.crash_exit", code=rest)
    return msg("diagnose.crash_reply")


def _transplant(structure, values):
    """``structure`` (what the student's forward returned) with its arrays replaced, in order, by the arrays of
    ``values`` (the reference's). Raises TypeError when the two do not hold the same arrays in the same shapes."""
    import numpy as np

    def arrays(value, out):
        if isinstance(value, np.ndarray):
            out.append(value)
        elif isinstance(value, dict):
            for v in value.values():
                arrays(v, out)
        elif isinstance(value, (list, tuple)):
            for v in value:
                arrays(v, out)
        return out

    theirs, ours = arrays(structure, []), arrays(values, [])
    if len(theirs) != len(ours) or any(a.shape != b.shape for a, b in zip(theirs, ours)):
        raise TypeError("different cache structure")
    replacements = iter(ours)

    def rebuild(value):
        if isinstance(value, np.ndarray):
            return next(replacements).copy()
        if isinstance(value, dict):
            return {k: rebuild(v) for k, v in value.items()}
        if isinstance(value, (list, tuple)):
            return type(value)(rebuild(v) for v in value)
        return value

    return rebuild(structure)
