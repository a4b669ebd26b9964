file(REMOVE_RECURSE
  "CMakeFiles/test_ca_engine.dir/unit/ca/test_engine.c.o"
  "CMakeFiles/test_ca_engine.dir/unit/ca/test_engine.c.o.d"
  "test_ca_engine"
  "test_ca_engine.pdb"
)

# Per-language clean rules from dependency scanning.
foreach(lang C)
  include(CMakeFiles/test_ca_engine.dir/cmake_clean_${lang}.cmake OPTIONAL)
endforeach()
