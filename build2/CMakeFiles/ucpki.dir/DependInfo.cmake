
# Consider dependencies only in project.
set(CMAKE_DEPENDS_IN_PROJECT_ONLY OFF)

# The set of languages for which implicit dependencies are needed:
set(CMAKE_DEPENDS_LANGUAGES
  )

# The set of dependency files which are needed:
set(CMAKE_DEPENDS_DEPENDENCY_FILES
  "/work/main/src/cli/cli.c" "CMakeFiles/ucpki.dir/src/cli/cli.c.o" "gcc" "CMakeFiles/ucpki.dir/src/cli/cli.c.o.d"
  "/work/main/src/cli/cmd_ca.c" "CMakeFiles/ucpki.dir/src/cli/cmd_ca.c.o" "gcc" "CMakeFiles/ucpki.dir/src/cli/cmd_ca.c.o.d"
  "/work/main/src/cli/cmd_convert.c" "CMakeFiles/ucpki.dir/src/cli/cmd_convert.c.o" "gcc" "CMakeFiles/ucpki.dir/src/cli/cmd_convert.c.o.d"
  "/work/main/src/cli/cmd_formats.c" "CMakeFiles/ucpki.dir/src/cli/cmd_formats.c.o" "gcc" "CMakeFiles/ucpki.dir/src/cli/cmd_formats.c.o.d"
  "/work/main/src/cli/cmd_issue.c" "CMakeFiles/ucpki.dir/src/cli/cmd_issue.c.o" "gcc" "CMakeFiles/ucpki.dir/src/cli/cmd_issue.c.o.d"
  "/work/main/src/cli/cmd_keystore.c" "CMakeFiles/ucpki.dir/src/cli/cmd_keystore.c.o" "gcc" "CMakeFiles/ucpki.dir/src/cli/cmd_keystore.c.o.d"
  "/work/main/src/cli/cmd_revoke.c" "CMakeFiles/ucpki.dir/src/cli/cmd_revoke.c.o" "gcc" "CMakeFiles/ucpki.dir/src/cli/cmd_revoke.c.o.d"
  "/work/main/src/cli/cmd_server.c" "CMakeFiles/ucpki.dir/src/cli/cmd_server.c.o" "gcc" "CMakeFiles/ucpki.dir/src/cli/cmd_server.c.o.d"
  "/work/main/src/cli/cmd_show.c" "CMakeFiles/ucpki.dir/src/cli/cmd_show.c.o" "gcc" "CMakeFiles/ucpki.dir/src/cli/cmd_show.c.o.d"
  "/work/main/src/cli/cmd_solution.c" "CMakeFiles/ucpki.dir/src/cli/cmd_solution.c.o" "gcc" "CMakeFiles/ucpki.dir/src/cli/cmd_solution.c.o.d"
  "/work/main/src/cli/cmd_state.c" "CMakeFiles/ucpki.dir/src/cli/cmd_state.c.o" "gcc" "CMakeFiles/ucpki.dir/src/cli/cmd_state.c.o.d"
  "/work/main/src/cli/cmd_verify.c" "CMakeFiles/ucpki.dir/src/cli/cmd_verify.c.o" "gcc" "CMakeFiles/ucpki.dir/src/cli/cmd_verify.c.o.d"
  "/work/main/src/cli/docs.c" "CMakeFiles/ucpki.dir/src/cli/docs.c.o" "gcc" "CMakeFiles/ucpki.dir/src/cli/docs.c.o.d"
  "/work/main/src/cli/main.c" "CMakeFiles/ucpki.dir/src/cli/main.c.o" "gcc" "CMakeFiles/ucpki.dir/src/cli/main.c.o.d"
  "/work/main/src/cli/output.c" "CMakeFiles/ucpki.dir/src/cli/output.c.o" "gcc" "CMakeFiles/ucpki.dir/src/cli/output.c.o.d"
  )

# Targets to which this target links.
set(CMAKE_TARGET_LINKED_INFO_FILES
  "/work/main/build2/CMakeFiles/ucpki_lib.dir/DependInfo.cmake"
  )

# Fortran module output directory.
set(CMAKE_Fortran_TARGET_MODULE_DIR "")
