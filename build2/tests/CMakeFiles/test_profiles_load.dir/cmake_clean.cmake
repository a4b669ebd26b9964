file(REMOVE_RECURSE
  "CMakeFiles/test_profiles_load.dir/unit/profiles/test_load.c.o"
  "CMakeFiles/test_profiles_load.dir/unit/profiles/test_load.c.o.d"
  "test_profiles_load"
  "test_profiles_load.pdb"
)

# Per-language clean rules from dependency scanning.
foreach(lang C)
  include(CMakeFiles/test_profiles_load.dir/cmake_clean_${lang}.cmake OPTIONAL)
endforeach()
