"""JUnit XML of a graded class, for any CI that shows test results: one testsuite per student, one
testcase per scored function, told as every other format tells it (verdict.py).

A testcase passes exactly when its function earned its full points (an inherited failure paid in full
passes, with a note in its ``system-out``); otherwise it has a ``failure`` when the code is wrong
(fail, missing, an inherited failure that costs points) or an ``error`` when it did not finish (error,
timeout, crash). A submission that could not be graded is one testcase, ``submission``, with an
``error`` and its message. So a suite is green exactly when the student has the full score. Import-time
warnings go into the suite's ``system-out``.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET

from shapecheck.core.printable import printable
from shapecheck.grade.verdict import verdicts, warnings

# what XML 1.0 cannot hold at all, after printable() has escaped the control characters
_NOT_XML = re.compile("[\ufffe\uffff]")


def xml_text(text: str) -> str:
    """Text a student influenced (ids, messages, printed output), as XML 1.0 can hold it: never a
    document that fails to parse, for one student's escape character, for the whole class."""
    return _NOT_XML.sub("", printable(text))


def _xml_safe(element: ET.Element) -> None:
    for node in element.iter():
        node.attrib = {k: xml_text(v) for k, v in node.attrib.items()}
        if node.text:
            node.text = xml_text(node.text)


def junit_xml(records: list[dict]) -> str:
    suites = ET.Element("testsuites", name="shapecheck grade")
    totals = {"tests": 0, "failures": 0, "errors": 0, "skipped": 0}
    for record in sorted(records, key=lambda r: r["id"]):
        suite = ET.SubElement(suites, "testsuite", name=record["id"])
        counts = {"tests": 0, "failures": 0, "errors": 0, "skipped": 0}
        properties = ET.SubElement(suite, "properties")
        for name in ("score", "max_score", "status", "passed"):
            value = record[name]
            ET.SubElement(properties, "property", name=name, value=str(value).lower() if isinstance(value, bool) else str(value))
        for verdict in verdicts(record):
            counts["tests"] += 1
            case = ET.SubElement(suite, "testcase", classname=record["id"], name=verdict.name)
            text = "\n".join(verdict.details)
            if not verdict.passed:
                tag = "failure" if verdict.wrong else "error"
                counts["failures" if verdict.wrong else "errors"] += 1
                ET.SubElement(case, tag, message=verdict.message, type=verdict.outcome).text = text
            elif text:
                ET.SubElement(case, "system-out").text = text
        notes = warnings(record) + list(record.get("notes", []))
        if notes:
            ET.SubElement(suite, "system-out").text = "\n".join(notes)
        for key, value in counts.items():
            suite.set(key, str(value))
            totals[key] += value
    for key, value in totals.items():
        suites.set(key, str(value))
    _xml_safe(suites)
    ET.indent(suites)
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + ET.tostring(suites, encoding="unicode") + "\n"
