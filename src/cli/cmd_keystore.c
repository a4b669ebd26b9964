/*
 * ucpki keystore list | import-ca | import-keystore | delete | passwd | export
 *
 * keytool's operations for JKS and PKCS#12 alike. The store's password comes
 * from --password-file or $UCPKI_PASSWORD (old: --storepass-file,
 * $UCPKI_STOREPASS), an entry key's from --key-password-file or
 * $UCPKI_KEY_PASSWORD (old: --keypass-file, $UCPKI_KEYPASS; default: the store
 * password); new passwords from --new-password-file and
 * --new-key-password-file; import-keystore has --src-/--dest- variants. Nothing is assumed: keytool's
 * "changeit" works only when it is what the file or variable says. In-place
 * edits are one locked read-modify-write in the library
 * (ucpki_keystore_edit_*, waiting --lock-timeout for another writer),
 * atomic, and keep STORE.bak. Listing (ucpki_ksinfo_new) and exporting
 * (ucpki_keystore_export) are library calls too; this file parses options
 * and renders.
 */
#include <stdlib.h>
#include <string.h>

#include "cmd_formats.h"
#include "ucpki/file.h"
#include "ucpki/formats.h"
#include "ucpki/keystore.h"
#include "ucpki/x509.h"

struct ks_args {
	const char *storepass_file, *keypass_file, *alias, *file, *type, *out, *order,
		*new_pass_file, *new_keypass_file, *src, *dest, *src_pass_file, *dest_pass_file,
		*src_keypass_file, *dest_keypass_file, *src_alias, *dest_alias, *dest_type,
		*out_pass_file, *format;
	int verbose, legacy, der, pkcs1, force;
};

#define O(field) offsetof(struct ks_args, field)
#define ENV_STOREPASS "UCPKI_PASSWORD UCPKI_STOREPASS"
#define ENV_KEYPASS "UCPKI_KEY_PASSWORD UCPKI_KEYPASS"
#define OPT_STOREPASS                                                                       \
	{"password-file", OPT_STR, O(storepass_file), "FILE", "the store's password",          \
	 OPT_ALIAS("storepass-file"), OPT_ENV(ENV_STOREPASS)}
#define OPT_KEYPASS                                                                         \
	{"key-password-file", OPT_STR, O(keypass_file), "FILE",                                \
	 "the entry key's password (default: the store password)", OPT_ALIAS("keypass-file"),  \
	 OPT_ENV(ENV_KEYPASS)}
#define OPT_LEGACY {"legacy", OPT_FLAG, O(legacy), NULL, "write PKCS#12 in the legacy profile (3DES/RC2-40, SHA-1 MAC)"}

static int need(struct cli *c, const char *value, const char *what)
{
	if (value)
		return 0;
	return cli_usage(c, "%s is required", what);
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
	                     "%s: the store password is needed: --password-file F or $UCPKI_PASSWORD",
	                     store);
}

/* --- list ------------------------------------------------------------------ */

static json_t *cert_json(const struct ucpki_certinfo *ci)
{
	json_t *o = json_object();

	json_object_set_new(o, "subject", json_string(ci->subject));
	json_object_set_new(o, "issuer", json_string(ci->issuer));
	json_object_set_new(o, "serial", cli_serial_json(ci->serial));
	json_object_set_new(o, "not_before", json_string(ci->not_before));
	json_object_set_new(o, "not_after", json_string(ci->not_after));
	json_object_set_new(o, "sha1", json_string(ci->sha1));
	json_object_set_new(o, "sha256", json_string(ci->sha256));
	return o;
}

static void cert_verbose(const struct ucpki_certinfo *ci, int n)
{
	printf("Certificate[%d]:\nOwner: %s\nIssuer: %s\nSerial number: %s\n", n, ci->subject,
	       ci->issuer, ci->serial);
	printf("Valid from: %s until: %s\n", ci->not_before, ci->not_after);
	printf("Certificate fingerprints:\n\t SHA1: %s\n\t SHA256: %s\n", ci->sha1, ci->sha256);
	printf("Signature algorithm name: %s\nSubject Public Key Algorithm: %s\n", ci->sig_alg,
	       ci->key_desc);
	if (ci->sans[0])
		printf("SubjectAlternativeName: %s\n", ci->sans);
	printf("\n");
}

