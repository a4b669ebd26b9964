# Empty dependencies file for test_profiles_shipped.
# This may be replaced when dependencies are built.
