
# Consider dependencies only in project.
set(CMAKE_DEPENDS_IN_PROJECT_ONLY OFF)

# The set of languages for which implicit dependencies are needed:
set(CMAKE_DEPENDS_LANGUAGES
  )

# The set of dependency files which are needed:
set(CMAKE_DEPENDS_DEPENDENCY_FILES
  "/work/main/src/lib/ca/ca.c" "CMakeFiles/ucpki_objs.dir/src/lib/ca/ca.c.o" "gcc" "CMakeFiles/ucpki_objs.dir/src/lib/ca/ca.c.o.d"
  "/work/main/src/lib/ca/check.c" "CMakeFiles/ucpki_objs.dir/src/lib/ca/check.c.o" "gcc" "CMakeFiles/ucpki_objs.dir/src/lib/ca/check.c.o.d"
  "/work/main/src/lib/ca/import.c" "CMakeFiles/ucpki_objs.dir/src/lib/ca/import.c.o" "gcc" "CMakeFiles/ucpki_objs.dir/src/lib/ca/import.c.o.d"
  "/work/main/src/lib/ca/issue.c" "CMakeFiles/ucpki_objs.dir/src/lib/ca/issue.c.o" "gcc" "CMakeFiles/ucpki_objs.dir/src/lib/ca/issue.c.o.d"
  "/work/main/src/lib/ca/list.c" "CMakeFiles/ucpki_objs.dir/src/lib/ca/list.c.o" "gcc" "CMakeFiles/ucpki_objs.dir/src/lib/ca/list.c.o.d"
  "/work/main/src/lib/ca/revoke.c" "CMakeFiles/ucpki_objs.dir/src/lib/ca/revoke.c.o" "gcc" "CMakeFiles/ucpki_objs.dir/src/lib/ca/revoke.c.o.d"
  "/work/main/src/lib/ca/state.c" "CMakeFiles/ucpki_objs.dir/src/lib/ca/state.c.o" "gcc" "CMakeFiles/ucpki_objs.dir/src/lib/ca/state.c.o.d"
  "/work/main/src/lib/convert/convert.c" "CMakeFiles/ucpki_objs.dir/src/lib/convert/convert.c.o" "gcc" "CMakeFiles/ucpki_objs.dir/src/lib/convert/convert.c.o.d"
  "/work/main/src/lib/formats/bundle.c" "CMakeFiles/ucpki_objs.dir/src/lib/formats/bundle.c.o" "gcc" "CMakeFiles/ucpki_objs.dir/src/lib/formats/bundle.c.o.d"
  "/work/main/src/lib/formats/jks.c" "CMakeFiles/ucpki_objs.dir/src/lib/formats/jks.c.o" "gcc" "CMakeFiles/ucpki_objs.dir/src/lib/formats/jks.c.o.d"
  "/work/main/src/lib/formats/ksentry.c" "CMakeFiles/ucpki_objs.dir/src/lib/formats/ksentry.c.o" "gcc" "CMakeFiles/ucpki_objs.dir/src/lib/formats/ksentry.c.o.d"
  "/work/main/src/lib/formats/load.c" "CMakeFiles/ucpki_objs.dir/src/lib/formats/load.c.o" "gcc" "CMakeFiles/ucpki_objs.dir/src/lib/formats/load.c.o.d"
  "/work/main/src/lib/formats/pack.c" "CMakeFiles/ucpki_objs.dir/src/lib/formats/pack.c.o" "gcc" "CMakeFiles/ucpki_objs.dir/src/lib/formats/pack.c.o.d"
  "/work/main/src/lib/formats/pkcs12_entries.c" "CMakeFiles/ucpki_objs.dir/src/lib/formats/pkcs12_entries.c.o" "gcc" "CMakeFiles/ucpki_objs.dir/src/lib/formats/pkcs12_entries.c.o.d"
  "/work/main/src/lib/formats/pkcs12_read.c" "CMakeFiles/ucpki_objs.dir/src/lib/formats/pkcs12_read.c.o" "gcc" "CMakeFiles/ucpki_objs.dir/src/lib/formats/pkcs12_read.c.o.d"
  "/work/main/src/lib/formats/pkcs12_write.c" "CMakeFiles/ucpki_objs.dir/src/lib/formats/pkcs12_write.c.o" "gcc" "CMakeFiles/ucpki_objs.dir/src/lib/formats/pkcs12_write.c.o.d"
  "/work/main/src/lib/formats/write.c" "CMakeFiles/ucpki_objs.dir/src/lib/formats/write.c.o" "gcc" "CMakeFiles/ucpki_objs.dir/src/lib/formats/write.c.o.d"
  "/work/main/src/lib/inspect/inspect.c" "CMakeFiles/ucpki_objs.dir/src/lib/inspect/inspect.c.o" "gcc" "CMakeFiles/ucpki_objs.dir/src/lib/inspect/inspect.c.o.d"
  "/work/main/src/lib/keystore/describe.c" "CMakeFiles/ucpki_objs.dir/src/lib/keystore/describe.c.o" "gcc" "CMakeFiles/ucpki_objs.dir/src/lib/keystore/describe.c.o.d"
  "/work/main/src/lib/keystore/edit.c" "CMakeFiles/ucpki_objs.dir/src/lib/keystore/edit.c.o" "gcc" "CMakeFiles/ucpki_objs.dir/src/lib/keystore/edit.c.o.d"
  "/work/main/src/lib/keystore/keystore.c" "CMakeFiles/ucpki_objs.dir/src/lib/keystore/keystore.c.o" "gcc" "CMakeFiles/ucpki_objs.dir/src/lib/keystore/keystore.c.o.d"
  "/work/main/src/lib/lint/check_cert.c" "CMakeFiles/ucpki_objs.dir/src/lib/lint/check_cert.c.o" "gcc" "CMakeFiles/ucpki_objs.dir/src/lib/lint/check_cert.c.o.d"
  "/work/main/src/lib/lint/check_file.c" "CMakeFiles/ucpki_objs.dir/src/lib/lint/check_file.c.o" "gcc" "CMakeFiles/ucpki_objs.dir/src/lib/lint/check_file.c.o.d"
  "/work/main/src/lib/lint/lint.c" "CMakeFiles/ucpki_objs.dir/src/lib/lint/lint.c.o" "gcc" "CMakeFiles/ucpki_objs.dir/src/lib/lint/lint.c.o.d"
  "/work/main/src/lib/lint/match.c" "CMakeFiles/ucpki_objs.dir/src/lib/lint/match.c.o" "gcc" "CMakeFiles/ucpki_objs.dir/src/lib/lint/match.c.o.d"
  "/work/main/src/lib/lint/rules.c" "CMakeFiles/ucpki_objs.dir/src/lib/lint/rules.c.o" "gcc" "CMakeFiles/ucpki_objs.dir/src/lib/lint/rules.c.o.d"
  "/work/main/src/lib/net/http.c" "CMakeFiles/ucpki_objs.dir/src/lib/net/http.c.o" "gcc" "CMakeFiles/ucpki_objs.dir/src/lib/net/http.c.o.d"
  "/work/main/src/lib/net/tcp.c" "CMakeFiles/ucpki_objs.dir/src/lib/net/tcp.c.o" "gcc" "CMakeFiles/ucpki_objs.dir/src/lib/net/tcp.c.o.d"
  "/work/main/src/lib/net/tls_client.c" "CMakeFiles/ucpki_objs.dir/src/lib/net/tls_client.c.o" "gcc" "CMakeFiles/ucpki_objs.dir/src/lib/net/tls_client.c.o.d"
  "/work/main/src/lib/net/tls_common.c" "CMakeFiles/ucpki_objs.dir/src/lib/net/tls_common.c.o" "gcc" "CMakeFiles/ucpki_objs.dir/src/lib/net/tls_common.c.o.d"
  "/work/main/src/lib/net/tls_server.c" "CMakeFiles/ucpki_objs.dir/src/lib/net/tls_server.c.o" "gcc" "CMakeFiles/ucpki_objs.dir/src/lib/net/tls_server.c.o.d"
  "/work/main/src/lib/profiles/parse.c" "CMakeFiles/ucpki_objs.dir/src/lib/profiles/parse.c.o" "gcc" "CMakeFiles/ucpki_objs.dir/src/lib/profiles/parse.c.o.d"
  "/work/main/src/lib/profiles/set.c" "CMakeFiles/ucpki_objs.dir/src/lib/profiles/set.c.o" "gcc" "CMakeFiles/ucpki_objs.dir/src/lib/profiles/set.c.o.d"
  "/work/main/src/lib/profiles/shipped.c" "CMakeFiles/ucpki_objs.dir/src/lib/profiles/shipped.c.o" "gcc" "CMakeFiles/ucpki_objs.dir/src/lib/profiles/shipped.c.o.d"
  "/work/main/src/lib/solution/arena.c" "CMakeFiles/ucpki_objs.dir/src/lib/solution/arena.c.o" "gcc" "CMakeFiles/ucpki_objs.dir/src/lib/solution/arena.c.o.d"
  "/work/main/src/lib/solution/cas.c" "CMakeFiles/ucpki_objs.dir/src/lib/solution/cas.c.o" "gcc" "CMakeFiles/ucpki_objs.dir/src/lib/solution/cas.c.o.d"
  "/work/main/src/lib/solution/checks.c" "CMakeFiles/ucpki_objs.dir/src/lib/solution/checks.c.o" "gcc" "CMakeFiles/ucpki_objs.dir/src/lib/solution/checks.c.o.d"
  "/work/main/src/lib/solution/install.c" "CMakeFiles/ucpki_objs.dir/src/lib/solution/install.c.o" "gcc" "CMakeFiles/ucpki_objs.dir/src/lib/solution/install.c.o.d"
  "/work/main/src/lib/solution/inventory.c" "CMakeFiles/ucpki_objs.dir/src/lib/solution/inventory.c.o" "gcc" "CMakeFiles/ucpki_objs.dir/src/lib/solution/inventory.c.o.d"
  "/work/main/src/lib/solution/issue.c" "CMakeFiles/ucpki_objs.dir/src/lib/solution/issue.c.o" "gcc" "CMakeFiles/ucpki_objs.dir/src/lib/solution/issue.c.o.d"
  "/work/main/src/lib/solution/lint_node.c" "CMakeFiles/ucpki_objs.dir/src/lib/solution/lint_node.c.o" "gcc" "CMakeFiles/ucpki_objs.dir/src/lib/solution/lint_node.c.o.d"
  "/work/main/src/lib/solution/manifest.c" "CMakeFiles/ucpki_objs.dir/src/lib/solution/manifest.c.o" "gcc" "CMakeFiles/ucpki_objs.dir/src/lib/solution/manifest.c.o.d"
  "/work/main/src/lib/solution/node.c" "CMakeFiles/ucpki_objs.dir/src/lib/solution/node.c.o" "gcc" "CMakeFiles/ucpki_objs.dir/src/lib/solution/node.c.o.d"
  "/work/main/src/lib/solution/package.c" "CMakeFiles/ucpki_objs.dir/src/lib/solution/package.c.o" "gcc" "CMakeFiles/ucpki_objs.dir/src/lib/solution/package.c.o.d"
  "/work/main/src/lib/solution/package_store.c" "CMakeFiles/ucpki_objs.dir/src/lib/solution/package_store.c.o" "gcc" "CMakeFiles/ucpki_objs.dir/src/lib/solution/package_store.c.o.d"
  "/work/main/src/lib/solution/probe.c" "CMakeFiles/ucpki_objs.dir/src/lib/solution/probe.c.o" "gcc" "CMakeFiles/ucpki_objs.dir/src/lib/solution/probe.c.o.d"
  "/work/main/src/lib/solution/report.c" "CMakeFiles/ucpki_objs.dir/src/lib/solution/report.c.o" "gcc" "CMakeFiles/ucpki_objs.dir/src/lib/solution/report.c.o.d"
  "/work/main/src/lib/solution/script.c" "CMakeFiles/ucpki_objs.dir/src/lib/solution/script.c.o" "gcc" "CMakeFiles/ucpki_objs.dir/src/lib/solution/script.c.o.d"
  "/work/main/src/lib/solution/stage.c" "CMakeFiles/ucpki_objs.dir/src/lib/solution/stage.c.o" "gcc" "CMakeFiles/ucpki_objs.dir/src/lib/solution/stage.c.o.d"
  "/work/main/src/lib/store/sqlite.c" "CMakeFiles/ucpki_objs.dir/src/lib/store/sqlite.c.o" "gcc" "CMakeFiles/ucpki_objs.dir/src/lib/store/sqlite.c.o.d"
  "/work/main/src/lib/store/store.c" "CMakeFiles/ucpki_objs.dir/src/lib/store/store.c.o" "gcc" "CMakeFiles/ucpki_objs.dir/src/lib/store/store.c.o.d"
  "/work/main/src/lib/util/crypto.c" "CMakeFiles/ucpki_objs.dir/src/lib/util/crypto.c.o" "gcc" "CMakeFiles/ucpki_objs.dir/src/lib/util/crypto.c.o.d"
  "/work/main/src/lib/util/err.c" "CMakeFiles/ucpki_objs.dir/src/lib/util/err.c.o" "gcc" "CMakeFiles/ucpki_objs.dir/src/lib/util/err.c.o.d"
  "/work/main/src/lib/util/file.c" "CMakeFiles/ucpki_objs.dir/src/lib/util/file.c.o" "gcc" "CMakeFiles/ucpki_objs.dir/src/lib/util/file.c.o.d"
  "/work/main/src/lib/util/lock.c" "CMakeFiles/ucpki_objs.dir/src/lib/util/lock.c.o" "gcc" "CMakeFiles/ucpki_objs.dir/src/lib/util/lock.c.o.d"
  "/work/main/src/lib/util/yaml.c" "CMakeFiles/ucpki_objs.dir/src/lib/util/yaml.c.o" "gcc" "CMakeFiles/ucpki_objs.dir/src/lib/util/yaml.c.o.d"
  "/work/main/src/lib/verify/credentials.c" "CMakeFiles/ucpki_objs.dir/src/lib/verify/credentials.c.o" "gcc" "CMakeFiles/ucpki_objs.dir/src/lib/verify/credentials.c.o.d"
  "/work/main/src/lib/verify/endpoint.c" "CMakeFiles/ucpki_objs.dir/src/lib/verify/endpoint.c.o" "gcc" "CMakeFiles/ucpki_objs.dir/src/lib/verify/endpoint.c.o.d"
  "/work/main/src/lib/verify/identity.c" "CMakeFiles/ucpki_objs.dir/src/lib/verify/identity.c.o" "gcc" "CMakeFiles/ucpki_objs.dir/src/lib/verify/identity.c.o.d"
  "/work/main/src/lib/verify/names.c" "CMakeFiles/ucpki_objs.dir/src/lib/verify/names.c.o" "gcc" "CMakeFiles/ucpki_objs.dir/src/lib/verify/names.c.o.d"
  "/work/main/src/lib/verify/path.c" "CMakeFiles/ucpki_objs.dir/src/lib/verify/path.c.o" "gcc" "CMakeFiles/ucpki_objs.dir/src/lib/verify/path.c.o.d"
  "/work/main/src/lib/verify/profile.c" "CMakeFiles/ucpki_objs.dir/src/lib/verify/profile.c.o" "gcc" "CMakeFiles/ucpki_objs.dir/src/lib/verify/profile.c.o.d"
  "/work/main/src/lib/verify/revoke.c" "CMakeFiles/ucpki_objs.dir/src/lib/verify/revoke.c.o" "gcc" "CMakeFiles/ucpki_objs.dir/src/lib/verify/revoke.c.o.d"
  "/work/main/src/lib/verify/rules.c" "CMakeFiles/ucpki_objs.dir/src/lib/verify/rules.c.o" "gcc" "CMakeFiles/ucpki_objs.dir/src/lib/verify/rules.c.o.d"
  "/work/main/src/lib/verify/suffix.c" "CMakeFiles/ucpki_objs.dir/src/lib/verify/suffix.c.o" "gcc" "CMakeFiles/ucpki_objs.dir/src/lib/verify/suffix.c.o.d"
  "/work/main/src/lib/verify/verifier.c" "CMakeFiles/ucpki_objs.dir/src/lib/verify/verifier.c.o" "gcc" "CMakeFiles/ucpki_objs.dir/src/lib/verify/verifier.c.o.d"
  "/work/main/src/lib/x509/csr.c" "CMakeFiles/ucpki_objs.dir/src/lib/x509/csr.c.o" "gcc" "CMakeFiles/ucpki_objs.dir/src/lib/x509/csr.c.o.d"
  "/work/main/src/lib/x509/dn.c" "CMakeFiles/ucpki_objs.dir/src/lib/x509/dn.c.o" "gcc" "CMakeFiles/ucpki_objs.dir/src/lib/x509/dn.c.o.d"
  "/work/main/src/lib/x509/info.c" "CMakeFiles/ucpki_objs.dir/src/lib/x509/info.c.o" "gcc" "CMakeFiles/ucpki_objs.dir/src/lib/x509/info.c.o.d"
  "/work/main/src/lib/x509/keypool.c" "CMakeFiles/ucpki_objs.dir/src/lib/x509/keypool.c.o" "gcc" "CMakeFiles/ucpki_objs.dir/src/lib/x509/keypool.c.o.d"
  "/work/main/src/lib/x509/keys.c" "CMakeFiles/ucpki_objs.dir/src/lib/x509/keys.c.o" "gcc" "CMakeFiles/ucpki_objs.dir/src/lib/x509/keys.c.o.d"
  "/work/main/src/lib/x509/names.c" "CMakeFiles/ucpki_objs.dir/src/lib/x509/names.c.o" "gcc" "CMakeFiles/ucpki_objs.dir/src/lib/x509/names.c.o.d"
  "/work/main/src/lib/x509/pubkey.c" "CMakeFiles/ucpki_objs.dir/src/lib/x509/pubkey.c.o" "gcc" "CMakeFiles/ucpki_objs.dir/src/lib/x509/pubkey.c.o.d"
  "/work/main/src/lib/x509/spec.c" "CMakeFiles/ucpki_objs.dir/src/lib/x509/spec.c.o" "gcc" "CMakeFiles/ucpki_objs.dir/src/lib/x509/spec.c.o.d"
  "/work/main/src/lib/x509/time.c" "CMakeFiles/ucpki_objs.dir/src/lib/x509/time.c.o" "gcc" "CMakeFiles/ucpki_objs.dir/src/lib/x509/time.c.o.d"
  )

# Targets to which this target links.
set(CMAKE_TARGET_LINKED_INFO_FILES
  )

# Fortran module output directory.
set(CMAKE_Fortran_TARGET_MODULE_DIR "")
