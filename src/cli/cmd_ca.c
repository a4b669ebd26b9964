/* ucpki ca create | import | list | export */
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "cli.h"
#include "ucpki/file.h"
#include "ucpki/formats.h"

struct ca_create_args {
	const char *subject, *key, *hash, *parent, *critical, *noncritical;
	int days, pathlen, no_2038;
};

int cmd_ca_create(struct cli *c, int argc, char **argv)
{
	static const struct opt opts[] = {
		{"subject", OPT_STR, offsetof(struct ca_create_args, subject), "DN",
		 "\"C=US, O=Acme, CN=Acme Root CA\" or \"/C=US/O=Acme/CN=...\""},
		{"key-spec", OPT_STR, offsetof(struct ca_create_args, key), "SPEC",
		 "key to generate: rsa:2048 (default), rsa:3072, rsa:4096, ec:p256, ec:p384, ed25519",
		 OPT_ALIAS("key")},
		{"days", OPT_INT, offsetof(struct ca_create_args, days), "N", "validity (default 3650)",
		 OPT_RANGE(1, 36500)},
		{"hash", OPT_STR, offsetof(struct ca_create_args, hash), "H",
		 "sha256 (default), sha384, sha512, sha1"},
		{"parent", OPT_STR, offsetof(struct ca_create_args, parent), "PKI/CA",
		 "signing CA (default: self-signed root)"},
		{"pathlen", OPT_INT, offsetof(struct ca_create_args, pathlen), "N",
		 "basicConstraints pathLenConstraint", OPT_RANGE(0, 16)},
		{"no-2038", OPT_FLAG, offsetof(struct ca_create_args, no_2038), NULL,
		 "end validity before 2038 (rule R5)"},
		{"critical", OPT_LIST, offsetof(struct ca_create_args, critical), "EXTS",
		 "mark extensions critical: bc,ku"},
		{"non-critical", OPT_LIST, offsetof(struct ca_create_args, noncritical), "EXTS",
		 "mark extensions non-critical (bc is critical by default)"},
		OPT_END,
	};
	struct ca_create_args a = {.pathlen = -1};
	struct ucpki_ca_opts o = {0};
	char **pos;
	int npos, done, rc;

	rc = cli_parse(c, cli_cmd("ca create"), opts, &a, argc, argv, &pos, &npos, 1, 1, &done);
	if (done)
		return rc;
	if (a.subject == NULL)
		return cli_usage(c, "--subject DN is required");
	o.ref = pos[0];
	o.subject = a.subject;
	o.key = a.key;
	o.hash = a.hash;
	o.parent = a.parent;
	o.days = a.days;
	o.pathlen = a.pathlen;
	o.no_2038 = a.no_2038;
	o.critical = a.critical;
	o.noncritical = a.noncritical;
	if (cli_state(c) == NULL || ucpki_ca_create(c->st, &o, &c->warn, &c->err) != 0)
		return cli_fail(c);
	if (c->json) {
		json_object_set_new(cli_json_obj(c), "ca", json_string(pos[0]));
		json_object_set_new(cli_json_obj(c), "parent", a.parent ? json_string(a.parent) : json_null());
	} else if (!c->quiet) {
		printf("created CA %s%s%s\n", pos[0], a.parent ? " under " : " (self-signed root)",
		       a.parent ? a.parent : "");
	}
	cli_emit(c);
	return 0;
}

struct ca_import_args {
	const char *p12, *p12_pass_file;
};

int cmd_ca_import(struct cli *c, int argc, char **argv)
{
	static const struct opt opts[] = {
		{"p12", OPT_STR, offsetof(struct ca_import_args, p12), "FILE",
		 "PKCS#12 with the CA certificate, its key and chain"},
		{"password-file", OPT_STR, offsetof(struct ca_import_args, p12_pass_file), "FILE",
		 "the PKCS#12 file's password", OPT_ALIAS("p12-pass-file"),
		 OPT_ENV("UCPKI_PASSWORD UCPKI_P12_PASSWORD")},
		OPT_END,
	};
	struct ca_import_args a = {0};
	unsigned char *data = NULL;
	size_t len = 0;
	char *pass = NULL, **pos;
	int npos, done, rc;

	rc = cli_parse(c, cli_cmd("ca import"), opts, &a, argc, argv, &pos, &npos, 1, 1, &done);
	if (done)
		return rc;
	if (a.p12 == NULL)
		return cli_usage(c, "--p12 FILE is required");
	if (cli_state(c) == NULL || cli_password_opt(c, opts, "password-file", a.p12_pass_file, &pass) != 0 ||
	    ucpki_file_read(a.p12, 0, &data, &len, &c->err) != 0)
		goto fail;
	rc = ucpki_ca_import_p12(c->st, pos[0], data, len, pass, a.p12, &c->warn, &c->err);
	ucpki_secure_free(data, len);
	ucpki_secret_free(pass);
	if (rc != 0)
		return cli_fail(c);
	if (c->json)
		json_object_set_new(cli_json_obj(c), "ca", json_string(pos[0]));
	else if (!c->quiet)
		printf("imported CA %s from %s\n", pos[0], a.p12);
	cli_emit(c);
	return 0;
fail:
	ucpki_secret_free(pass);
	return cli_fail(c);
}

