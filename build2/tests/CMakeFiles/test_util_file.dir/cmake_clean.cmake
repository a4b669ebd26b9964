file(REMOVE_RECURSE
  "CMakeFiles/test_util_file.dir/unit/util/test_file.c.o"
  "CMakeFiles/test_util_file.dir/unit/util/test_file.c.o.d"
  "test_util_file"
  "test_util_file.pdb"
)

# Per-language clean rules from dependency scanning.
foreach(lang C)
  include(CMakeFiles/test_util_file.dir/cmake_clean_${lang}.cmake OPTIONAL)
endforeach()
