# Empty dependencies file for ucpki_objs.
# This may be replaced when dependencies are built.
