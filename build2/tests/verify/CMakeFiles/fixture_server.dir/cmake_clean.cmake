file(REMOVE_RECURSE
  "CMakeFiles/fixture_server.dir/fixture_server.c.o"
  "CMakeFiles/fixture_server.dir/fixture_server.c.o.d"
  "fixture_server"
  "fixture_server.pdb"
)

# Per-language clean rules from dependency scanning.
foreach(lang C)
  include(CMakeFiles/fixture_server.dir/cmake_clean_${lang}.cmake OPTIONAL)
endforeach()
