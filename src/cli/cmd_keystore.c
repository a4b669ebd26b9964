/*
 * ucpki keystore list | import-ca | import-keystore | delete | passwd | export
 *
 * keytool's operations for JKS and PKCS#12 alike. Store passwords come from
 * --storepass-file or $UCPKI_STOREPASS, key passwords from --keypass-file or
 * $UCPKI_KEYPASS (default: the store password). Nothing is assumed: keytool's
 * "changeit" works only when it is what the file or variable says. In-place
 * edits are atomic and keep STORE.bak.
 */
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <time.h>

#include <openssl/err.h>

#include "cmd_formats.h"
#include "ucpki/file.h"
#include "ucpki/formats.h"
#include "ucpki/keystore.h"
#include "ucpki/x509.h"

struct ks_args {
	const char *storepass_file, *keypass_file, *alias, *file, *type, *out, *order,
		*new_pass_file, *new_keypass_file, *src, *dest, *src_pass_file, *dest_pass_file,
		*src_keypass_file, *dest_keypass_file, *src_alias, *dest_alias, *dest_type,
		*out_pass_file;
	int verbose, legacy, der, pkcs1;
};

#define O(field) offsetof(struct ks_args, field)
#define OPT_STOREPASS {"storepass-file", OPT_STR, O(storepass_file), "FILE", "store password (default $UCPKI_STOREPASS)"}
#define OPT_KEYPASS {"keypass-file", OPT_STR, O(keypass_file), "FILE", "key password (default $UCPKI_KEYPASS, else the store password)"}
#define OPT_LEGACY {"legacy", OPT_FLAG, O(legacy), NULL, "write PKCS#12 in the legacy profile (3DES/RC2-40, SHA-1 MAC)"}

static int need(struct cli *c, const char *value, const char *what)
{
	if (value)
		return 0;
	return cli_usage(c, "%s is required", what);
}

/* Mode for a rewritten store: keep the file's own, else 0600 with keys and
 * 0644 for a truststore. */
static unsigned store_mode(const char *path, const struct ucpki_keystore *ks)
{
	struct stat st;

	if (stat(path, &st) == 0)
		return st.st_mode & 07777;
	for (int i = 0; i < ucpki_keystore_count(ks); i++)
		if (ucpki_keystore_entry(ks, i)->type == UCPKI_KSE_KEY)
			return 0600;
	return 0644;
}

static int read_pass(struct cli *c, const char *file, const char *env, char **out)
{
	return cli_password(c, file, env, out);
}

static int need_storepass(struct cli *c, const char *pass, const char *store)
{
	if (pass)
		return 0;
	return ucpki_err_set(&c->err, UCPKI_E_PASSWORD,
	                     "%s: the store password is needed: --storepass-file F or $UCPKI_STOREPASS",
	                     store);
}

/* --- list ------------------------------------------------------------------ */

static const char *entry_type_name(enum ucpki_kse_type t)
{
	return t == UCPKI_KSE_KEY ? "PrivateKeyEntry" : "trustedCertEntry";
}

static void date_string(int64_t ms, char *buf, size_t len)
{
	if (ms <= 0)
		snprintf(buf, len, "-");
	else
		ucpki_time_string((time_t)(ms / 1000), buf, len);
}

static json_t *cert_json(X509 *x, struct ucpki_err *e)
{
	struct ucpki_certinfo *ci = ucpki_certinfo_new(x, e);
	json_t *o;

	if (ci == NULL)
		return NULL;
	o = json_object();
	json_object_set_new(o, "subject", json_string(ci->subject));
	json_object_set_new(o, "issuer", json_string(ci->issuer));
	json_object_set_new(o, "serial", json_string(ci->serial));
	json_object_set_new(o, "not_before", json_string(ci->not_before));
	json_object_set_new(o, "not_after", json_string(ci->not_after));
	json_object_set_new(o, "sha1", json_string(ci->sha1));
	json_object_set_new(o, "sha256", json_string(ci->sha256));
	ucpki_certinfo_free(ci);
	return o;
}

