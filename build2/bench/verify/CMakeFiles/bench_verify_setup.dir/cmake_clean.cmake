file(REMOVE_RECURSE
  "CMakeFiles/bench_verify_setup.dir/setup.c.o"
  "CMakeFiles/bench_verify_setup.dir/setup.c.o.d"
  "bench_verify_setup"
  "bench_verify_setup.pdb"
)

# Per-language clean rules from dependency scanning.
foreach(lang C)
  include(CMakeFiles/bench_verify_setup.dir/cmake_clean_${lang}.cmake OPTIONAL)
endforeach()
