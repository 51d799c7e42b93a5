# a11_devzero_symlink: flat class folder entry zz_zero.py -> /dev/zero: the coordinator hashes it with read_bytes() (unbounded read)
ln -s /dev/zero class5/zz_zero.py
