"""The PEP 517 backend of `pip install .` (pyproject.toml): CMake builds the native module
(the release preset's optimisation, MIB_PYTHON on, for the Python running pip), then the
package folder it assembles — mibench/__init__.py, its stub, py.typed and _mibench — is packed
into a wheel. Written here rather than taken from scikit-build-core so that nothing comes from
PyPI: Debian's packages suffice (scripts/bootstrap --python).

MIBENCH_BUILD_DIR=<a configured build folder with MIB_PYTHON on> packs that folder's module
instead of configuring build/python-wheel (the install test reuses build/ci this way).
"""
import base64
import hashlib
import os
import pathlib
import re
import subprocess
import sys
import sysconfig
import zipfile

ROOT = pathlib.Path(__file__).resolve().parent.parent


def _version():
    text = (ROOT / "CMakeLists.txt").read_text()
    return re.search(r"project\(mibench VERSION ([0-9.]+)", text).group(1)


def _build():
    given = os.environ.get("MIBENCH_BUILD_DIR")
    build = pathlib.Path(given) if given else ROOT / "build" / "python-wheel"
    if not given:
        subprocess.run(["cmake", "-S", str(ROOT), "-B", str(build), "-DCMAKE_BUILD_TYPE=Release",
                        "-DMIB_PYTHON=ON", "-DMIB_BUILD_TESTS=OFF", "-DMIB_BUILD_BENCH=OFF",
                        f"-DPython_EXECUTABLE={sys.executable}"], check=True)
    subprocess.run(["cmake", "--build", str(build), "--target", "_mibench", "--parallel",
                    str(os.cpu_count() or 1)], check=True)
    return build / "python" / "mibench"


def _tag():
    python = f"cp{sys.version_info.major}{sys.version_info.minor}"
    platform = re.sub(r"[-.]", "_", sysconfig.get_platform())
    return f"{python}-{python}-{platform}"


def get_requires_for_build_wheel(config_settings=None):
    return []


def build_wheel(wheel_directory, config_settings=None, metadata_directory=None):
    package = _build()
    version, tag = _version(), _tag()
    dist_info = f"mibench-{version}.dist-info"
    files = {f"mibench/{p.name}": p.read_bytes() for p in sorted(package.iterdir())
             if p.name in ("__init__.py", "__init__.pyi", "py.typed")
             or (p.name.startswith("_mibench.") and p.suffix == ".so")}
    if not any(name.endswith(".so") for name in files):
        raise RuntimeError(f"build_backend: no native module _mibench*.so in {package}")
    files[f"{dist_info}/METADATA"] = (
        "Metadata-Version: 2.1\nName: mibench\nVersion: " + version + "\n"
        "Summary: A benchmark suite for mutual-information estimators\n"
        "Requires-Python: >=3.7\nRequires-Dist: numpy\n").encode()
    files[f"{dist_info}/WHEEL"] = (
        "Wheel-Version: 1.0\nGenerator: mibench build_backend\nRoot-Is-Purelib: false\n"
        f"Tag: {tag}\n").encode()
    record = []
    for name, data in files.items():
        digest = base64.urlsafe_b64encode(hashlib.sha256(data).digest()).rstrip(b"=").decode()
        record.append(f"{name},sha256={digest},{len(data)}")
    record.append(f"{dist_info}/RECORD,,")
    files[f"{dist_info}/RECORD"] = ("\n".join(record) + "\n").encode()
    wheel = f"mibench-{version}-{tag}.whl"
    with zipfile.ZipFile(pathlib.Path(wheel_directory) / wheel, "w", zipfile.ZIP_DEFLATED) as z:
        for name, data in files.items():
            z.writestr(name, data)
    return wheel
