# Empty dependencies file for test_ca_engine.
# This may be replaced when dependencies are built.
