# a09_symlink_folder: per-student folders whose solution.py is a symlink: to the grader's HMAC key (leaks via NameError text when the hex key starts with a-f), to the course's reference course.py on the grading machine (full marks, no code), to a classmate's file
ln -s "$HOME/.local/state/shapecheck/grade.key" eve_key/solution.py
ln -s /path/to/site-packages/shapecheck/diagnosis/assignments/dnn/course.py eve_ref/solution.py
ln -s ../alice/solution.py eve_copy/solution.py
