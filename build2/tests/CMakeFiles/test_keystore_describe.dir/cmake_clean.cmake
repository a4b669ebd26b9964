file(REMOVE_RECURSE
  "CMakeFiles/test_keystore_describe.dir/unit/keystore/test_describe.c.o"
  "CMakeFiles/test_keystore_describe.dir/unit/keystore/test_describe.c.o.d"
  "test_keystore_describe"
  "test_keystore_describe.pdb"
)

# Per-language clean rules from dependency scanning.
foreach(lang C)
  include(CMakeFiles/test_keystore_describe.dir/cmake_clean_${lang}.cmake OPTIONAL)
endforeach()
