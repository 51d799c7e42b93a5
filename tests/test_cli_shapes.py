"""The shape commands as a user meets them: tables, JSON, exit codes, one-line errors."""

import json
from pathlib import Path

import numpy as np
import pytest

from cli_helpers import assert_one_line_error, run, run_json

EXAMPLES = Path(__file__).resolve().parent.parent / "examples"


def test_shapes_prints_every_tensor_with_symbol_and_number():
    result = run("shapes", 12288, 20, 7, 5, 1, "-m", 209)
    assert result.exit_code == 0
    for tensor, shape, symbolic in (("W1", "(20, 12288)", "(n1, n0)"), ("dW4", "(1, 5)", "(n4, n3)"), ("dA0", "(12288, 209)", "(n0, m)")):
        line = next(l for l in result.stdout.splitlines() if f" {tensor} " in l)
        assert shape in line and symbolic in line
    assert "245,973" in result.stdout


def test_shapes_json_gives_the_same_rows():
    result, data = run_json("shapes", 12288, 20, 7, 5, 1, "-m", 209)
    assert result.exit_code == 0
    rows = {r["tensor"]: r for r in data["rows"]}
    assert rows["W1"]["shape"] == [20, 12288] and rows["W1"]["symbolic"] == ["n1", "n0"] and rows["W1"]["layer"] == 1
    assert rows["Z3"]["shape"] == [5, 209]
    assert len(data["rows"]) == 2 + 4 * 4 + 1 + 4 * 4  # X, Y; W b Z A; dA4; dZ dW db dA per layer


def test_shapes_without_m_keeps_m_symbolic():
    _, data = run_json("shapes", 5, 4, 1)
    assert next(r for r in data["rows"] if r["tensor"] == "Z1")["shape"] == [4, "m"]


def test_summary_of_the_lesson_prints_480_11_491_like_keras():
    result = run("summary", EXAMPLES / "lstm_lesson.toml")
    assert result.exit_code == 0
    out = result.stdout
    assert "lstm (LSTM)" in out and "(None, 10)" in out and "480" in out
    assert "dense (Dense)" in out and "(None, 1)" in out and "11" in out
    assert "Total params: 491" in out and "Layer (type)" in out and "Param #" in out
    assert "?" not in out and "multiple" not in out


def test_summary_json_follows_the_design_keys():
    result, data = run_json("summary", EXAMPLES / "lstm_lesson.toml")
    assert data["total_params"] == 491 and data["trainable_params"] == 491
    assert data["layers"][0] == {**data["layers"][0], "name": "lstm", "type": "LSTM", "output_shape": [None, 10], "params": 480}


def test_summary_of_the_deep_net_file():
    _, data = run_json("summary", EXAMPLES / "deep_net.toml")
    assert data["total_params"] == 245_973


@pytest.fixture
def course_params(tmp_path):
    rng = np.random.default_rng(0)
    dims = [12288, 20, 7, 5, 1]
    params = {}
    for l in range(1, 5):
        params[f"W{l}"] = rng.standard_normal((dims[l], dims[l - 1])) * 0.01
        params[f"b{l}"] = np.zeros((dims[l], 1))
    return params


def save(tmp_path, params, name="w.npz"):
    path = tmp_path / name
    np.savez(path, **params)
    return path


def test_params_passes_on_right_arrays(tmp_path, course_params):
    result = run("params", save(tmp_path, course_params), "--dims", "12288", "20", "7", "5", "1")
    assert result.exit_code == 0, result.output
    assert "✔" in result.stdout


def test_params_on_a_transposed_w2_fails_with_exit_1_and_json(tmp_path, course_params):
    course_params["W2"] = course_params["W2"].T
    path = save(tmp_path, course_params)
    result = run("params", path, "--dims", "12288,20,7,5,1")
    assert result.exit_code == 1
    assert "looks transposed" in " ".join(result.stdout.split())  # the terminal may wrap it
    result, data = run_json("params", path, "--dims", "12288 20 7 5 1")
    assert result.exit_code == 1 and data["passed"] is False
    assert data["problems"][0]["tensor"] == "W2" and data["problems"][0]["expected"] == [7, 20]


def test_the_params_tables_kind_column_is_words_from_the_catalogue_and_json_keeps_the_value(tmp_path, course_params):
    from shapecheck.core.messages import strip_isolates
    from shapecheck.core.language import set_language

    course_params["W2"] = course_params["W2"].T
    path = save(tmp_path, course_params)
    row = next(line for line in run("params", path, "--dims", "12288 20 7 5 1").stdout.splitlines() if " W2 " in line)
    assert row.split()[-2:] == ["wrong", "shape"]
    try:
        result = run("params", path, "--dims", "12288 20 7 5 1", "--lang", "ar")
    finally:
        set_language(None)
    row = next(line for line in strip_isolates(result.stdout).splitlines() if " W2 " in line)
    assert row.rstrip().endswith("شكل خاطئ") and "shape" not in row
    _, data = run_json("params", path, "--dims", "12288 20 7 5 1")
    assert data["problems"][0]["kind"] == "shape"  # the JSON keeps its stable value


