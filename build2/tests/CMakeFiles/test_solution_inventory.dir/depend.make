# Empty dependencies file for test_solution_inventory.
# This may be replaced when dependencies are built.
