file(REMOVE_RECURSE
  "CMakeFiles/test_formats_jks.dir/unit/formats/test_jks.c.o"
  "CMakeFiles/test_formats_jks.dir/unit/formats/test_jks.c.o.d"
  "test_formats_jks"
  "test_formats_jks.pdb"
)

# Per-language clean rules from dependency scanning.
foreach(lang C)
  include(CMakeFiles/test_formats_jks.dir/cmake_clean_${lang}.cmake OPTIONAL)
endforeach()
