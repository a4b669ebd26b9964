# Empty compiler generated dependencies file for ucpki_lib.
# This may be replaced when dependencies are built.
