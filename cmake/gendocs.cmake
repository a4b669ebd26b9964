# Write the man pages and the bash completion script with the built command
# (its command and option tables, src/cli/docs.c). Run by the build:
#   cmake -DUCPKI=path/to/ucpki -DOUT=build-dir -P cmake/gendocs.cmake
# Output: OUT/man/man1/ucpki.1, OUT/man/man1/ucpki-GROUP.1, OUT/completion/ucpki.

function(run_ucpki out)
  execute_process(COMMAND ${UCPKI} ${ARGN} OUTPUT_FILE ${out} RESULT_VARIABLE rc)
  if(NOT rc EQUAL 0)
    message(FATAL_ERROR "ucpki ${ARGN} failed (${rc})")
  endif()
endfunction()

# Pages of command groups that no longer exist must not stay behind.
file(REMOVE_RECURSE ${OUT}/man/man1)
file(MAKE_DIRECTORY ${OUT}/man/man1 ${OUT}/completion)
run_ucpki(${OUT}/man/pages --man list)
file(STRINGS ${OUT}/man/pages pages)
foreach(page ${pages})
  run_ucpki(${OUT}/man/man1/${page}.1 --man ${page})
endforeach()
file(REMOVE ${OUT}/man/pages)
run_ucpki(${OUT}/completion/ucpki --completion bash)
