file(REMOVE_RECURSE
  "CMakeFiles/test_x509_dn.dir/unit/x509/test_dn.c.o"
  "CMakeFiles/test_x509_dn.dir/unit/x509/test_dn.c.o.d"
  "test_x509_dn"
  "test_x509_dn.pdb"
)

# Per-language clean rules from dependency scanning.
foreach(lang C)
  include(CMakeFiles/test_x509_dn.dir/cmake_clean_${lang}.cmake OPTIONAL)
endforeach()
