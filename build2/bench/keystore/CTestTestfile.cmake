# CMake generated Testfile for 
# Source directory: /work/main/bench/keystore
# Build directory: /work/main/build2/bench/keystore
# 
# This file includes the relevant testing commands required for 
# testing this directory and lists subdirectories to be tested as well.