static int cert_verbose(X509 *x, int n, struct ucpki_err *e)
{
	struct ucpki_certinfo *ci = ucpki_certinfo_new(x, e);

	if (ci == NULL)
		return -1;
	printf("Certificate[%d]:\nOwner: %s\nIssuer: %s\nSerial number: %s\n", n, ci->subject,
	       ci->issuer, ci->serial);
	printf("Valid from: %s until: %s\n", ci->not_before, ci->not_after);
	printf("Certificate fingerprints:\n\t SHA1: %s\n\t SHA256: %s\n", ci->sha1, ci->sha256);
	printf("Signature algorithm name: %s\nSubject Public Key Algorithm: %s\n", ci->sig_alg,
	       ci->key_desc);
	if (ci->sans[0])
		printf("SubjectAlternativeName: %s\n", ci->sans);
	printf("\n");
	ucpki_certinfo_free(ci);
	return 0;
}

static int list_entry(struct cli *c, const struct ucpki_ksentry *en, int verbose, json_t *arr)
{
	char date[40], fp[100];
	X509 *first = sk_X509_value(en->certs, 0);

	date_string(en->date_ms, date, sizeof(date));
	if (arr) {
		json_t *o = json_object(), *chain = json_array();
		json_object_set_new(o, "alias", json_string(en->alias));
		json_object_set_new(o, "type", json_string(entry_type_name(en->type)));
		json_object_set_new(o, "created", en->date_ms > 0 ? json_string(date) : json_null());
		if (en->type == UCPKI_KSE_KEY)
			json_object_set_new(o, "key_unlocked", json_boolean(en->key != NULL));
		for (int i = 0; i < sk_X509_num(en->certs); i++) {
			json_t *cj = cert_json(sk_X509_value(en->certs, i), &c->err);
			if (cj == NULL) {
				json_decref(o);
				json_decref(chain);
				return -1;
			}
			json_array_append_new(chain, cj);
		}
		json_object_set_new(o, "chain", chain);
		json_array_append_new(arr, o);
		return 0;
	}
	if (!verbose) {
		ucpki_fingerprint(first, EVP_sha256(), fp, sizeof(fp));
		printf("%s, %s, %s,\nCertificate fingerprint (SHA-256): %s\n", en->alias, date,
		       entry_type_name(en->type), fp);
		return 0;
	}
	printf("Alias name: %s\nCreation date: %s\nEntry type: %s\n", en->alias, date,
	       entry_type_name(en->type));
	if (en->type == UCPKI_KSE_KEY)
		printf("Certificate chain length: %d\n", sk_X509_num(en->certs));
	for (int i = 0; i < sk_X509_num(en->certs); i++)
		if (cert_verbose(sk_X509_value(en->certs, i), i + 1, &c->err) != 0)
			return -1;
	printf("*******************************************\n\n");
	return 0;
}

int cmd_keystore_list(struct cli *c, int argc, char **argv)
{
	static const struct opt opts[] = {
		OPT_STOREPASS,
		OPT_KEYPASS,
		{"v", OPT_FLAG, O(verbose), NULL, "verbose: every certificate of every entry"},
		OPT_END,
	};
	struct ks_args a = {0};
	struct ucpki_keystore *ks;
	char *pass = NULL, *kpass = NULL, **pos;
	json_t *arr = NULL;
	int npos, done, rc;

	rc = cli_parse(c, cli_cmd("keystore list"), opts, &a, argc, argv, &pos, &npos, 1, 1, &done);
	if (done)
		return rc;
	if (read_pass(c, a.storepass_file, "UCPKI_STOREPASS", &pass) != 0 ||
	    read_pass(c, a.keypass_file, "UCPKI_KEYPASS", &kpass) != 0) {
		ucpki_secret_free(pass);
		return cli_fail(c);
	}
	ks = ucpki_keystore_load(pos[0], pass, kpass, &c->err);
	ucpki_secret_free(pass);
	ucpki_secret_free(kpass);
	if (ks == NULL)
		return cli_fail(c);
	if (!ucpki_keystore_verified(ks))
		ucpki_warn(&c->warn, "%s: no store password given: the keystore's integrity was not checked",
		           pos[0]);
	if (c->json) {
		arr = json_array();
		json_object_set_new(cli_json_obj(c), "file", json_string(pos[0]));
		json_object_set_new(c->out, "type", json_string(ucpki_kstype_name(ucpki_keystore_type(ks))));
		json_object_set_new(c->out, "verified", json_boolean(ucpki_keystore_verified(ks)));
		json_object_set_new(c->out, "entries", arr);
	} else {
		int n = ucpki_keystore_count(ks);
		printf("Keystore type: %s\nKeystore file: %s\n\nYour keystore contains %d entr%s\n\n",
		       ucpki_kstype_name(ucpki_keystore_type(ks)), pos[0], n, n == 1 ? "y" : "ies");
	}
	for (int i = 0; i < ucpki_keystore_count(ks); i++)
		if (list_entry(c, ucpki_keystore_entry(ks, i), a.verbose, arr) != 0) {
			ucpki_keystore_free(ks);
			return cli_fail(c);
		}
	ucpki_keystore_free(ks);
	cli_emit(c);
	return 0;
}

