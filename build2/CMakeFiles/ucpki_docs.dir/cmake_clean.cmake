file(REMOVE_RECURSE
  "CMakeFiles/ucpki_docs"
  "completion/ucpki"
  "man/man1/ucpki.1"
)

# Per-language clean rules from dependency scanning.
foreach(lang )
  include(CMakeFiles/ucpki_docs.dir/cmake_clean_${lang}.cmake OPTIONAL)
endforeach()
