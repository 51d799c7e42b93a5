"""``shapecheck examples``: the README's files come with the package, and every README command runs on them."""

import json

from cli_helpers import run
from shapecheck.cli.examples import FILES


def test_examples_lists_every_file_with_the_command_that_uses_it():
    result = run("examples")
    assert result.exit_code == 0
    for name, (_, command) in FILES.items():
        assert name in result.stdout and command in result.stdout


def test_write_makes_every_file_and_never_overwrites_one_of_yours(tmp_path, monkeypatch):
    (tmp_path / "deep_net.toml").write_text("# mine\n")
    result = run("examples", "write", tmp_path)
    assert result.exit_code == 0, result.output
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted(FILES)
    assert (tmp_path / "deep_net.toml").read_text() == "# mine\n" and "Kept your own deep_net.toml" in result.stdout
    monkeypatch.chdir(tmp_path)
    params = run("params", "weights.npz", "12288", "20", "7", "5", "1", "--json")
    problems = json.loads(params.stdout)["problems"]
    assert params.exit_code == 1 and [(p["tensor"], p["expected"], p["actual"]) for p in problems] == [("W2", [7, 20], [20, 7])]
    summary = run("summary", "lstm_lesson.toml", "--json")
    assert summary.exit_code == 0 and json.loads(summary.stdout)["total_params"] == 491


def test_write_into_a_file_is_one_line(tmp_path):
    target = tmp_path / "notafolder"
    target.write_text("x")
    result = run("examples", "write", target)
    assert result.exit_code == 2 and result.stderr.count("\n") == 1 and "is a file, not a folder" in result.stderr


def test_examples_takes_json_like_every_command(tmp_path, monkeypatch):  # the README: "Every command takes --json"
    listed = run("examples", "--json")
    assert listed.exit_code == 0, listed.output
    assert [f["name"] for f in json.loads(listed.stdout)["files"]] == list(FILES)
    monkeypatch.chdir(tmp_path)
    (tmp_path / "demo dir").mkdir()
    (tmp_path / "demo dir" / "weights.npz").write_bytes(b"mine")
    first = run("examples", "write", "demo dir", "--json")
    assert first.exit_code == 0, first.output
    data = json.loads(first.stdout)
    assert data["kept"] == ["weights.npz"] and sorted(data["written"]) == sorted(set(FILES) - {"weights.npz"})
    assert (tmp_path / "demo dir" / "weights.npz").read_bytes() == b"mine"


def test_the_next_command_quotes_a_folder_with_a_space(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    assert "cd 'my demo' && shapecheck params" in run("examples", "write", "my demo").stdout
