file(REMOVE_RECURSE
  "CMakeFiles/test_profiles_shipped.dir/unit/profiles/test_shipped.c.o"
  "CMakeFiles/test_profiles_shipped.dir/unit/profiles/test_shipped.c.o.d"
  "test_profiles_shipped"
  "test_profiles_shipped.pdb"
)

# Per-language clean rules from dependency scanning.
foreach(lang C)
  include(CMakeFiles/test_profiles_shipped.dir/cmake_clean_${lang}.cmake OPTIONAL)
endforeach()
