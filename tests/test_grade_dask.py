"""``--dask ADDRESS``: the same results as the local pool, streamed into the same resumable folder."""

import json
import os

import pytest

from shapecheck.core.errors import ShapecheckError
from shapecheck.grade import grade
from test_grade_class import build_class

distributed = pytest.importorskip("distributed", reason='the cluster extra is not installed: pip install "dask[distributed]"')

STUDENTS = {"ada": "correct/dnn_course.py", "eve": "dnn/dW_missing_1_over_m.py", "lev": "rnn/rnn_cell_forward_sigmoid.py"}


@pytest.fixture(scope="module")
def cluster():
    with distributed.LocalCluster(n_workers=1, threads_per_worker=2, processes=False, dashboard_address=None) as local:
        yield local


def records(out):
    return {p.name: json.loads(p.read_text()) for p in sorted((out / "submissions").glob("*.json"))}


def test_a_dask_cluster_grades_as_the_local_pool_does_and_resumes(cluster, tmp_path):
    submissions = build_class(tmp_path / "submissions", STUDENTS)
    (submissions / "notes.txt").write_text("not a submission")
    on_dask = grade([submissions], out=tmp_path / "dask", dask=cluster.scheduler_address)
    local = grade([submissions], out=tmp_path / "local", jobs=2)
    assert on_dask.graded_now == 3 and records(tmp_path / "dask") == records(tmp_path / "local")
    assert (tmp_path / "dask/class.json").read_text() == (tmp_path / "local/class.json").read_text()
    again = grade([submissions], out=tmp_path / "dask", dask=cluster.scheduler_address)
    assert (again.reused, again.graded_now) == (3, 0)
    assert local.record("notes")["fault"]["id"] == "not_python"


def test_an_unreachable_scheduler_is_bad_input(tmp_path, monkeypatch):
    from shapecheck.grade import cluster

    monkeypatch.setattr(cluster, "CONNECT_TIMEOUT", 1.0)
    submissions = build_class(tmp_path / "submissions", {"ada": "correct/dnn_course.py"})
    with pytest.raises(ShapecheckError, match="Cannot reach the Dask scheduler"):
        grade([submissions], out=tmp_path / "out", dask=f"tcp://127.0.0.1:{9 + os.getpid() % 7}")
