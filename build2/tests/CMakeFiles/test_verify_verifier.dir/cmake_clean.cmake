file(REMOVE_RECURSE
  "CMakeFiles/test_verify_verifier.dir/unit/verify/test_verifier.c.o"
  "CMakeFiles/test_verify_verifier.dir/unit/verify/test_verifier.c.o.d"
  "test_verify_verifier"
  "test_verify_verifier.pdb"
)

# Per-language clean rules from dependency scanning.
foreach(lang C)
  include(CMakeFiles/test_verify_verifier.dir/cmake_clean_${lang}.cmake OPTIONAL)
endforeach()