/* --- shared: open a store for editing, save it back ------------------------- */

struct edit {
	struct ucpki_keystore *ks;
	char *pass, *kpass;
	int created;
};

static void edit_free(struct edit *ed)
{
	ucpki_keystore_free(ed->ks);
	ucpki_secret_free(ed->pass);
	ucpki_secret_free(ed->kpass);
}

/* Open STORE with its passwords, or make a new one when create is set and it
 * does not exist (type from --type or the file name). */
static int edit_open(struct cli *c, struct ks_args *a, const char *store, int create,
                     struct edit *ed)
{
	memset(ed, 0, sizeof(*ed));
	if (read_pass(c, a->storepass_file, "UCPKI_STOREPASS", &ed->pass) != 0 ||
	    read_pass(c, a->keypass_file, "UCPKI_KEYPASS", &ed->kpass) != 0 ||
	    need_storepass(c, ed->pass, store) != 0)
		return -1;
	if (create && access(store, F_OK) != 0) {
		enum ucpki_kstype t = ucpki_kstype_for_path(store);
		if (a->type && ucpki_kstype_parse(a->type, &t, &c->err) != 0)
			return -1;
		ed->created = 1;
		if ((ed->ks = ucpki_keystore_new(t)) == NULL)
			return ucpki_err_set(&c->err, UCPKI_E_INTERNAL, "out of memory");
		return 0;
	}
	if ((ed->ks = ucpki_keystore_load(store, ed->pass, ed->kpass, &c->err)) == NULL)
		return -1;
	if (a->type) {
		enum ucpki_kstype t;
		if (ucpki_kstype_parse(a->type, &t, &c->err) != 0)
			return -1;
		if (t != ucpki_keystore_type(ed->ks))
			return ucpki_err_set(&c->err, UCPKI_E_INPUT, "%s: is %s, not %s", store,
			                     ucpki_kstype_name(ucpki_keystore_type(ed->ks)),
			                     ucpki_kstype_name(t));
	}
	if (ucpki_keystore_type(ed->ks) == UCPKI_KS_JCEKS)
		return ucpki_err_set(&c->err, UCPKI_E_INPUT,
		                     "%s: JCEKS keystores are read-only here: convert it with "
		                     "'ucpki keystore import-keystore --src %s --dest NEW.jks'",
		                     store, store);
	return 0;
}

static int edit_save(struct cli *c, struct edit *ed, const char *store, const char *pass,
                     const char *kpass, int legacy)
{
	struct ucpki_p12_opts o = {.legacy = legacy};

	return ucpki_keystore_save(ed->ks, store, pass, kpass, &o, store_mode(store, ed->ks),
	                           ed->created ? 0 : UCPKI_WRITE_BACKUP, &c->err);
}

/* --- import-ca ---------------------------------------------------------------- */

