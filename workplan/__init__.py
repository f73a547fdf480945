"""workplan: the 长三角市场监管一体化 work plan as data, with commands to query and report on it.

As a library: `workplan.open(path)` gives a Plan (see workplan.api). The names are loaded on first
use, so the command line does not pay for them.
"""

__version__ = "0.1.0"
__all__ = ["Plan", "open"]


def __getattr__(name: str):
    if name in __all__:
        from workplan import api

        return getattr(api, name)
    raise AttributeError(f"module 'workplan' has no attribute {name!r}")
