# Empty dependencies file for test_inspect_inspect.
# This may be replaced when dependencies are built.