int cmd_keystore_import_ca(struct cli *c, int argc, char **argv)
{
	static const struct opt opts[] = {
		{"alias", OPT_STR, O(alias), "A",
		 "alias (several certificates: A-1, A-2, ...; none: from each CN)"},
		{"file", OPT_STR, O(file), "CERT", "CA certificate(s): PEM, DER or P7B"},
		{"type", OPT_STR, O(type), "TYPE", "jks or p12 for a new STORE (default from its name)"},
		OPT_STOREPASS,
		OPT_KEYPASS,
		OPT_LEGACY,
		OPT_END,
	};
	struct ks_args a = {0};
	struct ucpki_pack *p = NULL;
	struct edit ed = {0};
	STACK_OF(X509) *certs = NULL;
	char **pos;
	int npos, done, rc, n;

	rc = cli_parse(c, cli_cmd("keystore import-ca"), opts, &a, argc, argv, &pos, &npos, 1, 1, &done);
	if (done)
		return rc;
	if (need(c, a.file, "--file CERT"))
		return 2;
	if ((p = ucpki_pack_load(a.file, NULL, &c->err)) == NULL)
		return cli_fail(c);
	certs = ucpki_pack_certs(p);
	if ((n = sk_X509_num(certs)) == 0) {
		ucpki_err_set(&c->err, UCPKI_E_INPUT, "%s: no certificate in this file", a.file);
		goto fail;
	}
	if (edit_open(c, &a, pos[0], 1, &ed) != 0)
		goto fail;
	for (int i = 0; i < n; i++) {
		X509 *x = sk_X509_value(certs, i);
		char alias[512], *owned = NULL;

		if (a.alias && n == 1)
			snprintf(alias, sizeof(alias), "%s", a.alias);
		else if (a.alias)
			snprintf(alias, sizeof(alias), "%s-%d", a.alias, i + 1);
		else if ((owned = ucpki_keystore_free_alias(ed.ks, x)) == NULL) {
			ucpki_err_set(&c->err, UCPKI_E_INTERNAL, "out of memory");
			goto fail;
		}
		rc = ucpki_keystore_add_trusted(ed.ks, owned ? owned : alias, x, &c->err);
		free(owned);
		if (rc != 0) {
			ucpki_err_prefix(&c->err, "%s: ", pos[0]);
			goto fail;
		}
	}
	if (edit_save(c, &ed, pos[0], ed.pass, ed.kpass, a.legacy) != 0)
		goto fail;
	if (c->json) {
		json_object_set_new(cli_json_obj(c), "store", json_string(pos[0]));
		json_object_set_new(c->out, "imported", json_integer(n));
		json_object_set_new(c->out, "entries", json_integer(ucpki_keystore_count(ed.ks)));
	} else if (!c->quiet) {
		printf("%s: imported %d certificate%s (%d entries)\n", pos[0], n, n == 1 ? "" : "s",
		       ucpki_keystore_count(ed.ks));
	}
	sk_X509_free(certs);
	ucpki_pack_free(p);
	edit_free(&ed);
	cli_emit(c);
	return 0;
fail:
	sk_X509_free(certs);
	ucpki_pack_free(p);
	edit_free(&ed);
	return cli_fail(c);
}

/* --- import-keystore ------------------------------------------------------------ */

