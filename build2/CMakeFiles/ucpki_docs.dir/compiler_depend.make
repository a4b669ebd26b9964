# Empty custom commands generated dependencies file for ucpki_docs.
# This may be replaced when dependencies are built.
