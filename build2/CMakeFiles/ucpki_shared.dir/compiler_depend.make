# Empty compiler generated dependencies file for ucpki_shared.
# This may be replaced when dependencies are built.
