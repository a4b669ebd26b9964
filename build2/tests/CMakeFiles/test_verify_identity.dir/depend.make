# Empty dependencies file for test_verify_identity.
# This may be replaced when dependencies are built.
