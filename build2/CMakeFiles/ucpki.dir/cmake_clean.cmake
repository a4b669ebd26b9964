file(REMOVE_RECURSE
  "CMakeFiles/ucpki.dir/src/cli/cli.c.o"
  "CMakeFiles/ucpki.dir/src/cli/cli.c.o.d"
  "CMakeFiles/ucpki.dir/src/cli/cmd_ca.c.o"
  "CMakeFiles/ucpki.dir/src/cli/cmd_ca.c.o.d"
  "CMakeFiles/ucpki.dir/src/cli/cmd_convert.c.o"
  "CMakeFiles/ucpki.dir/src/cli/cmd_convert.c.o.d"
  "CMakeFiles/ucpki.dir/src/cli/cmd_formats.c.o"
  "CMakeFiles/ucpki.dir/src/cli/cmd_formats.c.o.d"
  "CMakeFiles/ucpki.dir/src/cli/cmd_issue.c.o"
  "CMakeFiles/ucpki.dir/src/cli/cmd_issue.c.o.d"
  "CMakeFiles/ucpki.dir/src/cli/cmd_keystore.c.o"
  "CMakeFiles/ucpki.dir/src/cli/cmd_keystore.c.o.d"
  "CMakeFiles/ucpki.dir/src/cli/cmd_revoke.c.o"
  "CMakeFiles/ucpki.dir/src/cli/cmd_revoke.c.o.d"
  "CMakeFiles/ucpki.dir/src/cli/cmd_server.c.o"
  "CMakeFiles/ucpki.dir/src/cli/cmd_server.c.o.d"
  "CMakeFiles/ucpki.dir/src/cli/cmd_show.c.o"
  "CMakeFiles/ucpki.dir/src/cli/cmd_show.c.o.d"
  "CMakeFiles/ucpki.dir/src/cli/cmd_solution.c.o"
  "CMakeFiles/ucpki.dir/src/cli/cmd_solution.c.o.d"
  "CMakeFiles/ucpki.dir/src/cli/cmd_state.c.o"
  "CMakeFiles/ucpki.dir/src/cli/cmd_state.c.o.d"
  "CMakeFiles/ucpki.dir/src/cli/cmd_verify.c.o"
  "CMakeFiles/ucpki.dir/src/cli/cmd_verify.c.o.d"
  "CMakeFiles/ucpki.dir/src/cli/docs.c.o"
  "CMakeFiles/ucpki.dir/src/cli/docs.c.o.d"
  "CMakeFiles/ucpki.dir/src/cli/main.c.o"
  "CMakeFiles/ucpki.dir/src/cli/main.c.o.d"
  "CMakeFiles/ucpki.dir/src/cli/output.c.o"
  "CMakeFiles/ucpki.dir/src/cli/output.c.o.d"
  "ucpki"
  "ucpki.pdb"
)

# Per-language clean rules from dependency scanning.
foreach(lang C)
  include(CMakeFiles/ucpki.dir/cmake_clean_${lang}.cmake OPTIONAL)
endforeach()
