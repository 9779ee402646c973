"""The catalogue, one module per feature so features can grow side by side.

Each module holds two dicts with the same keys: ZH_CN (the default) and EN.
"""
