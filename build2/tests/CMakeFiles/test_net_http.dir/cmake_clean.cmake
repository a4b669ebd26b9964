file(REMOVE_RECURSE
  "CMakeFiles/test_net_http.dir/unit/net/test_http.c.o"
  "CMakeFiles/test_net_http.dir/unit/net/test_http.c.o.d"
  "test_net_http"
  "test_net_http.pdb"
)

# Per-language clean rules from dependency scanning.
foreach(lang C)
  include(CMakeFiles/test_net_http.dir/cmake_clean_${lang}.cmake OPTIONAL)
endforeach()
