# Empty compiler generated dependencies file for test_util_file.
# This may be replaced when dependencies are built.
