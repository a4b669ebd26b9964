# Empty compiler generated dependencies file for test_x509_dn.
# This may be replaced when dependencies are built.
