#!/usr/bin/python3
"""A straightforward SciPy implementation of the Frenzel & Pompe (2007) KSG estimator of the
conditional mutual information, the peer of mibench's `ksg-cmi` in bench/compare_ksg_cmi.sh:

    I(X;Y|Z) = psi(k) - < psi(n_xz(i) + 1) + psi(n_yz(i) + 1) - psi(n_z(i) + 1) >_i

eps_i is the distance to the k-th neighbour of (x_i, y_i, z_i) in the joint space under the
max-norm (the point itself excluded); n_xz(i) = #{j != i : ||(x,z)_j - (x,z)_i||_inf < eps_i}
(strict), n_yz and n_z alike. The joint k-NN is cKDTree.query(k=k+1, p=inf); the strict counts
are query_ball_point(r=nextafter(eps, 0), p=inf, return_length=True) - 1, as
../shared/peers/ksg_scipy.py counts for MI. No noise, no rescaling.

    ksg_cmi_scipy.py --x X.npy --y Y.npy --z Z.npy [--k 3] [--workers 1]

prints {"estimate": ..., "seconds": ...}; seconds time the estimator only (trees, queries and
digamma), not reading the files or starting the interpreter.
"""
import argparse
import json
import time

import numpy as np
from scipy.spatial import cKDTree
from scipy.special import digamma


def ksg_cmi(x, y, z, k=3, workers=1):
    xyz = np.ascontiguousarray(np.hstack((x, y, z)))
    eps = cKDTree(xyz).query(xyz, k=k + 1, p=np.inf, workers=workers)[0][:, k]
    r = np.nextafter(eps, 0.0)

    def count(m):
        m = np.ascontiguousarray(m)
        return cKDTree(m).query_ball_point(m, r, p=np.inf, return_length=True,
                                           workers=workers) - 1

    nxz, nyz, nz = count(np.hstack((x, z))), count(np.hstack((y, z))), count(z)
    return float(digamma(k) - np.mean(digamma(nxz + 1.0) + digamma(nyz + 1.0) - digamma(nz + 1.0)))


def main():
    ap = argparse.ArgumentParser(description=__doc__,
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    for name in ("--x", "--y", "--z"):
        ap.add_argument(name, required=True)
    ap.add_argument("--k", type=int, default=3)
    ap.add_argument("--workers", type=int, default=1)
    a = ap.parse_args()
    x, y, z = (np.load(p).reshape(-1, 1) if np.load(p).ndim == 1 else np.load(p)
               for p in (a.x, a.y, a.z))
    t = time.perf_counter()
    est = ksg_cmi(x, y, z, a.k, a.workers)
    print(json.dumps({"estimate": est, "seconds": time.perf_counter() - t}))


if __name__ == "__main__":
    main()
