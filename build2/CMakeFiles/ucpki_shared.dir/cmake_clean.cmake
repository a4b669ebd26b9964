file(REMOVE_RECURSE
  "libucpki.pdb"
  "libucpki.so"
  "libucpki.so.0"
  "libucpki.so.0.1.0"
)

# Per-language clean rules from dependency scanning.
foreach(lang C)
  include(CMakeFiles/ucpki_shared.dir/cmake_clean_${lang}.cmake OPTIONAL)
endforeach()
