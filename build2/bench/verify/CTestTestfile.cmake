# CMake generated Testfile for 
# Source directory: /work/main/bench/verify
# Build directory: /work/main/build2/bench/verify
# 
# This file includes the relevant testing commands required for 
# testing this directory and lists subdirectories to be tested as well.
