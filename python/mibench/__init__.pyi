# Type stubs of the mibench package (the native module's signatures), for editors and type
# checkers. Docstrings: help(mibench.estimate) etc.
from os import PathLike
from typing import Any, Callable, Dict, List, Mapping, Optional, Sequence, Tuple, Union

import numpy as np
import numpy.typing as npt

__version__: str

ArrayLike = npt.ArrayLike
Spec = Union[str, Mapping[str, Any]]
Row = Dict[str, Any]
PythonEstimator = Callable[[np.ndarray, np.ndarray, int], Union[float, Mapping[str, Any]]]

class UnknownNameError(KeyError): ...

class Task:
    id: str
    family: str
    source: str
    mi: float
    mi_se: float
    method: str
    dim_x: int
    dim_y: int
    dim_z: int  # 0: no conditioning variable; otherwise mi is I(X; Y | Z)
    def __init__(self, id: str) -> None: ...
    # (x, y), or (x, y, z) for a task with dim_z > 0
    def sample(self, n: int, seed: int, standardize: bool = ...) -> Tuple[np.ndarray, ...]: ...
    def pmi(self, x: ArrayLike, y: ArrayLike, z: Optional[ArrayLike] = ...) -> np.ndarray: ...

def tasks(list: Optional[str] = ...) -> List[Row]: ...
def estimators() -> List[Row]: ...
def estimate(x: ArrayLike, y: ArrayLike, estimator: Union[Spec, Sequence[Spec]] = ...,
             seed: int = ..., ci: Optional[float] = ..., resamples: int = ...,
             resample: str = ..., z: Optional[ArrayLike] = ...) -> Union[Row, List[Row]]: ...
def consistency(x: ArrayLike, y: ArrayLike, estimator: Union[Spec, Sequence[Spec]],
                permutations: int = ..., tolerance: float = ...,
                seed: int = ...) -> Union[Row, List[Row]]: ...
def run(config: Union[Mapping[str, Any], str, PathLike], out: Union[str, PathLike],
        threads: Optional[int] = ..., estimators: Optional[Mapping[str, PythonEstimator]] = ...,
        shard: str = ..., allow_mixed_builds: bool = ..., progress: bool = ...) -> Row: ...
def load(dir: Union[str, PathLike], as_frame: Optional[bool] = ...) -> Any: ...
def report(dir: Union[str, PathLike], formats: Optional[Sequence[str]] = ...,
           out: Optional[Union[str, PathLike]] = ...,
           n: int = ..., units: str = ..., precision: int = ...,
           estimators: Sequence[str] = ..., tasks: Sequence[str] = ...) -> List[str]: ...
