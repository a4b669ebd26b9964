# Empty compiler generated dependencies file for bench_mkcas.
# This may be replaced when dependencies are built.
