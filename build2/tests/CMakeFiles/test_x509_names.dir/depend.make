# Empty dependencies file for test_x509_names.
# This may be replaced when dependencies are built.
