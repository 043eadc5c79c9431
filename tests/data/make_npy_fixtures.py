#!/usr/bin/env python3
"""Writes the .npy fixtures of tests/core/npy_test.cpp with NumPy itself (run once; the
outputs are committed so the tests do not need NumPy): /usr/bin/python3 make_npy_fixtures.py"""
import io
import numpy as np
from numpy.lib import format as npf

out = "npy/"
a = np.array([[1.5, -2.0, 3.25], [0.0, 1e-300, -7.125]], dtype=np.float64)
np.save(out + "f8_2x3.npy", a)
np.save(out + "f4_2x3.npy", a.astype(np.float32))
np.save(out + "f8_1d.npy", np.array([0.5, 1.5, 2.5, 3.5]))
for major in (2, 3):
    with open(out + f"f8_v{major}.npy", "wb") as f:
        npf.write_array(f, a, version=(major, 0))
np.save(out + "fortran.npy", np.asfortranarray(a))
np.save(out + "big_endian.npy", a.astype(">f8"))
np.save(out + "int64.npy", np.arange(6, dtype=np.int64).reshape(2, 3))
np.save(out + "three_d.npy", np.zeros((2, 2, 2)))
np.save(out + "object.npy", np.array([[1, "a"]], dtype=object), allow_pickle=True)
buf = io.BytesIO()
np.save(buf, a)
with open(out + "truncated.npy", "wb") as f:
    f.write(buf.getvalue()[:-5])
with open(out + "bad_header.npy", "wb") as f:
    f.write(b"\x93NUMPY\x01\x00\x10\x00{'foo': 1}     \n")
