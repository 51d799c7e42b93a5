"""``sweep``: the course's empirical method for hyperparameters, run for you.

Train one network per setting, every one from the same seeded initial parameters, record the
cost J every ``every`` iterations, and label each curve (slow, good, oscillates, diverged; the
rule is in ``shapecheck.tune.verdicts``). The learning rate α, the layer sizes (L and n[l]) and
the hidden activation g can each be swept, or several at once (every combination is a setting).

    import shapecheck as sc
    report = sc.sweep([2, 20, 7, 5, 1], "flower", learning_rates=[0.001, 0.01, 0.1, 1], iterations=3000)
    report                                   # the cost chart, the table, the suggested α
    report.suggested_alpha, report.runs[0].costs[:3]

Before any training, X and Y are checked against every network by the tracer, and each run's
initial parameters with them: a wrong shape is one sentence, never a numpy broadcasting error.
The runs of one network are trained together, stacked (``shapecheck.tune.kernel``), the stack cut
in two or more for as many threads as there are CPUs (up to 4); the numbers equal ``sc.train``'s
for each α on its own, whichever way the runs were grouped.
"""

from __future__ import annotations

import math
import os
import signal
import sys
import threading
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from typing import Callable, Iterator, Sequence

import numpy as np

from shapecheck.validate.params import check_data
from shapecheck.engine import losses
from shapecheck.engine.data import split
from shapecheck.engine.dense import backward, forward, predict, update_params
from shapecheck.engine.init import INIT_METHODS, as_dense_net, init_params
from shapecheck.core.errors import ShapecheckError
from shapecheck.core.seeds import check_seed
from shapecheck.spec.networks import ACTIVATIONS, DenseNet, dense_net
from shapecheck.tune import verdicts
from shapecheck.tune.datasets import BUILT_IN, Dataset, check_built_in_width, check_values, load_data
from shapecheck.tune.kernel import RunTrace, stackable, train_stack
from shapecheck.tune.report import Advice, Run, SweepReport

DEFAULT_LEARNING_RATES = (0.001, 0.01, 0.1, 1.0)
MAX_WORKERS = 4
Progress = Callable[[int, int], None]  # progress(done, total), in run-iterations


