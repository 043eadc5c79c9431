#!/usr/bin/env python3
"""An estimator for mibench's process protocol, in Python with the standard library only.

    {"name": "external", "params": {"command": ["python3", "examples/gaussian_mi.py", "{x}", "{y}"]}}

Reads the two samples (.npy, float64 or float32, rows are samples), prints
{"mi": ..., "n": ...}: the MI in nats of the Gaussian fitted by the sample covariance,
1/2 ln(det Sxx det Syy / det S) (the same quantity as mibench's `gaussian` estimator).
"""
import ast
import json
import math
import struct
import sys


def read_npy(path):
    with open(path, "rb") as f:
        data = f.read()
    if data[:6] != b"\x93NUMPY":
        raise SystemExit(f"{path}: not a .npy file")
    major = data[6]
    size_bytes = 2 if major == 1 else 4
    (header_len,) = struct.unpack("<H" if size_bytes == 2 else "<I", data[8:8 + size_bytes])
    start = 8 + size_bytes + header_len
    header = ast.literal_eval(data[8 + size_bytes:start].decode("latin1"))
    code = {"<f8": "d", "<f4": "f"}[header["descr"]]
    shape = header["shape"] if len(header["shape"]) == 2 else (header["shape"][0], 1)
    rows, cols = shape
    values = struct.unpack(f"<{rows * cols}{code}", data[start:start + rows * cols * struct.calcsize(code)])
    return [list(values[r * cols:(r + 1) * cols]) for r in range(rows)]


def log_det(m):
    """ln det of a symmetric positive definite matrix, by Cholesky."""
    n = len(m)
    low = [[0.0] * n for _ in range(n)]
    total = 0.0
    for i in range(n):
        for j in range(i + 1):
            s = m[i][j] - sum(low[i][k] * low[j][k] for k in range(j))
            if i == j:
                if s <= 0:
                    raise SystemExit("the sample covariance is singular")
                low[i][i] = math.sqrt(s)
                total += 2 * math.log(low[i][i])
            else:
                low[i][j] = s / low[j][j]
    return total


def main():
    x, y = read_npy(sys.argv[1]), read_npy(sys.argv[2])
    z = [a + b for a, b in zip(x, y)]
    n, d, dx = len(z), len(z[0]), len(x[0])
    mean = [sum(row[c] for row in z) / n for c in range(d)]
    cov = [[sum((row[a] - mean[a]) * (row[b] - mean[b]) for row in z) / (n - 1) for b in range(d)]
           for a in range(d)]
    sub = lambda idx: [[cov[a][b] for b in idx] for a in idx]  # noqa: E731
    mi = 0.5 * (log_det(sub(range(dx))) + log_det(sub(range(dx, d))) - log_det(cov))
    print(json.dumps({"mi": mi, "n": n}))


if __name__ == "__main__":
    main()
