file(REMOVE_RECURSE
  "libucpki.a"
)
