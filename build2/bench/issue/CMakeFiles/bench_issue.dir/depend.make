# Empty dependencies file for bench_issue.
# This may be replaced when dependencies are built.