static json_t *entry_json(const struct ucpki_ksentry_info *en)
{
	json_t *o = json_object(), *chain = json_array();

	json_object_set_new(o, "alias", json_string(en->alias));
	json_object_set_new(o, "type", json_string(en->type_name));
	json_object_set_new(o, "created", en->date_ms > 0 ? json_string(en->created) : json_null());
	if (en->type == UCPKI_KSE_KEY)
		json_object_set_new(o, "key_unlocked", json_boolean(en->key_unlocked));
	for (int i = 0; i < en->n_certs; i++)
		json_array_append_new(chain, cert_json(en->certs[i]));
	json_object_set_new(o, "chain", chain);
	if (en->type == UCPKI_KSE_OPAQUE) {
		json_object_set_new(o, "kind", json_string(en->kind ? en->kind : "unknown"));
		json_object_set_new(o, "kept_as_stored", json_true());
	}
	return o;
}

static void entry_text(const struct ucpki_ksentry_info *en, int verbose)
{
	if (en->type == UCPKI_KSE_OPAQUE) {
		/* keytool prints no fingerprint for these either */
		printf(verbose ? "Alias name: %s\nCreation date: %s\nEntry type: %s\n" : "%s, %s, %s, \n",
		       en->alias, en->created, en->type_name);
		if (verbose)
			printf("(%s: ucpki keeps it as stored)\n"
			       "*******************************************\n\n",
			       en->kind ? en->kind : "an unknown entry");
		return;
	}
	if (!verbose) {
		printf("%s, %s, %s,\nCertificate fingerprint (SHA-256): %s\n", en->alias, en->created,
		       en->type_name, en->n_certs > 0 ? en->certs[0]->sha256 : "");
		return;
	}
	printf("Alias name: %s\nCreation date: %s\nEntry type: %s\n", en->alias, en->created,
	       en->type_name);
	if (en->type == UCPKI_KSE_KEY)
		printf("Certificate chain length: %d\n", en->n_certs);
	for (int i = 0; i < en->n_certs; i++)
		cert_verbose(en->certs[i], i + 1);
	printf("*******************************************\n\n");
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
	struct ucpki_ksinfo *ki;
	char *pass = NULL, *kpass = NULL, **pos;
	json_t *arr = NULL;
	int npos, done, rc;

	rc = cli_parse(c, cli_cmd("keystore list"), opts, &a, argc, argv, &pos, &npos, 1, 1, &done);
	if (done)
		return rc;
	if (read_pass(c, a.storepass_file, ENV_STOREPASS, &pass) != 0 ||
	    read_pass(c, a.keypass_file, ENV_KEYPASS, &kpass) != 0) {
		ucpki_secret_free(pass);
		return cli_fail(c);
	}
	ks = ucpki_keystore_load(pos[0], pass, kpass, &c->err);
	ucpki_secret_free(pass);
	ucpki_secret_free(kpass);
	if (ks == NULL)
		return cli_fail(c);
	for (int i = 0; i < ucpki_keystore_warnings(ks)->n; i++)
		ucpki_warn(&c->warn, "%s", ucpki_keystore_warnings(ks)->msg[i]);
	if (!ucpki_keystore_verified(ks))
		ucpki_warn(&c->warn, "%s: no store password given: the keystore's integrity was not checked",
		           pos[0]);
	ki = ucpki_ksinfo_new(ks, &c->err);
	ucpki_keystore_free(ks);
	if (ki == NULL)
		return cli_fail(c);
	if (c->json) {
		arr = json_array();
		json_object_set_new(cli_json_obj(c), "file", json_string(pos[0]));
		json_object_set_new(c->out, "type", json_string(ki->type_name));
		json_object_set_new(c->out, "verified", json_boolean(ki->verified));
		json_object_set_new(c->out, "entries", arr);
	} else {
		printf("Keystore type: %s\nKeystore file: %s\n\nYour keystore contains %d entr%s\n\n",
		       ki->type_name, pos[0], ki->n, ki->n == 1 ? "y" : "ies");
	}
	for (int i = 0; i < ki->n; i++)
		if (arr)
			json_array_append_new(arr, entry_json(&ki->entries[i]));
		else
			entry_text(&ki->entries[i], a.verbose);
	ucpki_ksinfo_free(ki);
	cli_emit(c);
	return 0;
}

/* --- shared: the options of an edit ------------------------------------------ */

