# a15_junit_control_char: a14_ansi_message.py (an exception message with \x1b) graded with --format junit: the class XML is not well-formed
shapecheck grade class8 --out out8 --format junit > class8.xml; python3 -c "import xml.etree.ElementTree as E; E.parse('class8.xml')"
