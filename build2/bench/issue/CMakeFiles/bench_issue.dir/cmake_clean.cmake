file(REMOVE_RECURSE
  "CMakeFiles/bench_issue.dir/bench_issue.c.o"
  "CMakeFiles/bench_issue.dir/bench_issue.c.o.d"
  "bench_issue"
  "bench_issue.pdb"
)

# Per-language clean rules from dependency scanning.
foreach(lang C)
  include(CMakeFiles/bench_issue.dir/cmake_clean_${lang}.cmake OPTIONAL)
endforeach()
