"""The data of a sweep: built-in sets by name, .npz and .csv files in the course's layout, one clear line when not."""

import numpy as np
import pytest

from shapecheck.engine.data import make_flower, make_moons
from shapecheck.core.errors import ShapecheckError
from shapecheck.tune import load_data, sweep


def one_line(exc_info):
    text = str(exc_info.value)
    assert "\n" not in text
    return text


@pytest.mark.parametrize("name", ["flower", "moons", "circles", "linear"])
def test_a_built_in_set_by_name_is_the_engines_own(name):
    data = load_data(name, m=50, seed=3)
    assert data.X.shape == (2, 50) and data.Y.shape == (1, 50) and set(np.unique(data.Y)) == {0.0, 1.0}
    np.testing.assert_array_equal(load_data(name, m=50, seed=3).X, data.X)


def test_the_flower_is_the_engines_flower():
    np.testing.assert_array_equal(load_data("flower", m=40, seed=1).X, make_flower(m=40, seed=1)[0])


def test_the_linear_set_is_as_wide_as_the_network():
    report = sweep([3, 4, 1], "linear", learning_rates=[0.1], iterations=20, m=40, progress=False)
    assert report.dataset.X.shape == (3, 40)


def test_a_plane_set_with_a_wider_network_says_n0_must_be_2():
    with pytest.raises(ShapecheckError) as exc:
        sweep([3, 4, 1], "flower", learning_rates=[0.1], iterations=5, progress=False)
    assert "n0 = 2" in one_line(exc) and "n0 = 3" in one_line(exc)


def test_an_npz_with_X_and_Y_is_read(tmp_path):  # noqa: N802
    X, Y = make_moons(m=30)
    np.savez(tmp_path / "d.npz", X=X, Y=Y)
    data = load_data(tmp_path / "d.npz")
    np.testing.assert_array_equal(data.X, X)
    np.testing.assert_array_equal(data.Y, Y)
    assert data.name == "d.npz"


def test_an_npz_without_X_and_Y_names_what_it_holds(tmp_path):
    np.savez(tmp_path / "d.npz", features=np.ones((2, 3)), labels=np.ones((1, 3)))
    with pytest.raises(ShapecheckError) as exc:
        load_data(tmp_path / "d.npz")
    assert "features, labels" in one_line(exc) and "np.savez(path, X=X, Y=Y)" in one_line(exc)


@pytest.mark.parametrize("corrupt, words", [
    (lambda X, Y: (X.T, Y), ["d.npz", "X has shape (30, 2)", "transposed", "X.T"]),
    (lambda X, Y: (X, Y.T), ["d.npz", "Y has shape (30, 1)", "transposed"]),
    (lambda X, Y: (X, Y.ravel()), ["d.npz", "rank-1", "reshape(1, -1)"]),
    (lambda X, Y: (X, Y[:, :29]), ["d.npz", "m is 30 in X but 29 in Y"]),
    (lambda X, Y: (np.vstack([X, X[:1]]), Y), ["d.npz", "X has shape (3, 30)", "(2, m)"]),
])
def test_a_transposed_or_mismatched_npz_is_one_line_from_the_tracer(tmp_path, corrupt, words):
    X, Y = corrupt(*make_moons(m=30))
    np.savez(tmp_path / "d.npz", X=X, Y=Y)
    with pytest.raises(ShapecheckError) as exc:
        sweep([2, 3, 1], tmp_path / "d.npz", learning_rates=[0.1], iterations=5, progress=False)
    text = one_line(exc)
    assert all(w in text for w in words), text


def test_a_csv_in_the_courses_layout_is_read(tmp_path):
    X, Y = make_moons(m=30)
    np.savetxt(tmp_path / "d.csv", np.vstack([X, Y]), delimiter=",", header="x1 row, x2 row, labels row")
    data = load_data(tmp_path / "d.csv", n0=2)
    np.testing.assert_allclose(data.X, X, rtol=1e-15)
    np.testing.assert_array_equal(data.Y, Y)
    report = sweep([2, 3, 1], tmp_path / "d.csv", learning_rates=[0.1], iterations=10, progress=False)
    assert report.m_train + report.m_test == 30


def test_a_csv_with_one_example_per_row_is_named_transposed_with_the_fix(tmp_path):
    X, Y = make_moons(m=30)
    np.savetxt(tmp_path / "d.csv", np.vstack([X, Y]).T, delimiter=",")
    with pytest.raises(ShapecheckError) as exc:
        sweep([2, 3, 1], tmp_path / "d.csv", learning_rates=[0.1], iterations=5, progress=False)
    text = one_line(exc)
    assert "30 rows and 3 columns" in text and "looks transposed" in text and "table.T" in text


def test_a_csv_with_the_wrong_number_of_rows_says_how_many_the_network_needs(tmp_path):
    np.savetxt(tmp_path / "d.csv", np.ones((5, 8)), delimiter=",")
    with pytest.raises(ShapecheckError) as exc:
        sweep([2, 3, 1], tmp_path / "d.csv", learning_rates=[0.1], iterations=5, progress=False)
    assert "5 rows" in one_line(exc) and "needs 3 rows" in one_line(exc)


def test_a_csv_with_words_says_it_is_not_a_table_of_numbers(tmp_path):
    (tmp_path / "d.csv").write_text("x1,x2,y\n1,2,0\n")
    with pytest.raises(ShapecheckError) as exc:
        load_data(tmp_path / "d.csv")
    assert "not a table of numbers" in one_line(exc)
    assert ".." not in one_line(exc)  # numpy's reason ends with a period, and so does our sentence


def test_nan_in_X_is_named_with_its_index():  # noqa: N802
    X, Y = make_moons(m=20)
    X[1, 7] = np.nan
    with pytest.raises(ShapecheckError) as exc:
        sweep([2, 3, 1], (X, Y), learning_rates=[0.1], iterations=5, progress=False)
    assert "X holds nan at index (1, 7)" in one_line(exc)


def test_labels_outside_0_1_for_a_sigmoid_are_named():
    X, Y = make_moons(m=20)
    with pytest.raises(ShapecheckError) as exc:
        sweep([2, 3, 1], (X, Y * 2), learning_rates=[0.1], iterations=5, progress=False)
    assert "Y holds 2.0" in one_line(exc) and "sigmoid" in one_line(exc)


@pytest.mark.parametrize("source, words", [
    ("petals", ["Unknown data 'petals'", "flower, moons, circles, linear"]),
    ("nowhere.npz", ["No such file: nowhere.npz"]),
    ("data.txt", ["Unknown data 'data.txt'"]),
    (42, ["of type int"]),
])
def test_unknown_data_is_one_line(source, words):
    with pytest.raises(ShapecheckError) as exc:
        load_data(source)
    assert all(w in one_line(exc) for w in words)


@pytest.mark.parametrize("make", ["fifo", "folder"])
def test_a_csv_path_that_is_no_regular_file_is_one_line_never_a_hang(tmp_path, make):
    import os

    path = tmp_path / "data.csv"
    os.mkfifo(path) if make == "fifo" else path.mkdir()  # np.loadtxt on a pipe waited forever for a writer
    with pytest.raises(ShapecheckError) as exc:
        load_data(path)
    assert "data.csv is not a regular file" in one_line(exc) and "No such file" not in one_line(exc)
