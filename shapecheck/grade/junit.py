"""JUnit XML of a graded class, for any CI that shows test results: one testsuite per student, one
testcase per scored function; ``failure`` for a wrong result (an inherited one says so), ``error`` for
an exception or a timeout, ``skipped`` for a missing function. A submission that could not be graded
is one testcase with an ``error``."""

from __future__ import annotations

import xml.etree.ElementTree as ET

from shapecheck.core.messages import msg


def junit_xml(records: list[dict]) -> str:
    suites = ET.Element("testsuites", name="shapecheck grade")
    totals = {"tests": 0, "failures": 0, "errors": 0, "skipped": 0}
    for record in sorted(records, key=lambda r: r["id"]):
        suite = ET.SubElement(suites, "testsuite", name=record["id"])
        counts = {"tests": 0, "failures": 0, "errors": 0, "skipped": 0}
        properties = ET.SubElement(suite, "properties")
        for name in ("score", "max_score", "status"):
            ET.SubElement(properties, "property", name=name, value=str(record[name]))
        if record["status"] != "graded":
            case = ET.SubElement(suite, "testcase", classname=record["id"], name=msg("grade.gs_submission"))
            text = (record.get("fault") or {}).get("message", "")
            ET.SubElement(case, "error", message=text, type=record["status"]).text = text
            counts["tests"] += 1
            counts["errors"] += 1
        else:
            problems = {f["name"]: f for f in record["report"]["functions"]}
            for function in record["functions"]:
                counts["tests"] += 1
                case = ET.SubElement(suite, "testcase", classname=record["id"], name=function["name"])
                full = problems.get(function["name"], {})
                details = "\n".join(f"{p['message']}\n{p.get('hint') or ''}".strip() for p in full.get("problems", []))
                first = (full.get("problems") or [{}])[0].get("message", "")
                status = function["status"]
                if status == "pass":
                    continue
                if status == "missing":
                    counts["skipped"] += 1
                    ET.SubElement(case, "skipped", message=first or msg("grade.gs_missing", name=function["name"]))
                elif function.get("inherited_from"):
                    counts["failures"] += 1
                    text = msg("grade.gs_inherited", name=function["name"], callee=function["inherited_from"])
                    ET.SubElement(case, "failure", message=text, type="inherited").text = f"{text}\n{details}".strip()
                elif status == "fail":
                    counts["failures"] += 1
                    ET.SubElement(case, "failure", message=first, type="fail").text = details
                else:
                    counts["errors"] += 1
                    ET.SubElement(case, "error", message=first, type=status).text = details
        for key, value in counts.items():
            suite.set(key, str(value))
            totals[key] += value
    for key, value in totals.items():
        suites.set(key, str(value))
    ET.indent(suites)
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + ET.tostring(suites, encoding="unicode") + "\n"
