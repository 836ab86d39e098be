"""concbench's Python engines: the same tasks as the C++ engines, run by CPython's own models.

The harness starts `python3 -m concbench_python.runner` once per measured run and talks to it
over its standard input and output (see runner.py); nothing here is imported by user code.
"""
