# Empty dependencies file for test_verify_verifier.
# This may be replaced when dependencies are built.