def sweep(
    spec: DenseNet | Sequence[int] | None = None,
    data: str | Dataset | tuple = "flower",
    learning_rates: Sequence[float] = DEFAULT_LEARNING_RATES,
    iterations: int = 3000,
    every: int = 100,
    seed: int | None = 0,
    *,
    dims_list: Sequence[Sequence[int]] | None = None,
    activations: Sequence[str] | None = None,
    hidden: str = "relu",
    output: str = "sigmoid",
    init: str = "he",
    loss: str | None = None,
    m: int = 400,
    test_fraction: float = 0.2,
    progress: bool | Progress | None = None,
    stack: bool = True,
    workers: int | None = None,
) -> SweepReport:
    """Train one network per setting from the same initial parameters; the report labels every cost curve.

    ``spec``: a ``dense_net`` or layer sizes [n0, ..., nL]; or ``dims_list``, several of them (L and
    n[l] swept). ``activations``: hidden activations to sweep (g). ``learning_rates``: the α values.
    ``data``: "flower", "moons", "circles", "linear" (``m`` examples from ``seed``), a path to an
    .npz (X, Y) or .csv file, or an (X, Y) pair; ``test_fraction`` of it is held out (0: none).
    ``init``: "he" (default: deep ReLU nets barely move from the course's ×0.01), "xavier" or
    "course". ``progress``: a bar on stderr (None: only when stderr is a terminal), or a
    callback(done, total). ``stack=False`` trains every run on its own (same numbers, slower).
    ``workers``: threads that train groups of runs side by side (None: one per CPU, at most 4 and
    one per run; 1: none). However they are grouped, every run's numbers are the same.

    >>> report = sweep([2, 4, 1], "moons", learning_rates=[0.001, 0.3, 300], iterations=300, m=100, progress=False)
    >>> [run.verdict for run in report.runs], report.suggested_alpha
    (['slow', 'good', 'diverged'], 0.3)
    """
    networks = _networks(spec, dims_list, activations, hidden, output)
    seed = check_seed(seed)
    rates = _learning_rates(learning_rates)
    iterations = _count("iterations", iterations, 1)
    every = _count("every", every, 1)
    if init not in INIT_METHODS:
        raise ShapecheckError("engine.unknown_init", value=init, known=", ".join(INIT_METHODS))
    n0, n_y = networks[0].layer_dims[0], networks[0].layer_dims[-1]
    dataset = load_data(data, m=m, seed=seed, n0=n0, n_y=n_y)
    for network in networks:  # the tracer, on the whole data set, before anything is split or trained
        if isinstance(data, str) and data in BUILT_IN:
            check_built_in_width(data, network.n(0))
        _require(check_data(network, X=dataset.X, Y=dataset.Y), dataset.name)
        check_values(dataset, network.activations[-1])
    X = np.asarray(dataset.X, dtype=np.float64)  # a new array only when X is not float64 already
    Y = np.asarray(dataset.Y, dtype=np.float64)
    if test_fraction == 0:
        X_train, Y_train, X_test, Y_test = X, Y, None, None
    else:
        X_train, Y_train, X_test, Y_test = split(X, Y, test_fraction, seed)
    swept = tuple(name for name, values in (
        ("learning_rate", rates),
        ("layer_dims", {n.layer_dims for n in networks}),
        ("activation", {n.activations for n in networks}),
    ) if len(values) > 1)
    plans = []  # every run's shapes are checked before any run trains
    for network in networks:
        loss_name = losses.resolve_loss(loss, network.activations[-1])
        params = init_params(network, seed=seed, method=init)  # one draw: every α of this network starts here
        checked = [_check_run(network, params, X_train, Y_train, X_test, Y_test, dataset.name) for _ in rates]
        plans.append((network, loss_name, params, checked))
    total = len(networks) * len(rates) * iterations
    step = _progress(progress, total)
    workers = _workers(workers, len(networks) * len(rates))
    # a job trains a stack of runs of one network; cut a network's stack only to keep every worker busy
    per_network = math.ceil(workers / len(plans)) if stack else len(rates)
    jobs = [(k, chunk) for k in range(len(plans)) for chunk in _chunks(rates, per_network)]

    def job(k: int, chunk: list[float]) -> list[RunTrace]:
        network, loss_name, params, _ = plans[k]
        if stop.is_set():  # a job that had not started when Ctrl-C came: its runs are its starting point
            return _train(network, params, X_train, Y_train, chunk, 0, every, loss_name, None)
        return _train(network, params, X_train, Y_train, chunk, iterations, every, loss_name, step, stop)

    with stop_on_interrupt() as stop:
        if workers > 1:
            with ThreadPoolExecutor(workers) as pool:  # numpy lets go of the GIL inside each operation
                results = list(pool.map(lambda item: job(*item), jobs))
        else:
            results = [job(*item) for item in jobs]
    runs: list[Run] = []
    advice: list[Advice] = []
    for k, (network, loss_name, _, checked) in enumerate(plans):
        traces = [trace for (owner, _), result in zip(jobs, results) if owner == k for trace in result]
        labels = verdicts.label([t.curve for t in traces], rates, _constant_cost(loss_name, Y_train))
        first = len(runs)
        for alpha, trace, verdict, names in zip(rates, traces, labels, checked):
            runs.append(_run(len(runs), network, alpha, trace, verdict, names, swept, X_train, Y_train, X_test, Y_test))
        s = verdicts.suggest(rates, labels, [r.final_cost for r in runs[first:]])
        advice.append(Advice(_describe(network), s.alpha, s.tried, s.reason, None if s.run is None else first + s.run))
    if step is not None:
        step(total)  # runs that stopped early leave iterations undone: the bar still ends
    loss_names = sorted({plan[1] for plan in plans})
    return SweepReport(
        runs=tuple(runs), data=dataset.name, m_train=X_train.shape[1], m_test=0 if X_test is None else X_test.shape[1],
        iterations=iterations, every=every, seed=seed, init=init, loss=",".join(loss_names),
        swept=swept, advice=tuple(advice), best=_best(runs), dataset=Dataset(dataset.name, X, Y),
        interrupted=stop.is_set(),
    )


# --- the settings -----------------------------------------------------------------------------------


def _networks(spec, dims_list, activations, hidden, output) -> list[DenseNet]:
    if spec is not None and dims_list is not None:
        raise ShapecheckError("tune.spec_twice")
    if dims_list is not None:
        if isinstance(dims_list, (str, bytes)) or not len(dims_list):
            raise ShapecheckError("tune.dims_list_empty")
        bases = [d if isinstance(d, DenseNet) else dense_net(d, hidden=hidden, output=output) for d in dims_list]
    elif isinstance(spec, DenseNet):
        bases = [spec]
    elif isinstance(spec, (list, tuple)):
        bases = [dense_net(spec, hidden=hidden, output=output)]
    elif spec is not None:
        bases = [as_dense_net(spec)]  # raises: the dense engine's sentence for what it cannot train
    else:
        raise ShapecheckError("tune.no_network")
    if len({b.layer_dims[0] for b in bases}) > 1 or len({b.layer_dims[-1] for b in bases}) > 1:
        raise ShapecheckError("tune.dims_list_ends", dims="; ".join(b.describe() for b in bases))
    if activations is None:
        return _unique(bases)
    if isinstance(activations, str) or not len(activations):
        raise ShapecheckError("tune.activations_empty")
    for g in activations:
        if g not in ACTIVATIONS or g == "softmax":
            raise ShapecheckError("tune.unknown_hidden", value=g, known=", ".join(a for a in ACTIVATIONS if a != "softmax"))
    networks = []
    for base in bases:
        for g in activations:
            networks.append(DenseNet(base.layer_dims, tuple([g] * (base.L - 1)) + (base.activations[-1],)))
    return _unique(networks)