def test_params_without_dims_infers_the_sizes(tmp_path, course_params):
    course_params["b3"] = course_params["b3"].ravel()
    result, data = run_json("params", save(tmp_path, course_params))
    assert result.exit_code == 1
    assert data["inferred_dims"] == "[12288, 20, 7, 5, 1]"
    assert [p["tensor"] for p in data["problems"]] == ["b3"]


def test_params_against_a_spec_file(tmp_path):
    weights = {"lstm/kernel": np.zeros((1, 40)), "lstm/recurrent_kernel": np.zeros((10, 40)), "lstm/bias": np.zeros(40),
               "dense/kernel": np.zeros((10, 1)), "dense/bias": np.zeros(1)}
    path = save(tmp_path, weights)
    assert run("params", path, "--spec", EXAMPLES / "lstm_lesson.toml").exit_code == 0
    weights["lstm/kernel"] = np.zeros((1, 10))
    result = run("params", save(tmp_path, weights), "--spec", EXAMPLES / "lstm_lesson.toml")
    assert result.exit_code == 1 and "lstm/kernel" in result.stdout


@pytest.mark.parametrize(
    "args, words",
    [
        (["shapes", "5", "abc", "1"], ["n1", "'abc'", "whole number"]),
        (["shapes", "5", "0", "1"], ["n1 = 0", "at least 1"]),
        (["shapes", "5", "-4"], ["n1 = -4"]),
        (["shapes", "5", "99999999999"], ["n1", "too large"]),
        (["shapes", "5", "2.5"], ["n1", "2.5"]),
        (["shapes", "5"], ["at least two layer sizes"]),
        (["shapes", "5", "4", "--hidden", "relux"], ["relux", "Known: relu"]),
        (["shapes", "5", "4", "--output", "softplus"], ["softplus"]),
        (["shapes", "5", "4", "-m", "0"], ["m = "]),
        (["shapes", "5", "4", "--frobnicate"], ["--frobnicate"]),
        (["summary", "no/such/file.toml"], ["No such file", "no/such/file.toml"]),
        (["nosuchcommand"], ["nosuchcommand"]),
        (["shapes", "abc"], ["n0 = 'abc' is not a whole number"]),  # what is wrong with it, not "got 1" size
        (["shapes", "{folder}"], ["is a folder, not a layer size", "shapecheck shapes takes the sizes"]),
        (["gradcheck", "{folder}", "-m", "3"], ["is a folder, not a layer size", "shapecheck gradcheck takes"]),
        (["params", "{folder}/w.npz", "{folder}"], ["is a folder, not a layer size", "shapecheck params takes"]),
        (["gradcheck", "student.py"], ["student.py is a Python file", "run shapecheck diagnose student.py"]),
        (["gradcheck", "--dims", "nb.ipynb"], ["nb.ipynb is a Python file", "shapecheck diagnose nb.ipynb"]),
        (["shapes", "5", "4", "1", "--dims", "3 2"], ["given twice, as 5 4 1 and as --dims 3 2"]),  # not [3, 2, 5, 4, 1]
        (["shapes", "5", "4", "--dims", "1"], ["given twice, as 5 4 and as --dims 1"]),  # not [1, 5, 4]
        (["params", "{folder}/w.npz", "5", "4", "--dims", "3,2"], ["given twice"]),
    ],
)
def test_bad_input_is_one_line_and_exit_2(args, words, tmp_path):
    args = [a.replace("{folder}", str(tmp_path)) for a in args]
    assert_one_line_error(run(*args), *words)


def write(tmp_path, name, text):
    path = tmp_path / name
    path.write_text(text)
    return path


