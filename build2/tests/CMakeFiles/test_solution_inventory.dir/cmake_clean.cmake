file(REMOVE_RECURSE
  "CMakeFiles/test_solution_inventory.dir/unit/solution/test_inventory.c.o"
  "CMakeFiles/test_solution_inventory.dir/unit/solution/test_inventory.c.o.d"
  "test_solution_inventory"
  "test_solution_inventory.pdb"
)

# Per-language clean rules from dependency scanning.
foreach(lang C)
  include(CMakeFiles/test_solution_inventory.dir/cmake_clean_${lang}.cmake OPTIONAL)
endforeach()
