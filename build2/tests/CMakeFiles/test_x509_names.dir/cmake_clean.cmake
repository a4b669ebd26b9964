file(REMOVE_RECURSE
  "CMakeFiles/test_x509_names.dir/unit/x509/test_names.c.o"
  "CMakeFiles/test_x509_names.dir/unit/x509/test_names.c.o.d"
  "test_x509_names"
  "test_x509_names.pdb"
)

# Per-language clean rules from dependency scanning.
foreach(lang C)
  include(CMakeFiles/test_x509_names.dir/cmake_clean_${lang}.cmake OPTIONAL)
endforeach()
