# CMake generated Testfile for 
# Source directory: /work/main/bench
# Build directory: /work/main/build2/bench
# 
# This file includes the relevant testing commands required for 
# testing this directory and lists subdirectories to be tested as well.
subdirs("issue")
subdirs("keystore")
subdirs("solution")
subdirs("verify")
