file(REMOVE_RECURSE
  "CMakeFiles/test_convert_convert.dir/unit/convert/test_convert.c.o"
  "CMakeFiles/test_convert_convert.dir/unit/convert/test_convert.c.o.d"
  "test_convert_convert"
  "test_convert_convert.pdb"
)

# Per-language clean rules from dependency scanning.
foreach(lang C)
  include(CMakeFiles/test_convert_convert.dir/cmake_clean_${lang}.cmake OPTIONAL)
endforeach()
