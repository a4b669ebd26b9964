# Empty dependencies file for test_formats_jks.
# This may be replaced when dependencies are built.
