"""One catalogue per language: Arabic alongside English, same ids, same placeholders, no sentence outside."""

import ast
import re
from pathlib import Path

import pytest

from shapecheck.core import messages
from shapecheck import i18n
from shapecheck.i18n import placeholders, status
from shapecheck.core.messages import FSI, LRI, PDI, catalogue, msg, strip_isolates
from shapecheck.core.language import set_language

ROOT = Path(__file__).resolve().parent.parent
SOURCES = sorted([*ROOT.joinpath("shapecheck").rglob("*.py"), *ROOT.joinpath("cli").rglob("*.py")])


@pytest.fixture
def arabic():
    set_language("ar")
    yield
    set_language(None)


def test_every_english_message_has_an_arabic_one_with_the_same_placeholders():
    found = status("ar")
    assert found["missing"] == [] and found["placeholders"] == [] and found["extra"] == []


def test_every_arabic_entry_translates_the_english_it_stands_beside():
    # an English sentence changed without its translation shows the student an outdated Arabic one
    found = status("ar")
    assert found["stale"] == [], (
        "the English of these ids changed after their Arabic was written: update each Arabic entry to say what "
        "the English now says, then `python -m shapecheck.i18n stamp ar ID ...`: " + " ".join(found["stale"]))
    assert found["unstamped"] == [], (
        "new Arabic entries without a stamp (a later English change would go unnoticed): "
        "`python -m shapecheck.i18n stamp ar`: " + " ".join(found["unstamped"]))


def test_the_status_tool_sees_a_changed_english_sentence_and_an_unstamped_entry(monkeypatch):
    # meta-test: if it could not, the test above could never fail
    english, arabic = dict(catalogue("en")), dict(catalogue("ar"))
    changed, new = sorted(english)[:2]
    english[changed] += " (changed)"
    stamps = dict(i18n._stamps("ar"))
    stamps.pop(new)
    monkeypatch.setattr("shapecheck.i18n.catalogue", lambda lang: english if lang == "en" else arabic)
    monkeypatch.setattr("shapecheck.i18n._stamps", lambda lang: stamps)
    found = status("ar")
    assert found["stale"] == [changed] and found["unstamped"] == [new]


def test_stamping_new_entries_never_blesses_a_stale_one(monkeypatch, tmp_path):
    (tmp_path / "ar").mkdir()
    english = {"a.kept": "one", "a.changed": "two, now longer", "a.new": "three"}
    arabic = {"a.kept": "واحد", "a.changed": "اثنان", "a.new": "ثلاثة"}
    (tmp_path / "ar" / "sources.json").write_text(
        f'{{"a.kept": "{i18n._hash("one")}", "a.changed": "{i18n._hash("two")}", "a.gone": "0"}}')
    monkeypatch.setattr("shapecheck.i18n._LOCALES", tmp_path)
    monkeypatch.setattr("shapecheck.i18n.catalogue", lambda lang: english if lang == "en" else arabic)
    assert i18n.stamp("ar") == 1  # a.new only
    assert status("ar")["stale"] == ["a.changed"] and status("ar")["unstamped"] == []
    assert i18n.main(["status", "ar"]) == 1
    assert i18n.stamp("ar", ["a.changed"]) == 1  # reviewed and updated: stamped by name
    assert status("ar")["stale"] == [] and i18n.main(["status", "ar"]) == 0
    assert set(i18n._stamps("ar")) == {"a.kept", "a.changed", "a.new"}  # an id that left is dropped
    with pytest.raises(KeyError, match="a.typo"):
        i18n.stamp("ar", ["a.typo"])
    assert i18n.main(["stamp", "ar", "a.typo"]) == 2


def test_placeholders_are_read_with_their_format_specs():
    assert placeholders("{count:,} of {name!r} in {where}") == {"count", "name", "where"}


def test_the_status_tool_would_see_a_missing_or_broken_translation(monkeypatch):
    # meta-test: if the tool could not see these, the test above could never fail
    english, arabic = dict(catalogue("en")), dict(catalogue("ar"))
    some = next(k for k, v in english.items() if placeholders(v))
    gone = next(k for k in english if k != some)
    arabic.pop(gone, None)
    arabic[some] = "بدون"
    monkeypatch.setattr("shapecheck.i18n.catalogue", lambda lang: english if lang == "en" else arabic)
    found = status("ar")
    assert gone in found["missing"] and some in found["placeholders"]