@pytest.mark.parametrize(
    "name, text, words",
    [
        ("bad.toml", "[[sequential]]\ntype = \"LSTM\"\nunits = = 10\n", ["not valid TOML", "line 3"]),
        ("bad.json", '{"dense_net": {"layer_dims": [3, 2],}}', ["not valid JSON", "line 1"]),
        ("layer.toml", "[[sequential]]\ntype = \"Conv3D\"\nunits = 3\n", ["Conv3D", "does not model yet", "Dense, SimpleRNN, LSTM"]),
        ("typo.toml", "[[sequential]]\ntype = \"Conv2d\"\nfilters = 3\n", ["Conv2d", "did you mean 'Conv2D'"]),
        ("list.toml", "[[sequential]]\ntype = [1]\nunits = 3\n", ["[1]", "Dense, SimpleRNN, LSTM"]),
        ("act.toml", "[dense_net]\nlayer_dims = [3, 2]\noutput = \"softsign\"\n", ["softsign"]),
        ("flat.toml", "[[sequential]]\ntype = \"LSTM\"\nunits = 10\ninput_shape = [1]\n", ["3-D", "X.reshape((len(X), 1, 1))"]),
        ("none.toml", "[[sequential]]\ntype = \"LSTM\"\nunits = 10\n", ["no input_shape"]),
        ("empty.toml", "title = \"x\"\n", ["describes no network"]),
        ("typo.toml", "[dense_net]\nlayer_dim = [3, 2]\n", ["layer_dim", "layer_dims"]),
        ("model.yaml", "x: 1\n", ["neither TOML nor JSON"]),
    ],
)
def test_bad_spec_files_are_one_line_and_exit_2(tmp_path, name, text, words):
    assert_one_line_error(run("summary", write(tmp_path, name, text)), *words)


def test_a_directory_is_not_a_readable_file(tmp_path):
    folder = tmp_path / "model.toml"
    folder.mkdir()
    assert_one_line_error(run("summary", folder), "Cannot read")


@pytest.mark.parametrize(
    "make, words",
    [
        (lambda p: np.savez(p, W1=np.array([{"a": 1}], dtype=object)), ["pickled", "allow_pickle=False"]),
        (lambda p: np.savez(p, W1=np.array(["a", "b"])), ["not numbers"]),
        (lambda p: p.write_bytes(b"not a zip"), ["not a readable .npz"]),
        (lambda p: np.savez(p, weights=np.zeros(3)), ["fit a network"]),
    ],
)
def test_bad_npz_files_are_one_line_and_exit_2(tmp_path, make, words):
    path = tmp_path / "w.npz"
    make(path)
    assert_one_line_error(run("params", path), *words)


def test_missing_npz_is_one_line(tmp_path):
    assert_one_line_error(run("params", tmp_path / "nope.npz"), "No such file")


def test_help_gives_an_example_for_every_command():
    top = run("--help")
    assert top.exit_code == 0
    for command in ("shapes", "summary", "params"):
        assert command in top.stdout
        assert f"shapecheck {command}" in run(command, "--help").stdout


@pytest.mark.parametrize("command", [["shapes"], ["params"], ["gradcheck"], ["diagnose"], ["tune"], ["grade"],
                                     ["demo", "lstm"], ["demo", "dense"]])
def test_help_shows_required_and_defaults_without_markup_escapes(command):
    text = run(*command, "--help").stdout
    assert "[required]" in text or "[default:" in text
    assert "\\[" not in text  # typer's rich escape, meaningless in plain help


def test_a_bug_of_ours_is_one_line_exit_3_and_shapecheck_debug_shows_the_traceback(monkeypatch):
    from shapecheck.cli import shapes

    def broken(*args, **kwargs):
        raise RuntimeError("boom")

    monkeypatch.setattr(shapes, "show", broken)
    result = run("shapes", 5, 4, 1)
    assert result.exit_code == 3
    assert result.stderr.count("\n") == 1 and "RuntimeError: boom" in result.stderr and "bug in shapecheck" in result.stderr
    assert "Traceback" not in result.output
    monkeypatch.setenv("SHAPECHECK_DEBUG", "1")
    assert isinstance(run("shapes", 5, 4, 1).exception, RuntimeError)


@pytest.mark.parametrize("args, words", [
    (["shapes", "5", "4", "--hiden", "tanh"], "no such option: --hiden. Did you mean --hidden? (see: shapecheck shapes --help)"),
    (["shapes", "5", "4", "--zzz"], "no such option: --zzz (see: shapecheck shapes --help)"),
    (["gradcheck", "5", "4", "--bgu", "x"], "Did you mean --bug?"),
    (["shapse", "5", "4"], "No such command 'shapse'. Did you mean 'shapes'? (see: "),
    (["demo", "lstmm"], "No such command 'lstmm'. Did you mean 'lstm'?"),
    (["examples", "wirte"], "Did you mean 'write'?"),
    (["xyzzy"], "No such command 'xyzzy'. (see: "),
])
def test_a_typo_gets_its_close_match_and_the_help_pointer_once(args, words):
    result = run(*args)
    assert_one_line_error(result, words)
    assert result.stderr.count("(see:") == 1  # "(see: ... --help)" was said twice for an unknown option
