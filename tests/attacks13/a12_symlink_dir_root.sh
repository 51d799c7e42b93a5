# a12_symlink_dir_root: a student's folder holds its solution.py plus a symlink to / : collect's rglob walks the whole machine (and reads every *.py found)
mkdir -p class6/eve; cp solution.py class6/eve/; ln -s / class6/eve/stuff
