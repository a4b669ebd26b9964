#!/usr/bin/env bash
# State identity: a zero-length, a foreign and a damaged ucpki.db are refused
# with exit 2 and a message naming the file (and are left as they were); a
# state made before the application id gets it on its next open; state
# backup makes a copy that opens as a state; state check passes on a sound
# state and names each injected problem.
. "$UCPKI_SRC/tests/lib.sh"
command -v sqlite3 >/dev/null || fail "sqlite3 is missing (scripts/deps.sh installs it)"

new_state
u 0 pki create acme
u 0 ca create acme/root --subject "CN=Acme Root" --key ec:p256
for i in 1 2 3; do
	u 0 issue --ca acme/root --subject "CN=leaf$i" --key ec:p256 --out-cert leaf$i.pem --out-key leaf$i.key
done
u 0 revoke --ca acme/root "$(openssl x509 -in leaf1.pem -noout -serial | cut -d= -f2)"
u 0 crl --ca acme/root --out crl.pem
assert_eq "$(sqlite3 state/ucpki.db 'PRAGMA application_id')" 1430474827 "application_id (UCPK)"
assert_eq "$(sqlite3 state/ucpki.db 'PRAGMA user_version')" 2 "schema version"
assert_eq "$(sqlite3 state/ucpki.db "SELECT count(*) FROM cert WHERE delivery LIKE 'written: %leaf%.pem, %leaf%.key'")" 3 \
	"delivered files recorded"
u 0 state check
assert_contains "$T/out" "state check: ok (1 CA, 4 certificates, 1 CRL)"
u 0 --json state check
python3 - "$T/out" <<'PY' || fail "state check --json"
import json, sys
d = json.load(open(sys.argv[1]))
assert d["ok"] is True and d["cas"] == 1 and d["certificates"] == 4 and d["crls"] == 1, d
assert d["problems"] == [], d
PY
ok "a sound state: application_id UCPK, schema 2, state check ok"

# Zero-length database: refused, never re-created.
mkdir empty && : >empty/ucpki.db
u 2 --state empty pki list
assert_contains "$T/err" "empty/ucpki.db is empty: not a ucpki state (restore a backup, or remove it to start anew)"
u 2 --state empty init
assert_contains "$T/err" "is empty: not a ucpki state"
u 2 --state empty state check
assert_eq "$(stat -c %s empty/ucpki.db)" 0 "empty database untouched"
ok "zero-length ucpki.db refused (exit 2), left empty"

# A SQLite database of another application.
mkdir foreign
sqlite3 foreign/ucpki.db "PRAGMA application_id = 1234; CREATE TABLE notes(x TEXT); INSERT INTO notes VALUES('mine');"
u 2 --state foreign pki list
assert_contains "$T/err" "foreign/ucpki.db: not a ucpki state"
u 2 --state foreign init
assert_eq "$(sqlite3 foreign/ucpki.db "SELECT group_concat(name) FROM sqlite_master WHERE type='table'")" notes \
	"no ucpki tables added to a foreign database"
assert_eq "$(sqlite3 foreign/ucpki.db 'PRAGMA journal_mode')" delete "journal mode of a foreign database untouched"
assert_eq "$(ls foreign)" ucpki.db "nothing added beside a foreign database"
mkdir foreign2
sqlite3 foreign2/ucpki.db "CREATE TABLE meta(key, value); CREATE TABLE other(y);"
u 2 --state foreign2 state check
assert_contains "$T/err" "not a ucpki state"
assert_eq "$(sqlite3 foreign2/ucpki.db "SELECT count(*) FROM sqlite_master WHERE type='table'")" 2 "foreign2 untouched"
assert_eq "$(sqlite3 foreign2/ucpki.db 'PRAGMA user_version')" 0 "foreign2 not migrated"
ok "foreign SQLite databases refused and left untouched"

# A damaged page.
cp -r state damaged
rm -f damaged/ucpki.db-wal damaged/ucpki.db-shm
pages=$(sqlite3 damaged/ucpki.db 'PRAGMA page_count')
page=$(sqlite3 damaged/ucpki.db "SELECT rootpage FROM sqlite_master WHERE name = 'cert'")
[ "$page" -gt 1 ] && [ "$page" -le "$pages" ] || fail "cert table root page $page"
head -c 4096 /dev/urandom | dd of=damaged/ucpki.db bs=4096 seek=$((page - 1)) count=1 conv=notrunc 2>/dev/null
u 2 --state damaged certs
assert_contains "$T/err" "damaged/ucpki.db: damaged: PRAGMA quick_check says"
assert_not_contains "$T/err" "not initialised"
u 2 --state damaged state check
assert_contains "$T/err" "damaged: PRAGMA"
ok "a corrupted page is refused as damaged (exit 2)"

