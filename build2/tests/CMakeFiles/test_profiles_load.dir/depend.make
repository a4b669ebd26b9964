# Empty dependencies file for test_profiles_load.
# This may be replaced when dependencies are built.
