file(REMOVE_RECURSE
  "CMakeFiles/bench_mkcas.dir/mkcas.c.o"
  "CMakeFiles/bench_mkcas.dir/mkcas.c.o.d"
  "bench_mkcas"
  "bench_mkcas.pdb"
)

# Per-language clean rules from dependency scanning.
foreach(lang C)
  include(CMakeFiles/bench_mkcas.dir/cmake_clean_${lang}.cmake OPTIONAL)
endforeach()