# --- no sentence built outside the catalogue -----------------------------------------------------------

SENTENCE = re.compile(r"[A-Za-z]{2,} [A-Za-z]{2,} [A-Za-z]{2,}")  # three words in a row: a sentence
SHOWN_BY = {"ShapecheckError", "Text", "print", "echo", "secho", "Panel", "Table", "add_row", "add_column",
            "Problem", "fail", "warn", "Exit", "rule", "log", "update", "add_task", "assemble", "write", "Progress"}


def _called_name(node: ast.Call) -> str:
    func = node.func
    return func.attr if isinstance(func, ast.Attribute) else getattr(func, "id", "")


def literal_sentences(path: Path):
    tree = ast.parse(path.read_text(encoding="utf-8"))
    seen = set()  # print(Text("...")): the literal is in both calls, report it once
    for node in ast.walk(tree):
        if isinstance(node, ast.Call) and _called_name(node) in SHOWN_BY:
            for arg in [*node.args, *(k.value for k in node.keywords)]:
                # every literal inside the argument: f-strings, `a if b else c`, concatenations, ...
                for part in ast.walk(arg):
                    if isinstance(part, ast.Constant) and isinstance(part.value, str) and SENTENCE.search(part.value):
                        if id(part) in seen:
                            continue
                        seen.add(id(part))
                        yield f"{path.relative_to(ROOT)}:{part.lineno}: {part.value[:60]!r}"


def test_no_user_facing_sentence_is_built_outside_the_catalogue():
    found = [hit for path in SOURCES for hit in literal_sentences(path)]
    assert found == []


# A sentence raised in any exception reaches a user sooner or later (an instructor's test, the CLI's
# "internal error (...)" line): it comes from the catalogue too. Exempt only what no user can read, each
# with its reason. Keyed by file and the literal's first words, so an exemption survives moved lines.
RAISED_BY = {  # the exception class: why its text never reaches a user
    "ProtocolError": "the wire between our process and the sandbox's worker: the runner catches it and reports a finding",
}
RAISED_IN = {  # a glob of files: why
    "shapecheck/diagnosis/worker.py": "the sandbox's worker runs isolated (python -I -S, without the package or its catalogue) and "
                                      "raises Python's own wording to the student's code (No module named ..., has no attribute ...)",
    "shapecheck/diagnosis/assignments/*/course.py": "the course file is self-contained (it is shipped into the sandbox and may "
                                                    "not import the catalogue); its cache readers' KeyErrors are caught by the "
                                                    "runner, which then builds the caches another way",
}
RAISED_EXEMPT = {  # (file, the literal's first words): why
    ("shapecheck/__init__.py", "module 'shapecheck' has no attribute"):
        "Python's own wording for a missing module attribute: hasattr, IDEs and tracebacks read it as Python writes it",
    ("shapecheck/diagnosis/assignments/__init__.py", "two assignments have the kind"):
        "a plug-in author's mistake, raised when the package is imported: never a student's or an instructor's",
    ("shapecheck/diagnosis/assignments/dnn/cases.py", "no usable net for"):
        "unreachable for the fixed sizes of the cases (a few draws always find one): a guard for the plug-in's author",
    ("shapecheck/diagnosis/assignments/dnn/cases.py", "no usable layer for"):
        "unreachable for the fixed sizes of the cases (a few draws always find one): a guard for the plug-in's author",
    ("shapecheck/spec/networks.py", " has no attribute "):
        "Python's own wording for a missing module attribute (the module's __getattr__): hasattr and tracebacks read it",
    ("shapecheck/spec/dense.py", "cannot assign to field"):
        "Python's own wording for a frozen dataclass's field (dataclasses.FrozenInstanceError), kept by the class that "
        "stands in for one: a programmer's error, never a student's",
    ("shapecheck/diagnosis/runner.py", "different cache structure"):
        "control flow inside the runner: caught a few lines up, where the caches are then built another way",
}