/* Passwords, type and lock wait of an edit of STORE; the library does the
 * locked read-modify-write. */
struct edit {
	struct ucpki_ksedit_opts o;
	char *pass, *kpass;
};

static void edit_free(struct edit *ed)
{
	ucpki_secret_free(ed->pass);
	ucpki_secret_free(ed->kpass);
}

static int edit_opts(struct cli *c, struct ks_args *a, const char *store, int create,
                     const char *store_env, const char *key_env, struct edit *ed)
{
	memset(ed, 0, sizeof(*ed));
	if (cli_lock_timeout_ms(c, &ed->o.lock_timeout_ms) != 0)
		return -2;
	if (read_pass(c, a->storepass_file, store_env, &ed->pass) != 0 ||
	    read_pass(c, a->keypass_file, key_env, &ed->kpass) != 0 ||
	    need_storepass(c, ed->pass, store) != 0)
		return -1;
	if (a->type && ucpki_kstype_parse(a->type, &ed->o.type, &c->err) != 0)
		return -1;
	ed->o.storepass = ed->pass;
	ed->o.keypass = ed->kpass;
	ed->o.create = create;
	ed->o.legacy = a->legacy;
	ed->o.warn = &c->warn;
	return 0;
}

/* Exit status for a failed edit_opts(). */
static int edit_fail(struct cli *c, struct edit *ed, int rc)
{
	edit_free(ed);
	return rc == -2 ? 2 : cli_fail(c);
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
	struct ucpki_ksedit_result r;
	struct edit ed = {0};
	char **pos;
	int npos, done, rc;

	rc = cli_parse(c, cli_cmd("keystore import-ca"), opts, &a, argc, argv, &pos, &npos, 1, 1, &done);
	if (done)
		return rc;
	if (need(c, a.file, "--file CERT"))
		return 2;
	if ((rc = edit_opts(c, &a, pos[0], 1, ENV_STOREPASS, ENV_KEYPASS, &ed)) != 0)
		return edit_fail(c, &ed, rc);
	rc = ucpki_keystore_edit_import_ca_file(pos[0], &ed.o, a.file, a.alias, &r, &c->err);
	if (rc != 0)
		return edit_fail(c, &ed, -1);
	if (c->json) {
		json_object_set_new(cli_json_obj(c), "store", json_string(pos[0]));
		json_object_set_new(c->out, "imported", json_integer(r.changed));
		json_object_set_new(c->out, "entries", json_integer(r.entries));
	} else if (!c->quiet) {
		printf("%s: imported %d certificate%s (%d entries)\n", pos[0], r.changed,
		       r.changed == 1 ? "" : "s", r.entries);
	}
	edit_free(&ed);
	cli_emit(c);
	return 0;
}

/* --- import-keystore ------------------------------------------------------------ */

