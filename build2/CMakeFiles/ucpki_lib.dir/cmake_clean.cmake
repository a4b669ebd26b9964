file(REMOVE_RECURSE
  "libucpki.a"
  "libucpki.pdb"
)

# Per-language clean rules from dependency scanning.
foreach(lang C)
  include(CMakeFiles/ucpki_lib.dir/cmake_clean_${lang}.cmake OPTIONAL)
endforeach()
