# a10_fifo_in_class: a FIFO (from a student's tar/zip) in the class folder named like a submission: does collect/read block the whole run?
mkfifo class3/zz_fifo.py