def _unique(networks: list[DenseNet]) -> list[DenseNet]:
    return list(dict.fromkeys(networks))  # the same network twice would train twice for nothing


def _learning_rates(values) -> list[float]:
    if isinstance(values, (int, float)) and not isinstance(values, bool):
        values = [values]
    rates = []
    for value in values:
        ok = isinstance(value, (int, float, np.integer, np.floating)) and not isinstance(value, bool)
        if not ok or not math.isfinite(value) or value <= 0:
            raise ShapecheckError("engine.bad_learning_rate", value=value)
        rates.append(float(value))
    if not rates:
        raise ShapecheckError("tune.no_learning_rates")
    return list(dict.fromkeys(rates))


def _count(name: str, value: object, least: int) -> int:
    if not isinstance(value, (int, np.integer)) or isinstance(value, bool) or value < least:
        raise ShapecheckError("engine.bad_count", name=name, value=value, least=least)
    return int(value)


def _describe(network: DenseNet) -> str:
    hidden = network.activations[:-1]
    g = hidden[0] if hidden and len(set(hidden)) == 1 else "/".join(network.activations)
    return f"{network.describe()} {g}" if hidden else network.describe()


def _label(network: DenseNet, alpha: float, swept: tuple[str, ...]) -> str:
    parts = []
    if "layer_dims" in swept:
        parts.append(network.describe())
    if "activation" in swept:
        hidden = network.activations[:-1]
        parts.append(hidden[0] if hidden and len(set(hidden)) == 1 else "/".join(network.activations))
    if "learning_rate" in swept or not parts:
        parts.append(f"α={alpha:g}")
    return " ".join(parts)


# --- checks -----------------------------------------------------------------------------------------


def _require(report, source: str) -> None:
    """The tracer's first problem, as one line that says which data it is about."""
    if report:
        first = report[0]
        raise ShapecheckError("tune.data_problem", source=source, message=first.message, hint=first.hint)


def _check_run(network, params, X_train, Y_train, X_test, Y_test, source) -> tuple[str, ...]:  # noqa: N803
    """The tracer's checks of one run's initial parameters with the arrays it learns from and is tested on."""
    report = check_data(network, params=params, X=X_train, Y=Y_train)
    _require(report, source)
    names = [*params, "X", "Y"]
    if X_test is not None:
        _require(check_data(network, X=X_test, Y=Y_test), source)
        names += ["X_test", "Y_test"]
    return tuple(names)


# --- training ---------------------------------------------------------------------------------------


def _train(network, params, X, Y, rates, iterations, every, loss, step, stop=None) -> list[RunTrace]:  # noqa: N803
    """Train one network once per α in ``rates``: stacked, or one by one when softmax forbids stacking."""
    with np.errstate(over="ignore", invalid="ignore", divide="ignore", under="ignore"):  # a diverging run is a result
        if not stackable(network, loss):
            return [_train_alone(network, params, X, Y, alpha, iterations, every, loss, step, stop) for alpha in rates]
        return train_stack(network, params, X, Y, rates, iterations, every, loss, step, stop)


@contextmanager
def stop_on_interrupt() -> Iterator[threading.Event]:
    """Ctrl-C sets the event instead of raising: each run ends its iteration and keeps what it has (within a
    second), and the sweep returns them. A second Ctrl-C raises KeyboardInterrupt as usual. Main thread only."""
    stop = threading.Event()
    if threading.current_thread() is not threading.main_thread():
        yield stop
        return

    def handler(signum, frame):
        if stop.is_set():
            raise KeyboardInterrupt
        stop.set()

    previous = signal.signal(signal.SIGINT, handler)
    try:
        yield stop
    finally:
        signal.signal(signal.SIGINT, previous)


def _chunks(rates: list[float], count: int) -> list[list[float]]:
    """``rates`` cut into at most ``count`` runs of neighbouring values, as even as can be."""
    count = max(1, min(count, len(rates)))
    size, extra = divmod(len(rates), count)
    chunks, start = [], 0
    for k in range(count):
        end = start + size + (k < extra)
        chunks.append(rates[start:end])
        start = end
    return chunks


