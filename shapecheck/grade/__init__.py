"""Grade a class: many submissions diagnosed in parallel, scored by a rubric, summarised (issue 8).

>>> from shapecheck.grade import grade
>>> report = grade(["submissions/"], out="grades", jobs=2, rubric="rubric.toml")   # doctest: +SKIP
"""

from shapecheck.grade.collect import Submission, collect, collect_student
from shapecheck.grade.report import GradeReport
from shapecheck.grade.rubric import Rubric, load_rubric
from shapecheck.grade.run import grade

__all__ = ["grade", "GradeReport", "Rubric", "load_rubric", "collect", "collect_student", "Submission"]
