"""The Arabic catalogue keeps the glossary's fixed words (shapecheck/locales/ar/GLOSSARY.md is their one home):
`Fix:` is always الحل:, and the words its "does not use" table names appear nowhere. Once 42 entries wrote
الإصلاح: and eight wrote مخفية for the glossary's خفية."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from shapecheck.core.messages import catalogue

GLOSSARY = Path(__file__).resolve().parent.parent / "shapecheck" / "locales" / "ar" / "GLOSSARY.md"


def fixed_labels(text: str) -> dict[str, str]:
    """The rules' "`Fix:` is always `الحل:`; `Rule:` is `القاعدة:`" line: English label -> Arabic label."""
    line = next(line for line in text.splitlines() if line.startswith("- `Fix:`"))
    return dict(re.findall(r"`([^`]+)` is (?:always )?`([^`]+)`", line))


def words_not_used(text: str) -> dict[str, str]:
    """The "Words the catalogue does not use" table: the word not used -> the glossary's word."""
    section = text.split("## Words the catalogue does not use", 1)[1].split("\n## ", 1)[0]
    rows = [[cell.strip() for cell in line.strip().strip("|").split("|")] for line in section.splitlines()
            if line.startswith("|")]
    return {row[0].split()[0]: row[1].split()[0] for row in rows[2:]}  # past the heading and its rule


def misused(english: dict[str, str], arabic: dict[str, str], labels: dict[str, str], avoided: dict[str, str]) -> list[str]:
    """Every id whose Arabic lacks a fixed label its English has, or uses a word the glossary avoids."""
    found = [f"{key}: {label!r} without {labels[label]!r}" for key, text in english.items() for label in labels
             if label in text and key in arabic and labels[label] not in arabic[key]]
    found += [f"{key}: {word!r} (the glossary's word is {avoided[word]!r})" for key, text in arabic.items()
              for word in avoided if word in text]
    return found


def test_the_glossary_names_its_fixed_labels_and_the_words_it_avoids():
    # meta-test: if the glossary's wording changed so these read nothing, the test below could never fail
    text = GLOSSARY.read_text(encoding="utf-8")
    assert fixed_labels(text) == {"Fix:": "الحل:", "Rule:": "القاعدة:", "Hint": "تلميح"}
    assert words_not_used(text) == {"الإصلاح": "الحل", "مخفي": "خفي"}


def test_every_arabic_entry_keeps_the_glossary_s_fixed_words():
    text = GLOSSARY.read_text(encoding="utf-8")
    assert misused(dict(catalogue("en")), dict(catalogue("ar")), fixed_labels(text), words_not_used(text)) == []


@pytest.mark.parametrize("arabic, reasons", [
    ("المعاملات خاطئة. الإصلاح: أعد الحساب.", ["'Fix:' without 'الحل:'", "'الإصلاح'"]),
    ("المعاملات خاطئة. الحل: أعد الحساب في الطبقة المخفية.", ["'مخفي'"]),
], ids=["fix_label", "hidden"])
def test_the_check_sees_a_drifted_entry(arabic, reasons):
    text = GLOSSARY.read_text(encoding="utf-8")
    found = misused({"x.y": "The parameters are wrong. Fix: compute them again."}, {"x.y": arabic},
                    fixed_labels(text), words_not_used(text))
    assert len(found) == len(reasons) and all(reason in line for reason, line in zip(reasons, found)), found
