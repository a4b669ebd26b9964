# Empty dependencies file for test_net_http.
# This may be replaced when dependencies are built.
