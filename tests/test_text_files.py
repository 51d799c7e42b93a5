"""A file that is not UTF-8 (saved as Windows-1252, Latin-1 or Notepad's UTF-16) is one sentence that names the
byte, its line and how to save the file, from every reader of a user's text: not Python's codec message
("'utf-8' codec can't decode byte 0xff in position 0", "invalid or missing encoding declaration")."""

import json

import pytest
from hypothesis import given
from hypothesis import strategies as st

import shapecheck as sc
from cli_helpers import assert_one_line_error, run
from shapecheck.core.text_files import not_utf8
from shapecheck.diagnosis.source import load_source
from shapecheck.grade.rubric import load_rubric
from shapecheck.tune.datasets import read_csv

LATIN1 = "layer_dims = [3, 2, 1]\n# café\n".encode("latin-1")  # 0xe9 on line 2
UTF16 = "[dense_net]\nlayer_dims = [3, 2, 1]\n".encode("utf-16")  # starts with the mark FF FE

READERS = [(sc.load_spec, ".toml"), (sc.load_spec, ".json"), (load_rubric, ".toml"), (load_source, ".py"),
           (load_source, ".ipynb"), (read_csv, ".csv")]


@given(st.text(), st.sampled_from([b"\xe9", b"\xff", b"\x80", b"\xc3("]), st.text())
def test_the_sentence_names_the_first_byte_that_is_not_utf8_and_its_line(before, bad, after):
    data = before.encode() + bad + after.encode()
    error = not_utf8("f.toml", data)
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        assert error.message_id == "files.utf16"
        return
    assert error.message_id == "files.not_utf8"
    assert error.fields["byte"] == f"0x{bad[0]:02x}" and error.fields["line"] == before.count("\n") + 1


@pytest.mark.parametrize("data, message_id", [(LATIN1, "files.not_utf8"), (UTF16, "files.utf16")])
@pytest.mark.parametrize("reader, suffix", READERS, ids=lambda r: getattr(r, "__name__", r))
def test_every_reader_of_a_users_text_says_it_is_not_utf8(tmp_path, reader, suffix, data, message_id):
    path = tmp_path / f"file{suffix}"
    path.write_bytes(data)
    with pytest.raises(sc.ShapecheckError) as raised:
        reader(path)
    assert raised.value.message_id == message_id, str(raised.value)
    assert "codec" not in str(raised.value) and "Fix: save it as UTF-8" in str(raised.value)
    if message_id == "files.not_utf8":
        assert "the byte 0xe9 on line 2" in str(raised.value)


def test_a_utf8_byte_order_mark_is_read_as_utf8(tmp_path):
    path = tmp_path / "net.toml"
    path.write_bytes(b"\xef\xbb\xbf[dense_net]\nlayer_dims = [3, 2, 1]\n")
    assert sc.load_spec(path).layer_dims == (3, 2, 1)


def test_a_python_file_that_declares_its_encoding_is_read_in_it(tmp_path):
    path = tmp_path / "student.py"
    path.write_bytes("# -*- coding: latin-1 -*-\nNAME = 'café'\n".encode("latin-1"))
    assert "café" in load_source(path).code


@pytest.mark.parametrize("command", [["summary", "{}"], ["params", "{w}", "--spec", "{}"], ["diagnose", "{py}"]])
def test_the_cli_says_it_in_one_line_and_exit_2_and_in_json_too(tmp_path, command):
    (tmp_path / "net.toml").write_bytes(b"[dense_net]\nlayer_dims = [3, 2, 1] # \xe9\n")
    (tmp_path / "student.py").write_bytes(b"x = 1  # \xe9\n")
    import numpy as np

    np.savez(tmp_path / "w.npz", W1=np.zeros((2, 3)))
    args = [a.format(tmp_path / "net.toml", w=tmp_path / "w.npz", py=tmp_path / "student.py") for a in command]
    assert_one_line_error(run(*args), "is not UTF-8 text: the byte 0xe9 on line", "Fix: save it as UTF-8")
    result = run(*args, "--json")
    assert result.exit_code == 2 and result.stdout == ""
    assert json.loads(result.stderr)["error"]["code"] == "files.not_utf8"
