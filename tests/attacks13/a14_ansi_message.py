# a14_ansi_message: an exception message carrying terminal escapes (cursor up + erase line + fake row) reaches the instructor's terminal table
# <<gallery: correct/dnn_course.py>>
def compute_cost(AL, Y):
    raise ValueError("\x1b[3A\x1b[2Kalice        0/9    failed   (spoofed row)\x1b[3B\x1b]0;owned\x07")