def _workers(workers: int | None, runs: int) -> int:
    if workers is None:
        try:
            cpus = len(os.sched_getaffinity(0))  # the CPUs this process may use (a container's share)
        except AttributeError:  # macOS, Windows
            cpus = os.cpu_count() or 1
        return max(1, min(cpus, MAX_WORKERS, runs))
    return min(_count("workers", workers, 1), runs)


def _train_alone(network, params, X, Y, alpha, iterations, every, loss, step, stop=None) -> RunTrace:  # noqa: N803
    """One run, through the engine's forward, backward and update_params (softmax acts on axis 0: no stacking)."""
    curve: list[float] = []
    current = params
    for i in range(iterations + 1):
        AL, caches = forward(network, current, X)
        curve.append(losses.training_cost(network.activations[-1], loss, AL, Y, caches[-1][1]))
        if i == iterations or not math.isfinite(curve[-1]) or (stop is not None and stop.is_set()):
            break
        current = update_params(current, backward(network, AL, Y, caches, loss=loss, with_dA0=False), alpha)
        if step is not None and (i + 1) % every == 0:
            step(every)
    last = len(curve) - 1
    stopped = last if not math.isfinite(curve[-1]) else None
    recorded = [(i, c) for i, c in enumerate(curve) if i % every == 0 or i == last]
    return RunTrace(np.array(curve), recorded, current, stopped)


# --- results ----------------------------------------------------------------------------------------


def _accuracy(network: DenseNet, params, X, Y) -> float | None:  # noqa: N803
    """The share of examples whose every output unit is right; None for a regression output.

    (The caller gives None for a run that blew up, too: its last finite parameters predict nothing meant.)
    """
    if X is None or network.activations[-1] not in ("sigmoid", "softmax"):
        return None
    with np.errstate(over="ignore", invalid="ignore"):
        predictions = predict(network, params, X)  # (n[L], m)
    return float(np.mean(np.all(predictions == Y, axis=0)))


def _run(index, network, alpha, trace: RunTrace, verdict, checked, swept, X_train, Y_train, X_test, Y_test) -> Run:  # noqa: N803
    f = verdicts.facts(trace.curve)
    return Run(
        index=index, label=_label(network, alpha, swept), layer_dims=network.layer_dims,
        activations=network.activations, learning_rate=alpha, costs=tuple(trace.recorded),
        train_accuracy=None if trace.stopped_at is not None else _accuracy(network, trace.params, X_train, Y_train),
        test_accuracy=None if trace.stopped_at is not None else _accuracy(network, trace.params, X_test, Y_test),
        verdict=verdict.code, reason=verdict.reason, rise=f.rise, stopped_at=trace.stopped_at,
        checked=checked, params=trace.params,
    )


def _constant_cost(loss: str, Y: np.ndarray) -> float | None:  # noqa: N803
    """J of the best constant output (each unit's label mean for every example): what a collapsed network scores."""
    p = Y.mean(axis=1)  # (n[L],)
    if loss == losses.MSE:
        return float(0.5 * np.mean(np.sum((Y - p[:, None]) ** 2, axis=0)))
    with np.errstate(divide="ignore", invalid="ignore"):
        terms = np.where(p > 0, p * np.log(p), 0.0)
        if loss == losses.BCE:
            terms = terms + np.where(p < 1, (1 - p) * np.log1p(-p), 0.0)
    return float(-np.sum(terms))


def _best(runs: list[Run]) -> int | None:
    """Among the good runs: the best held-out accuracy (train accuracy without one), then the lowest final cost."""
    good = [r for r in runs if r.verdict == "good"]
    if not good:
        return None

    def key(run: Run):
        accuracy = run.test_accuracy if run.test_accuracy is not None else run.train_accuracy
        return (-(accuracy if accuracy is not None else 0.0), run.final_cost, -run.learning_rate)

    return min(good, key=key).index


def _progress(progress, total: int) -> Callable[[int], None] | None:
    """step(count): count more run-iterations done, shown by a callback, a rich bar on stderr, or nothing."""
    if progress is None:
        progress = sys.stderr.isatty()
    if progress is False:
        return None
    if callable(progress) and progress is not True:
        show = progress
    else:
        from shapecheck.tune.chart import progress_bar

        show = progress_bar()
    done = [0]
    lock = threading.Lock()  # runs train on several threads

    def step(count: int) -> None:
        with lock:
            done[0] = min(total, done[0] + count)
            show(done[0], total)

    return step
