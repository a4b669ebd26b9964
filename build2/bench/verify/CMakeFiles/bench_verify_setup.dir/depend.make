# Empty dependencies file for bench_verify_setup.
# This may be replaced when dependencies are built.