int cmd_keystore_import_keystore(struct cli *c, int argc, char **argv)
{
	static const struct opt opts[] = {
		{"src", OPT_STR, O(src), "FILE", "source keystore (JKS, JCEKS or PKCS#12)"},
		{"dest", OPT_STR, O(dest), "FILE", "destination keystore (created when absent)"},
		{"src-pass-file", OPT_STR, O(src_pass_file), "FILE", "source store password (default $UCPKI_SRC_STOREPASS)"},
		{"dest-pass-file", OPT_STR, O(dest_pass_file), "FILE", "destination store password (default $UCPKI_STOREPASS)"},
		{"src-keypass-file", OPT_STR, O(src_keypass_file), "FILE", "source key password (default: source store password)"},
		{"dest-keypass-file", OPT_STR, O(dest_keypass_file), "FILE", "destination key password (default: destination store password)"},
		{"src-alias", OPT_STR, O(src_alias), "A", "import only this entry"},
		{"dest-alias", OPT_STR, O(dest_alias), "A", "its alias in the destination"},
		{"dest-type", OPT_STR, O(dest_type), "TYPE", "jks or p12 for a new destination (default from its name)"},
		OPT_LEGACY,
		OPT_END,
	};
	struct ks_args a = {0};
	struct ucpki_keystore *src = NULL;
	struct edit ed = {0};
	struct ks_args da = {0};
	char *spass = NULL, *skpass = NULL, **pos;
	int npos, done, rc, only = -1, copied = 0;

	rc = cli_parse(c, cli_cmd("keystore import-keystore"), opts, &a, argc, argv, &pos, &npos, 0, 0, &done);
	if (done)
		return rc;
	if (need(c, a.src, "--src FILE") || need(c, a.dest, "--dest FILE"))
		return 2;
	if (a.dest_alias && !a.src_alias)
		return cli_usage(c, "--dest-alias needs --src-alias");
	if (read_pass(c, a.src_pass_file, "UCPKI_SRC_STOREPASS", &spass) != 0 ||
	    read_pass(c, a.src_keypass_file, NULL, &skpass) != 0)
		goto fail;
	if (need_storepass(c, spass, a.src) != 0)
		goto fail;
	if ((src = ucpki_keystore_load(a.src, spass, skpass, &c->err)) == NULL)
		goto fail;
	if (a.src_alias && (only = ucpki_keystore_find(src, a.src_alias)) < 0) {
		ucpki_err_set(&c->err, UCPKI_E_NOTFOUND, "%s: alias '%s' does not exist", a.src,
		              a.src_alias);
		goto fail;
	}
	da.storepass_file = a.dest_pass_file;
	da.keypass_file = a.dest_keypass_file;
	da.type = a.dest_type;
	if (edit_open(c, &da, a.dest, 1, &ed) != 0)
		goto fail;
	for (int i = 0; i < ucpki_keystore_count(src); i++) {
		if (only >= 0 && i != only)
			continue;
		if (ucpki_keystore_unlock(src, i, skpass, &c->err) != 0) {
			ucpki_err_prefix(&c->err, "%s: ", a.src);
			goto fail;
		}
		if (ucpki_keystore_add_copy(ed.ks, ucpki_keystore_entry(src, i), a.dest_alias, &c->err) != 0) {
			ucpki_err_prefix(&c->err, "%s: ", a.dest);
			goto fail;
		}
		copied++;
	}
	if (edit_save(c, &ed, a.dest, ed.pass, ed.kpass, a.legacy) != 0)
		goto fail;
	if (c->json) {
		json_object_set_new(cli_json_obj(c), "dest", json_string(a.dest));
		json_object_set_new(c->out, "type", json_string(ucpki_kstype_name(ucpki_keystore_type(ed.ks))));
		json_object_set_new(c->out, "imported", json_integer(copied));
	} else if (!c->quiet) {
		printf("%s: imported %d entr%s from %s (%s)\n", a.dest, copied, copied == 1 ? "y" : "ies",
		       a.src, ucpki_kstype_name(ucpki_keystore_type(ed.ks)));
	}
	ucpki_keystore_free(src);
	ucpki_secret_free(spass);
	ucpki_secret_free(skpass);
	edit_free(&ed);
	cli_emit(c);
	return 0;
fail:
	ucpki_keystore_free(src);
	ucpki_secret_free(spass);
	ucpki_secret_free(skpass);
	edit_free(&ed);
	return cli_fail(c);
}

/* --- delete --------------------------------------------------------------------- */

