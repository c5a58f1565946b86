"""polyunit's code generator: spec/*.yaml -> generated/*.py. Imports no array library."""