# A state from before the application id: opened, and given the id.
mkdir old
sqlite3 old/ucpki.db <<'SQL'
CREATE TABLE meta(key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE pki(id INTEGER PRIMARY KEY, name TEXT NOT NULL UNIQUE, description TEXT NOT NULL DEFAULT '', created INTEGER NOT NULL);
CREATE TABLE ca(id INTEGER PRIMARY KEY, pki_id INTEGER NOT NULL REFERENCES pki(id), parent_id INTEGER REFERENCES ca(id), name TEXT NOT NULL, subject TEXT NOT NULL, cert BLOB NOT NULL, key_enc BLOB NOT NULL, chain BLOB, not_after INTEGER NOT NULL, crl_number INTEGER NOT NULL DEFAULT 0, created INTEGER NOT NULL, UNIQUE(pki_id, name));
CREATE TABLE cert(id INTEGER PRIMARY KEY, ca_id INTEGER NOT NULL REFERENCES ca(id), serial TEXT NOT NULL, subject TEXT NOT NULL, sans TEXT NOT NULL DEFAULT '', not_before INTEGER NOT NULL, not_after INTEGER NOT NULL, profile TEXT NOT NULL DEFAULT '', status INTEGER NOT NULL DEFAULT 0 CHECK(status IN (0, 1)), revoked_at INTEGER, reason INTEGER, der BLOB NOT NULL, created INTEGER NOT NULL, UNIQUE(ca_id, serial));
CREATE INDEX cert_not_after ON cert(not_after);
INSERT INTO pki(name, created) VALUES('legacy', 1700000000);
PRAGMA user_version = 1;
SQL
u 0 --state old pki list
assert_contains "$T/out" legacy
assert_eq "$(sqlite3 old/ucpki.db 'PRAGMA application_id')" 1430474827 "legacy state got the application id"
assert_eq "$(sqlite3 old/ucpki.db 'PRAGMA user_version')" 2 "legacy state migrated"
assert_eq "$(sqlite3 old/ucpki.db "SELECT count(*) FROM pragma_table_info('cert') WHERE name = 'delivery'")" 1 "delivery column"
ok "a state without application_id keeps working and gets the id"

# Online backup: 0600, refuses to overwrite, opens as a state.
u 0 state backup backup.db
assert_eq "$(mode_of backup.db)" 600 "backup mode"
assert_eq "$(sqlite3 backup.db 'PRAGMA application_id')" 1430474827 "backup application_id"
u 2 state backup backup.db
assert_contains "$T/err" "backup.db: already exists (give --force to replace it)"
u 0 issue --ca acme/root --subject "CN=after" --key ec:p256 --out-cert after.pem --out-key after.key
u 0 state backup backup.db --force
ls backup.db.tmp-* 2>/dev/null && fail "backup temporary left"
mkdir restored && cp backup.db restored/ucpki.db
u 0 --state restored state check
assert_contains "$T/out" "state check: ok (1 CA, 5 certificates, 1 CRL)"
u 0 --state restored certs --ca acme/root
assert_contains "$T/out" "CN=after"
u 0 --state restored crl --ca acme/root --out crl2.pem
openssl crl -in crl2.pem -noout -text >crl2.txt
assert_match crl2.txt "CRL Number: *$"
assert_eq "$(grep -A1 'CRL Number' crl2.txt | tail -1 | tr -d ' ')" 2 "restored state continues the CRL numbers"
u 2 state backup nodir/x.db
assert_contains "$T/err" "nodir/x.db"
ok "state backup: consistent 0600 copy that opens as a state"

# Injected problems are named one line each; exit 1.
cp -r state bad
serial2=$(openssl x509 -in leaf2.pem -noout -serial | cut -d= -f2)
serial3=$(openssl x509 -in leaf3.pem -noout -serial | cut -d= -f2)
sqlite3 bad/ucpki.db "INSERT INTO cert(ca_id, serial, subject, sans, not_before, not_after, profile, status, der, created, delivery)
	SELECT ca_id, lower(serial), subject, sans, not_before, not_after, profile, status, der, created, delivery
	FROM cert WHERE serial = '$serial2';
	UPDATE cert SET not_after = not_after + 60 WHERE serial = '$serial3';
	UPDATE cert SET delivery = 'pending' WHERE subject = 'CN=after';"
u 1 --state bad state check
assert_contains "$T/out" "acme/root: serial $serial2 is recorded more than once"
assert_contains "$T/out" "acme/root: certificate $serial3: the row's notAfter"
assert_contains "$T/out" "issued but never delivered"
assert_contains "$T/out" "state check: 3 problems (1 CA, 6 certificates, 1 CRL)"
u 1 --state bad --json state check
python3 - "$T/out" <<'PY' || fail "state check --json problems"
import json, sys
d = json.load(open(sys.argv[1]))
assert d["ok"] is False, d
assert sorted(p["kind"] for p in d["problems"]) == ["duplicate", "not_after", "undelivered"], d
assert d["undelivered"] == 1, d
PY
# A revocation newer than the latest CRL is fine; one older but missing is not.
cp -r state bad2
sqlite3 bad2/ucpki.db "UPDATE cert SET status = 1, revoked_at = 1, reason = 1 WHERE serial = '$serial3'"
u 1 --state bad2 state check
assert_contains "$T/out" "certificate $serial3 was revoked before the latest CRL (number 1) but is not in it"
echo wrong >wrong.pass
u 1 --state state --pass-file wrong.pass state check
assert_contains "$T/out" "wrong passphrase"
ok "state check names a duplicated serial, a row/DER mismatch, an undelivered certificate, a missing CRL entry"

done_testing