int cmd_keystore_delete(struct cli *c, int argc, char **argv)
{
	static const struct opt opts[] = {
		{"alias", OPT_STR, O(alias), "A", "entry to remove"},
		OPT_STOREPASS,
		OPT_KEYPASS,
		OPT_LEGACY,
		OPT_END,
	};
	struct ks_args a = {0};
	struct edit ed;
	char **pos;
	int npos, done, rc;

	rc = cli_parse(c, cli_cmd("keystore delete"), opts, &a, argc, argv, &pos, &npos, 1, 1, &done);
	if (done)
		return rc;
	if (need(c, a.alias, "--alias A"))
		return 2;
	if (edit_open(c, &a, pos[0], 0, &ed) != 0 || ucpki_keystore_delete(ed.ks, a.alias, &c->err) != 0 ||
	    edit_save(c, &ed, pos[0], ed.pass, ed.kpass, a.legacy) != 0) {
		if (c->err.code == UCPKI_E_NOTFOUND)
			ucpki_err_prefix(&c->err, "%s: ", pos[0]);
		edit_free(&ed);
		return cli_fail(c);
	}
	if (c->json) {
		json_object_set_new(cli_json_obj(c), "store", json_string(pos[0]));
		json_object_set_new(c->out, "deleted", json_string(a.alias));
	} else if (!c->quiet) {
		printf("%s: deleted '%s' (previous file kept as %s.bak)\n", pos[0], a.alias, pos[0]);
	}
	edit_free(&ed);
	cli_emit(c);
	return 0;
}

/* --- passwd ------------------------------------------------------------------------ */

int cmd_keystore_passwd(struct cli *c, int argc, char **argv)
{
	static const struct opt opts[] = {
		OPT_STOREPASS,
		OPT_KEYPASS,
		{"new-pass-file", OPT_STR, O(new_pass_file), "FILE", "new store password"},
		{"new-keypass-file", OPT_STR, O(new_keypass_file), "FILE",
		 "new JKS key password (default: the new store password)"},
		OPT_LEGACY,
		OPT_END,
	};
	struct ks_args a = {0};
	struct edit ed;
	char *npass = NULL, *nkpass = NULL, **pos;
	int npos, done, rc;

	rc = cli_parse(c, cli_cmd("keystore passwd"), opts, &a, argc, argv, &pos, &npos, 1, 1, &done);
	if (done)
		return rc;
	if (need(c, a.new_pass_file, "--new-pass-file F"))
		return 2;
	if (edit_open(c, &a, pos[0], 0, &ed) != 0 ||
	    read_pass(c, a.new_pass_file, NULL, &npass) != 0 ||
	    read_pass(c, a.new_keypass_file, NULL, &nkpass) != 0)
		goto fail;
	/* Every key must be open to be sealed again under the new password. */
	for (int i = 0; i < ucpki_keystore_count(ed.ks); i++)
		if (ucpki_keystore_unlock(ed.ks, i, ed.kpass, &c->err) != 0) {
			ucpki_err_prefix(&c->err, "%s: ", pos[0]);
			goto fail;
		}
	if (edit_save(c, &ed, pos[0], npass, nkpass, a.legacy) != 0)
		goto fail;
	if (c->json)
		json_object_set_new(cli_json_obj(c), "store", json_string(pos[0]));
	else if (!c->quiet)
		printf("%s: password changed (previous file kept as %s.bak)\n", pos[0], pos[0]);
	ucpki_secret_free(npass);
	ucpki_secret_free(nkpass);
	edit_free(&ed);
	cli_emit(c);
	return 0;
fail:
	ucpki_secret_free(npass);
	ucpki_secret_free(nkpass);
	edit_free(&ed);
	return cli_fail(c);
}

/* --- export --------------------------------------------------------------------------- */