int cmd_keystore_import_keystore(struct cli *c, int argc, char **argv)
{
	static const struct opt opts[] = {
		{"src", OPT_STR, O(src), "FILE", "source keystore (JKS, JCEKS or PKCS#12)"},
		{"dest", OPT_STR, O(dest), "FILE", "destination keystore (created when absent)"},
		{"src-password-file", OPT_STR, O(src_pass_file), "FILE", "source store password",
		 OPT_ALIAS("src-pass-file"), OPT_ENV("UCPKI_SRC_PASSWORD UCPKI_SRC_STOREPASS")},
		{"dest-password-file", OPT_STR, O(dest_pass_file), "FILE",
		 "destination store password (its new password when it is created)",
		 OPT_ALIAS("dest-pass-file"), OPT_ENV("UCPKI_DEST_PASSWORD UCPKI_STOREPASS")},
		{"src-key-password-file", OPT_STR, O(src_keypass_file), "FILE",
		 "source key password (default: source store password)", OPT_ALIAS("src-keypass-file")},
		{"dest-key-password-file", OPT_STR, O(dest_keypass_file), "FILE",
		 "destination key password (default: destination store password)",
		 OPT_ALIAS("dest-keypass-file")},
		{"src-alias", OPT_STR, O(src_alias), "A", "import only this entry"},
		{"dest-alias", OPT_STR, O(dest_alias), "A", "its alias in the destination"},
		{"dest-type", OPT_STR, O(dest_type), "TYPE", "jks or p12 for a new destination (default from its name)"},
		OPT_LEGACY,
		OPT_END,
	};
	struct ks_args a = {0};
	struct ucpki_keystore *src = NULL;
	struct ucpki_ksedit_result r;
	struct edit ed = {0};
	struct ks_args da = {0};
	char *spass = NULL, *skpass = NULL, **pos;
	int npos, done, rc;

	rc = cli_parse(c, cli_cmd("keystore import-keystore"), opts, &a, argc, argv, &pos, &npos, 0, 0, &done);
	if (done)
		return rc;
	if (need(c, a.src, "--src FILE") || need(c, a.dest, "--dest FILE"))
		return 2;
	if (a.dest_alias && !a.src_alias)
		return cli_usage(c, "--dest-alias needs --src-alias");
	da.storepass_file = a.dest_pass_file;
	da.keypass_file = a.dest_keypass_file;
	da.type = a.dest_type;
	da.legacy = a.legacy;
	if ((rc = edit_opts(c, &da, a.dest, 1, cli_opt_env(opts, "dest-password-file"), NULL,
	                    &ed)) != 0)
		return edit_fail(c, &ed, rc);
	rc = -1;
	if (cli_password_opt(c, opts, "src-password-file", a.src_pass_file, &spass) != 0 ||
	    read_pass(c, a.src_keypass_file, NULL, &skpass) != 0 ||
	    need_storepass(c, spass, a.src) != 0)
		goto out;
	if ((src = ucpki_keystore_load(a.src, spass, skpass, &c->err)) == NULL)
		goto out;
	for (int i = 0; i < ucpki_keystore_warnings(src)->n; i++)
		ucpki_warn(&c->warn, "%s", ucpki_keystore_warnings(src)->msg[i]);
	rc = ucpki_keystore_edit_import(a.dest, &ed.o, src, a.src, a.src_alias, a.dest_alias, skpass,
	                                &r, &c->err);
out:
	ucpki_keystore_free(src);
	ucpki_secret_free(spass);
	ucpki_secret_free(skpass);
	if (rc != 0)
		return edit_fail(c, &ed, -1);
	if (c->json) {
		json_object_set_new(cli_json_obj(c), "dest", json_string(a.dest));
		json_object_set_new(c->out, "type", json_string(ucpki_kstype_name(r.type)));
		json_object_set_new(c->out, "imported", json_integer(r.changed));
	} else if (!c->quiet) {
		printf("%s: imported %d entr%s from %s (%s)\n", a.dest, r.changed,
		       r.changed == 1 ? "y" : "ies", a.src, ucpki_kstype_name(r.type));
	}
	edit_free(&ed);
	cli_emit(c);
	return 0;
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
	struct ucpki_ksedit_result r;
	struct edit ed;
	char **pos;
	int npos, done, rc;

	rc = cli_parse(c, cli_cmd("keystore delete"), opts, &a, argc, argv, &pos, &npos, 1, 1, &done);
	if (done)
		return rc;
	if (need(c, a.alias, "--alias A"))
		return 2;
	if ((rc = edit_opts(c, &a, pos[0], 0, ENV_STOREPASS, ENV_KEYPASS, &ed)) != 0)
		return edit_fail(c, &ed, rc);
	if (ucpki_keystore_edit_delete(pos[0], &ed.o, a.alias, &r, &c->err) != 0)
		return edit_fail(c, &ed, -1);
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
		{"new-password-file", OPT_STR, O(new_pass_file), "FILE", "new store password",
		 OPT_ALIAS("new-pass-file"), OPT_ENV("UCPKI_NEW_PASSWORD")},
		{"new-key-password-file", OPT_STR, O(new_keypass_file), "FILE",
		 "new JKS key password (default: the new store password)", OPT_ALIAS("new-keypass-file"),
		 OPT_ENV("UCPKI_NEW_KEY_PASSWORD")},
		OPT_LEGACY,
		OPT_END,
	};
	struct ks_args a = {0};
	struct ucpki_ksedit_result r;
	struct edit ed;
	char *npass = NULL, *nkpass = NULL, **pos;
	int npos, done, rc;

	rc = cli_parse(c, cli_cmd("keystore passwd"), opts, &a, argc, argv, &pos, &npos, 1, 1, &done);
	if (done)
		return rc;
	if (cli_password_opt(c, opts, "new-password-file", a.new_pass_file, &npass) != 0)
		return cli_fail(c);
	if (npass == NULL)
		return cli_usage(c, "--new-password-file F (or $UCPKI_NEW_PASSWORD) is required");
	if ((rc = edit_opts(c, &a, pos[0], 0, ENV_STOREPASS, ENV_KEYPASS, &ed)) != 0) {
		ucpki_secret_free(npass);
		return edit_fail(c, &ed, rc);
	}
	rc = -1;
	if (cli_password_opt(c, opts, "new-key-password-file", a.new_keypass_file, &nkpass) == 0)
		rc = ucpki_keystore_edit_passwd(pos[0], &ed.o, npass, nkpass, &r, &c->err);
	ucpki_secret_free(npass);
	ucpki_secret_free(nkpass);
	if (rc != 0)
		return edit_fail(c, &ed, -1);
	if (c->json)
		json_object_set_new(cli_json_obj(c), "store", json_string(pos[0]));
	else if (!c->quiet)
		printf("%s: password changed (previous file kept as %s.bak)\n", pos[0], pos[0]);
	edit_free(&ed);
	cli_emit(c);
	return 0;
}

