"""workplan: the 长三角市场监管一体化 work plan as data, with commands to query and report on it."""

__version__ = "0.1.0"
