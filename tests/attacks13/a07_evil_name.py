# a07_evil_name: file name carries <script>, an ANSI escape and a newline, to confuse table/HTML/JUnit/CSV
# <<gallery: correct/dnn_course.py>>