/* --- export --------------------------------------------------------------------------- */

int cmd_keystore_export(struct cli *c, int argc, char **argv)
{
	static const struct opt opts[] = {
		{"alias", OPT_STR, O(alias), "A", "entry to export"},
		{"out", OPT_STR, O(out), "FILE", "output file ('-': standard output)"},
		OPT_FORCE(struct ks_args),
		{"order", OPT_STR, O(order), "LIST", "parts to write: cert (default), key, chain, root"},
		OPT_FORMAT(struct ks_args, format,
		           "pem (default) or der: the certificate's encoding (DER is keytool's default)"),
		{"pkcs1", OPT_FLAG, O(pkcs1), NULL, "write an RSA key as PKCS#1"},
		{"new-password-file", OPT_STR, O(out_pass_file), "FILE",
		 "encrypt an exported key with this password", OPT_ALIAS("out-pass-file"),
		 OPT_ENV("UCPKI_NEW_PASSWORD")},
		OPT_STOREPASS,
		OPT_KEYPASS,
		OPT_END,
	};
	struct ks_args a = {0};
	struct ucpki_keystore *ks = NULL;
	struct ucpki_ksexport_opts eo = {0};
	struct ucpki_buf buf = {0};
	char *pass = NULL, *kpass = NULL, *opass = NULL, **pos;
	int npos, done, rc, i, secret;

	rc = cli_parse(c, cli_cmd("keystore export"), opts, &a, argc, argv, &pos, &npos, 1, 1, &done);
	if (done)
		return rc;
	if (need(c, a.alias, "--alias A") || need(c, a.out, "--out FILE"))
		return 2;
	/* the target before any work: a device or an existing file is refused */
	if (cli_output_check(c, "--out", a.out, a.order && strstr(a.order, "key"), a.force) != 0)
		goto fail;
	if (cli_format_der(c, a.format, &a.der) != 0)
		return 2;
	if (read_pass(c, a.storepass_file, ENV_STOREPASS, &pass) != 0 ||
	    read_pass(c, a.keypass_file, ENV_KEYPASS, &kpass) != 0 ||
	    cli_password_opt(c, opts, "new-password-file", a.out_pass_file, &opass) != 0)
		goto fail;
	if ((ks = ucpki_keystore_load(pos[0], pass, kpass, &c->err)) == NULL)
		goto fail;
	eo.order = a.order;
	eo.der = a.der;
	eo.pkcs1 = a.pkcs1;
	eo.password = opass;
	eo.keypass = kpass;
	rc = ucpki_keystore_export(ks, pos[0], a.alias, &eo, &buf, &secret, &c->err);
	if (rc == 0)
		rc = cli_output_write(c, "--out", a.out, buf.data, buf.len, secret, a.force);
	ucpki_buf_free(&buf);
	if (rc != 0 || (i = ucpki_keystore_find(ks, a.alias)) < 0)
		goto fail;
	if (c->json) {
		json_object_set_new(cli_json_obj(c), "out", json_string(a.out));
		json_object_set_new(c->out, "alias", json_string(ucpki_keystore_entry(ks, i)->alias));
	} else if (!c->quiet && !cli_is_stdout(a.out)) {
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
