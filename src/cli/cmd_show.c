/* ucpki show | match: the descriptions of ucpki/inspect.h as text or JSON. */
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "cli.h"
#include "ucpki/file.h"
#include "ucpki/inspect.h"

static void ext_text(const struct ucpki_ext_info *v, int n, const char *indent)
{
	for (int i = 0; i < n; i++)
		printf("%s%s%s:\n%s    %s\n", indent, v[i].name, v[i].critical ? " (critical)" : "",
		       indent, v[i].value);
}

static void cert_text(const struct ucpki_certinfo *ci)
{
	long days = (long)((ci->not_after_t - time(NULL)) / 86400);

	printf("  Subject:      %s\n  Issuer:       %s\n  Serial:       %s\n", ci->subject,
	       ci->issuer, ci->serial);
	printf("  Not before:   %s\n  Not after:    %s (%s%ld days)\n", ci->not_before,
	       ci->not_after, days < 0 ? "expired " : "in ", days < 0 ? -days : days);
	printf("  Key:          %s\n  Signature:    %s\n", ci->key_desc, ci->sig_alg);
	if (ci->sans[0])
		printf("  SAN:          %s\n", ci->sans);
	ext_text(ci->ext, ci->n_ext, "  ");
	printf("  SHA-1:        %s\n  SHA-256:      %s\n", ci->sha1, ci->sha256);
	if (ci->modulus_md5[0])
		printf("  Modulus MD5:  %s\n", ci->modulus_md5);
}

static json_t *key_report(const struct cli *c, const struct ucpki_keyinfo *k, int is_public)
{
	if (c->json) {
		json_t *o = json_object();
		json_object_set_new(o, "key", json_string(k->desc));
		if (!is_public)
			json_object_set_new(o, "encoding", json_string(ucpki_keyenc_name(k->enc)));
		json_object_set_new(o, "modulus_md5",
		                    k->modulus_md5[0] ? json_string(k->modulus_md5) : json_null());
		json_object_set_new(o, "pubkey_sha256", json_string(k->pubkey_sha256));
		json_object_set_new(o, "matches", k->matches ? json_integer(k->matches) : json_null());
		return o;
	}
	printf("  Key:          %s%s%s\n", k->desc, is_public ? "" : ", ",
	       is_public ? "" : ucpki_keyenc_name(k->enc));
	if (k->modulus_md5[0])
		printf("  Modulus MD5:  %s\n", k->modulus_md5);
	printf("  Pubkey SHA-256: %s\n", k->pubkey_sha256);
	if (k->matches)
		printf("  Matches:      certificate [%d]\n", k->matches);
	return NULL;
}

/* The extensions a CSR requests: text lines, or the JSON members
 * requested_extensions (and requested_extensions_error when they do not
 * decode). */
static void csr_request_report(json_t *o, const struct ucpki_csrinfo *ci)
{
	if (ci->req_error && o) {
		json_object_set_new(o, "requested_extensions", json_null());
		json_object_set_new(o, "requested_extensions_error", json_string(ci->req_error));
	} else if (ci->req_error) {
		printf("  Requested extensions: cannot be read (%s)\n", ci->req_error);
	} else if (o) {
		json_object_set_new(o, "requested_extensions", cli_ext_json(ci->req.ext, ci->req.n_ext));
	} else if (ci->req.n_ext == 0) {
		printf("  Requested extensions: none\n");
	} else {
		printf("  Requested extensions:\n");
		ext_text(ci->req.ext, ci->req.n_ext, "    ");
	}
}

static json_t *csr_report(const struct cli *c, const struct ucpki_csrinfo *ci)
{
	const char *subj = ci->subject ? ci->subject : "";
	json_t *o = NULL;

	if (c->json) {
		o = json_object();
		json_object_set_new(o, "subject", json_string(subj));
		json_object_set_new(o, "key", json_string(ci->key_desc));
		json_object_set_new(o, "signature_valid", json_boolean(ci->signature_valid));
	} else {
		printf("  Subject:      %s\n  Key:          %s\n  Signature:    %s\n", subj, ci->key_desc,
		       ci->signature_valid ? "valid" : "INVALID");
	}
	csr_request_report(o, ci);
	return o;
}

static json_t *crl_report(const struct cli *c, const struct ucpki_crlinfo *ci)
{
	const char *iss = ci->issuer ? ci->issuer : "";
	json_t *o, *arr;

	if (!c->json) {
		printf("  Issuer:       %s\n  This update:  %s\n  Next update:  %s\n", iss,
		       ci->this_update, ci->next_update);
		if (ci->has_number)
			printf("  CRL number:   %ld\n", ci->number);
		printf("  Revoked:      %d\n", ci->n_revoked);
		for (int i = 0; i < ci->n_revoked; i++)
			printf("    %s  %s  %s\n", ci->revoked[i].serial, ci->revoked[i].date,
			       ci->revoked[i].reason);
		return NULL;
	}
	o = json_object();
	arr = json_array();
	json_object_set_new(o, "issuer", json_string(iss));
	json_object_set_new(o, "this_update", json_string(ci->this_update));
	json_object_set_new(o, "next_update", json_string(ci->next_update));
	json_object_set_new(o, "crl_number", ci->has_number ? json_integer(ci->number) : json_null());
	for (int i = 0; i < ci->n_revoked; i++) {
		json_t *x = json_object();
		json_object_set_new(x, "serial", cli_serial_json(ci->revoked[i].serial));
		json_object_set_new(x, "date", json_string(ci->revoked[i].date));
		json_object_set_new(x, "reason", json_string(ci->revoked[i].reason));
		json_array_append_new(arr, x);
	}
	json_object_set_new(o, "revoked", arr);
	return o;
}

