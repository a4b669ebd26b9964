# Empty dependencies file for test_keystore_describe.
# This may be replaced when dependencies are built.
