# Empty dependencies file for test_convert_convert.
# This may be replaced when dependencies are built.