static int export_write(struct cli *c, struct ks_args *a, const struct ucpki_ksentry *en,
                        const char *out_pass)
{
	enum ucpki_part parts[UCPKI_PARTS_MAX];
	struct ucpki_bundle b;
	struct ucpki_buf buf = {0};
	int nparts, rc, has_key = 0;

	if ((nparts = ucpki_parts_parse(a->order ? a->order : "cert", parts, &c->err)) < 0)
		return -1;
	for (int i = 0; i < nparts; i++)
		has_key |= parts[i] == UCPKI_PART_KEY;
	if (has_key && en->type != UCPKI_KSE_KEY)
		return ucpki_err_set(&c->err, UCPKI_E_INPUT, "entry '%s' is a trusted certificate: it has no key",
		                     en->alias);
	if (ucpki_bundle_sort(&b, en->certs, has_key ? en->key : NULL, &c->err) != 0)
		return -1;
	if (a->der) {
		if (nparts != 1 || parts[0] != UCPKI_PART_CERT)
			rc = ucpki_err_set(&c->err, UCPKI_E_INPUT, "--der writes the certificate only (--order cert)");
		else
			rc = ucpki_write_cert(&buf, b.cert, 1, &c->err);
	} else {
		rc = ucpki_write_bundle(&buf, &b, parts, nparts,
		                        a->pkcs1 ? UCPKI_KEYENC_PKCS1 : UCPKI_KEYENC_PKCS8, out_pass,
		                        NULL, &c->err);
	}
	if (rc == 0)
		rc = ucpki_file_write(a->out, buf.data, buf.len, has_key ? 0600 : 0644, 0, &c->err);
	ucpki_buf_free(&buf);
	ucpki_bundle_clear(&b);
	return rc;
}

int cmd_keystore_export(struct cli *c, int argc, char **argv)
{
	static const struct opt opts[] = {
		{"alias", OPT_STR, O(alias), "A", "entry to export"},
		{"out", OPT_STR, O(out), "FILE", "output file"},
		{"order", OPT_STR, O(order), "LIST", "parts to write: cert (default), key, chain, root"},
		{"der", OPT_FLAG, O(der), NULL, "write the certificate as DER (keytool's default)"},
		{"pkcs1", OPT_FLAG, O(pkcs1), NULL, "write an RSA key as PKCS#1"},
		{"out-pass-file", OPT_STR, O(out_pass_file), "FILE", "encrypt an exported key with this password"},
		OPT_STOREPASS,
		OPT_KEYPASS,
		OPT_END,
	};
	struct ks_args a = {0};
	struct ucpki_keystore *ks = NULL;
	char *pass = NULL, *kpass = NULL, *opass = NULL, **pos;
	int npos, done, rc, i;

	rc = cli_parse(c, cli_cmd("keystore export"), opts, &a, argc, argv, &pos, &npos, 1, 1, &done);
	if (done)
		return rc;
	if (need(c, a.alias, "--alias A") || need(c, a.out, "--out FILE"))
		return 2;
	if (read_pass(c, a.storepass_file, "UCPKI_STOREPASS", &pass) != 0 ||
	    read_pass(c, a.keypass_file, "UCPKI_KEYPASS", &kpass) != 0 ||
	    read_pass(c, a.out_pass_file, NULL, &opass) != 0)
		goto fail;
	if ((ks = ucpki_keystore_load(pos[0], pass, kpass, &c->err)) == NULL)
		goto fail;
	if ((i = ucpki_keystore_find(ks, a.alias)) < 0) {
		ucpki_err_set(&c->err, UCPKI_E_NOTFOUND, "%s: alias '%s' does not exist", pos[0], a.alias);
		goto fail;
	}
	if (a.order && strstr(a.order, "key") && ucpki_keystore_unlock(ks, i, kpass, &c->err) != 0) {
		ucpki_err_prefix(&c->err, "%s: ", pos[0]);
		goto fail;
	}
	if (export_write(c, &a, ucpki_keystore_entry(ks, i), opass) != 0)
		goto fail;
	if (c->json) {
		json_object_set_new(cli_json_obj(c), "out", json_string(a.out));
		json_object_set_new(c->out, "alias", json_string(ucpki_keystore_entry(ks, i)->alias));
	} else if (!c->quiet) {
		printf("wrote %s (entry '%s')\n", a.out, ucpki_keystore_entry(ks, i)->alias);
	}
	ucpki_keystore_free(ks);
	ucpki_secret_free(pass);
	ucpki_secret_free(kpass);
	ucpki_secret_free(opass);
	cli_emit(c);
	return 0;
fail:
	ucpki_keystore_free(ks);
	ucpki_secret_free(pass);
	ucpki_secret_free(kpass);
	ucpki_secret_free(opass);
	return cli_fail(c);
}
