# Empty dependencies file for fixture_server.
# This may be replaced when dependencies are built.