static json_t *obj_report(const struct cli *c, const struct ucpki_objinfo *ob)
{
	switch (ob->type) {
	case UCPKI_OBJ_CERT:
		if (c->json)
			return cli_cert_json(ob->cert, 1);
		cert_text(ob->cert);
		return NULL;
	case UCPKI_OBJ_KEY:
	case UCPKI_OBJ_PUBKEY:
		return key_report(c, &ob->key, ob->type == UCPKI_OBJ_PUBKEY);
	case UCPKI_OBJ_CSR:
		return csr_report(c, &ob->csr);
	case UCPKI_OBJ_CRL:
		return crl_report(c, &ob->crl);
	}
	return NULL;
}

struct show_args {
	const char *password_file;
};

int cmd_show(struct cli *c, int argc, char **argv)
{
	static const struct opt opts[] = {
		{"password-file", OPT_STR, offsetof(struct show_args, password_file), "FILE",
		 "password of FILE (encrypted key, PKCS#12, JKS)", OPT_ALIAS("pass-file"),
		 OPT_ENV("UCPKI_PASSWORD UCPKI_FILE_PASSWORD")},
		OPT_END,
	};
	struct show_args a = {0};
	struct ucpki_fileinfo *fi;
	char *pass = NULL, **pos;
	json_t *objs = NULL;
	int npos, done, rc;

	rc = cli_parse(c, cli_cmd("show"), opts, &a, argc, argv, &pos, &npos, 1, 1, &done);
	if (done)
		return rc;
	/* (the old --pass-file, before or after the command, is FILE's password) */
	if (cli_password_opt(c, opts, "password-file", a.password_file, &pass) != 0)
		return cli_fail(c);
	fi = ucpki_fileinfo_load(pos[0], pass, &c->err);
	ucpki_secret_free(pass);
	if (fi == NULL)
		return cli_fail(c);
	if (c->json) {
		json_object_set_new(cli_json_obj(c), "file", json_string(pos[0]));
		json_object_set_new(c->out, "format", json_string(fi->format_name));
		objs = json_array();
		json_object_set_new(c->out, "objects", objs);
	} else {
		printf("%s: %s, %d object%s\n", pos[0], fi->format_name, fi->n, fi->n == 1 ? "" : "s");
	}
	for (int i = 0; i < fi->n; i++) {
		const struct ucpki_objinfo *ob = &fi->obj[i];
		json_t *o;

		if (!c->json)
			printf("[%d] %s%s%s%s\n", i + 1, ob->type_name, ob->alias ? " (alias \"" : "",
			       ob->alias ? ob->alias : "", ob->alias ? "\")" : "");
		if ((o = obj_report(c, ob)) != NULL) {
			json_object_set_new(o, "type", json_string(ob->type_name));
			if (ob->alias)
				json_object_set_new(o, "alias", json_string(ob->alias));
			json_array_append_new(objs, o);
		}
	}
	ucpki_fileinfo_free(fi);
	cli_emit(c);
	return 0;
}

struct match_args {
	const char *key_pass_file;
};

static json_t *md5_json(const char *md5)
{
	return md5[0] ? json_string(md5) : json_null();
}

int cmd_match(struct cli *c, int argc, char **argv)
{
	static const struct opt opts[] = {
		{"password-file", OPT_STR, offsetof(struct match_args, key_pass_file), "FILE",
		 "password of an encrypted KEY", OPT_ALIAS("key-pass-file pass-file"),
		 OPT_ENV("UCPKI_PASSWORD UCPKI_FILE_PASSWORD")},
		OPT_END,
	};
	struct match_args a = {0};
	struct ucpki_matchinfo m;
	char *pass = NULL, **pos;
	int npos, done, rc;

	rc = cli_parse(c, cli_cmd("match"), opts, &a, argc, argv, &pos, &npos, 2, 2, &done);
	if (done)
		return rc;
	if (cli_password_opt(c, opts, "password-file", a.key_pass_file, &pass) != 0)
		return cli_fail(c);
	rc = ucpki_match_files(pos[0], pos[1], pass, &m, &c->err);
	ucpki_secret_free(pass);
	if (rc != 0)
		return cli_fail(c);
	if (c->json) {
		json_object_set_new(cli_json_obj(c), "match", json_boolean(m.match));
		json_object_set_new(c->out, "cert_modulus_md5", md5_json(m.cert_modulus_md5));
		json_object_set_new(c->out, "key_modulus_md5", md5_json(m.key_modulus_md5));
		json_object_set_new(c->out, "cert_pubkey_sha256", json_string(m.cert_pubkey_sha256));
		json_object_set_new(c->out, "key_pubkey_sha256", json_string(m.key_pubkey_sha256));
	} else {
		if (m.cert_modulus_md5[0])
			printf("certificate modulus MD5  %s\nkey modulus MD5          %s\n",
			       m.cert_modulus_md5, m.key_modulus_md5);
		printf("certificate pubkey SHA-256  %s\nkey pubkey SHA-256          %s\n",
		       m.cert_pubkey_sha256, m.key_pubkey_sha256);
		printf("%s\n", m.match ? "match: the key belongs to the certificate"
		                       : "NO MATCH: the key does not belong to the certificate");
	}
	cli_emit(c);
	return m.match ? 0 : 1;
}