struct ca_list_args {
	const char *pki;
};

struct ca_list_ctx {
	struct cli *c;
	const char *pki;
};

static int list_one(void *arg, const struct ucpki_ca_summary *s)
{
	struct ca_list_ctx *x = arg;
	char when[32], ref[160], parent[160], pathlen[16];

	if (x->pki && strcmp(x->pki, s->pki) != 0)
		return 0;
	ucpki_time_string(s->not_after, when, sizeof(when));
	snprintf(ref, sizeof(ref), "%s/%s", s->pki, s->name);
	snprintf(parent, sizeof(parent), "%s", s->parent[0] ? s->parent : (s->imported ? "(imported)" : "(root)"));
	snprintf(pathlen, sizeof(pathlen), "%d", s->pathlen);
	if (x->c->json) {
		json_t *o = json_object();
		json_object_set_new(o, "ca", json_string(ref));
		json_object_set_new(o, "pki", json_string(s->pki));
		json_object_set_new(o, "name", json_string(s->name));
		json_object_set_new(o, "parent", s->parent[0] ? json_string(s->parent) : json_null());
		json_object_set_new(o, "depth", json_integer(s->depth));
		json_object_set_new(o, "imported", json_boolean(s->imported));
		json_object_set_new(o, "key", json_string(s->key));
		json_object_set_new(o, "pathlen", s->pathlen >= 0 ? json_integer(s->pathlen) : json_null());
		json_object_set_new(o, "subject", json_string(s->subject));
		json_object_set_new(o, "not_after", json_string(when));
		json_array_append_new(x->c->out, o);
	} else {
		printf("%-24s %-14s %-9s %-7s %-20s %s\n", ref, parent, s->key,
		       s->pathlen >= 0 ? pathlen : "-", when, s->subject);
	}
	return 0;
}

int cmd_ca_list(struct cli *c, int argc, char **argv)
{
	static const struct opt opts[] = {
		{"pki", OPT_STR, offsetof(struct ca_list_args, pki), "NAME", "only this PKI"},
		OPT_END,
	};
	struct ca_list_args a = {0};
	struct ca_list_ctx x = {c, NULL};
	char **pos;
	int npos, done, rc;

	rc = cli_parse(c, cli_cmd("ca list"), opts, &a, argc, argv, &pos, &npos, 0, 0, &done);
	if (done)
		return rc;
	x.pki = a.pki;
	if (cli_state(c) == NULL)
		return cli_fail(c);
	if (c->json)
		c->out = json_array();
	else
		printf("%-24s %-14s %-9s %-7s %-20s %s\n", "CA", "PARENT", "KEY", "PATHLEN", "EXPIRES",
		       "SUBJECT");
	if (ucpki_ca_list(c->st, list_one, &x, &c->err) != 0)
		return cli_fail(c);
	cli_emit(c);
	return 0;
}

struct ca_export_args {
	const char *out, *format;
	int chain, der, force;
};

int cmd_ca_export(struct cli *c, int argc, char **argv)
{
	static const struct opt opts[] = {
		{"out", OPT_STR, offsetof(struct ca_export_args, out), "FILE",
		 "output file, '-' = standard output (the default)"},
		{"chain", OPT_FLAG, offsetof(struct ca_export_args, chain), NULL,
		 "the whole chain up to the root, CA first"},
		OPT_FORMAT(struct ca_export_args, format, "pem (default) or der (CA certificate only)"),
		OPT_FORCE(struct ca_export_args),
		OPT_END,
	};
	struct ca_export_args a = {0};
	struct ucpki_buf buf = {0};
	struct ucpki_ca *ca;
	char *pem = NULL, **pos;
	size_t len;
	int npos, done, rc;

	rc = cli_parse(c, cli_cmd("ca export"), opts, &a, argc, argv, &pos, &npos, 1, 1, &done);
	if (done)
		return rc;
	if (cli_format_der(c, a.format, &a.der) != 0)
		return 2;
	if (a.der && a.chain)
		return cli_usage(c, "DER holds one certificate: use --chain without --format der");
	if (cli_output_check(c, "--out", a.out, 0, a.force) != 0 || cli_state(c) == NULL ||
	    (ca = ucpki_ca_open(c->st, pos[0], &c->err)) == NULL)
		return cli_fail(c);
	if (a.der)
		rc = ucpki_write_cert(&buf, ucpki_ca_cert(ca), 1, &c->err);
	else if ((rc = ucpki_ca_export_pem(ca, a.chain, &pem, &len, &c->err)) == 0)
		rc = ucpki_buf_append(&buf, pem, len, &c->err);
	free(pem);
	ucpki_ca_free(ca);
	if (rc == 0) {
		rc = cli_output_write(c, "--out", a.out, buf.data, buf.len, 0, a.force);
	}
	ucpki_buf_free(&buf);
	if (rc != 0)
		return cli_fail(c);
	if (c->json && a.out && !cli_is_stdout(a.out))
		json_object_set_new(cli_json_obj(c), "written", json_string(a.out));
	cli_emit(c);
	return 0;
}
