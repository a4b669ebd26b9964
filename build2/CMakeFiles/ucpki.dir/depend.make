# Empty dependencies file for ucpki.
# This may be replaced when dependencies are built.
