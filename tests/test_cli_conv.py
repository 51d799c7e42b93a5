"""`shapecheck shapes` for a conv net: the course's shorthand or a spec file, every n_H, n_W, n_C."""

import pytest

from cli_helpers import run, run_json


def assert_one_line_error(result, *words):
    assert result.exit_code == 2, result.output
    assert result.stdout == ""
    assert result.stderr.count("\n") == 1, result.stderr
    for word in words:
        assert word in result.stderr


def test_a_conv_net_shows_every_shape_with_the_arithmetic():
    result = run("shapes", "--input", "64x64x3", "conv f=7 s=1 p=3 c=32 relu", "pool f=2 s=2", "flatten", "dense n=1 sigmoid",
                 "-m", 16)
    assert result.exit_code == 0, result.output
    assert "(16, 64, 64, 32)" in result.stdout and "(16, 32, 32, 32)" in result.stdout and "(16, 32768)" in result.stdout
    _, data = run_json("shapes", "--input", "64x64x3", "conv f=7 s=1 p=3 c=32 relu")
    assert "⌊(64 + 2·3 − 7)/1⌋ + 1 = 64" in data["rows"][-1]["rule"]


def test_the_json_rows_give_every_tensor_its_size():
    result, data = run_json("shapes", "--input", "32x32x3", "conv f=3 s=2 c=8", "avgpool f=3 s=3")
    assert result.exit_code == 0
    outputs = [row["shape"] for row in data["rows"] if row["tensor"] == "output"]
    assert outputs == [["m", 15, 15, 8], ["m", 5, 5, 8]]
    conv = next(row for row in data["rows"] if row["tensor"] == "output")
    assert "the last 1 row(s) and column(s)" in conv["rule"] and "pad" in conv["rule"]


def test_a_spec_file_in_place_of_the_sizes_is_traced(tmp_path):
    path = tmp_path / "net.toml"
    path.write_text('[[sequential]]\ntype = "Conv2D"\nfilters = 4\nkernel_size = 3\ninput_shape = [9, 9, 1]\n')
    result, data = run_json("shapes", str(path), "-m", 2)
    assert result.exit_code == 0
    assert [2, 7, 7, 4] in [row["shape"] for row in data["rows"]]


@pytest.mark.parametrize(
    ("steps", "words"),
    [
        (["64x64x3", "conv f=70 c=8"], ["larger than its input", "f ≤ 64"]),
        (["64x64x3", "conv f=3 s=0 c=8"], ["strides = 0", "≥ 1", "strides=1"]),
        (["64x64x3", "conv f=3 p=-1 c=8"], ["-1", "at least 0"]),
        (["3x64x64", "conv f=3 c=8"], ["channels first", "input_shape=(64, 64, 3)"]),
        (["64x64x3", "cnov f=3 c=8"], ["(conv?)"]),
        (["64x64x3", "conv f=3"], ["c="]),
        (["64x64", "conv f=3 c=8"], ["64x64x3"]),
    ],
)
def test_bad_conv_input_is_one_line_and_exit_2(steps, words):
    assert_one_line_error(run("shapes", "--input", *steps), *words)