def raised_sentences(path: Path):
    """Literal sentences inside ``raise X(...)`` (any exception class), less the listed exemptions."""
    relative = path.relative_to(ROOT)
    if any(relative.match(pattern) for pattern in RAISED_IN):
        return
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if not (isinstance(node, ast.Raise) and isinstance(node.exc, ast.Call)) or _called_name(node.exc) in RAISED_BY:
            continue
        for part in ast.walk(node.exc):
            if isinstance(part, ast.Constant) and isinstance(part.value, str) and RAISED_SENTENCE.search(part.value):
                if not any(str(relative) == file and part.value.startswith(words) for file, words in RAISED_EXEMPT):
                    yield f"{relative}:{part.lineno}: {_called_name(node.exc)}: {part.value[:60]!r}"
                break


RAISED_SENTENCE = re.compile(r"[A-Za-z]{2,} [A-Za-z]+ [A-Za-z]{2,}")  # "is not a contract": a short word in the middle too


def test_no_sentence_is_raised_outside_the_catalogue():
    found = [hit for path in SOURCES for hit in raised_sentences(path)]
    assert found == [], "put the sentence in locales/<lang>/<area>.toml and raise it with msg(id, ...) or ShapecheckError(id, ...)"


def test_every_exemption_of_the_raise_scan_still_exempts_something():
    """A stale exemption would silently cover the next sentence written there."""
    literals = {(str(path.relative_to(ROOT)), part.value) for path in SOURCES
                for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))) if isinstance(node, ast.Raise)
                for part in ast.walk(node) if isinstance(part, ast.Constant) and isinstance(part.value, str)}
    assert [key for key in RAISED_EXEMPT if not any(f == key[0] and v.startswith(key[1]) for f, v in literals)] == []
    assert all(any(p.relative_to(ROOT).match(pattern) for p in SOURCES) for pattern in RAISED_IN)


def test_meta_the_raise_scan_finds_sentences_in_every_exception_and_only_there(tmp_path):
    bad = tmp_path / "bad.py"
    bad.write_text('raise ValueError(f"min_{name}={low} must be at least 1")\n'
                   'raise KeyError(f"{name!r} is not a contract function")\n'
                   'raise RuntimeError("the sandbox worker did not start: " + log)\n'
                   'raise ShapecheckError("testing.bad_min", name=name)\n'
                   'raise KeyError(msg("diagnose.not_contract", name=name))\n'
                   'raise ProtocolError("bad frame header here")\n'
                   'x = ValueError("a sentence that is never raised")\n')
    global ROOT
    saved, ROOT = ROOT, tmp_path
    try:
        found = list(raised_sentences(bad))
    finally:
        ROOT = saved
    assert [hit.split(":")[1] for hit in found] == ["1", "2", "3"]


def test_meta_the_scan_finds_a_literal_sentence(tmp_path):
    bad = tmp_path / "bad.py"
    bad.write_text('raise ShapecheckError("W1 has the wrong shape")\nconsole.print(Text(f"{x} is not right here"))\n'
                   'raise fail("grade.x", key, hint=f" (did you mean {near}?)" if near else "")\n')
    assert len(list(literal_sentences_in(bad))) == 3


def literal_sentences_in(path):
    global ROOT
    saved, ROOT = ROOT, path.parent
    try:
        return list(literal_sentences(path))
    finally:
        ROOT = saved


# --- right to left ---------------------------------------------------------------------------------


def test_arabic_messages_isolate_left_to_right_pieces(arabic):
    text = msg("check.transposed", name="W2", actual="(20, 7)", expected="(7, 20)", rule=msg("rules.W"))
    assert f"{FSI}W2{PDI}" in text and f"{FSI}(20, 7){PDI}" in text
    assert f"{LRI}W[l]{PDI}" in text  # the rule's notation, from the Arabic template itself
    assert re.search(r"[\u0600-\u06FF]", text)  # and it is Arabic


def test_english_has_no_isolates():
    text = msg("check.transposed", name="W2", actual="(20, 7)", expected="(7, 20)", rule=msg("rules.W"))
    assert strip_isolates(text) == text


def test_language_comes_from_the_environment_then_the_locale(monkeypatch):
    set_language(None)
    monkeypatch.setenv("SHAPECHECK_LANG", "ar")
    assert messages.language() == "ar"
    monkeypatch.delenv("SHAPECHECK_LANG")
    monkeypatch.setenv("LC_ALL", "ar_EG.UTF-8")
    assert messages.language() == "ar"
    monkeypatch.setenv("LC_ALL", "de_DE.UTF-8")
    assert messages.language() == "en"  # no German catalogue: English
