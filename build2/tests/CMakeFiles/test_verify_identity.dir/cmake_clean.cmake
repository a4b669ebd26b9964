file(REMOVE_RECURSE
  "CMakeFiles/test_verify_identity.dir/unit/verify/test_identity.c.o"
  "CMakeFiles/test_verify_identity.dir/unit/verify/test_identity.c.o.d"
  "test_verify_identity"
  "test_verify_identity.pdb"
)

# Per-language clean rules from dependency scanning.
foreach(lang C)
  include(CMakeFiles/test_verify_identity.dir/cmake_clean_${lang}.cmake OPTIONAL)
endforeach()
