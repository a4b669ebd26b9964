/* ucpki issue | sign */
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "cli.h"
#include "ucpki/file.h"
#include "ucpki/formats.h"

struct issue_args {
	const char *ca, *subject, *template_dn, *cn, *san, *eku, *ku, *key, *hash, *profile;
	const char *critical, *noncritical, *csr;
	const char *out_cert, *out_key, *out_chain, *key_pass_file, *key_format, *format;
	int days, no_2038, no_cn_san, aki_keyid, force, der;
};

#define ISSUE_COMMON_OPTS                                                                      \
	{"ca", OPT_STR, offsetof(struct issue_args, ca), "PKI/CA", "issuing CA"},              \
	{"subject", OPT_STR, offsetof(struct issue_args, subject), "DN", "subject DN"},        \
	{"template", OPT_STR, offsetof(struct issue_args, template_dn), "DN",                  \
	 "subject template with CN=? (guide 3.12.1.2)"},                                       \
	{"cn", OPT_STR, offsetof(struct issue_args, cn), "VALUE", "fills CN=? of --template"}, \
	{"san", OPT_LIST, offsetof(struct issue_args, san), "LIST",                            \
	 "DNS:name,IP:addr,URI:uri,email:addr (repeatable)"},                                  \
	{"eku", OPT_LIST, offsetof(struct issue_args, eku), "LIST",                            \
	 "serverAuth,clientAuth,... (default: none, as the guide)"},                           \
	{"ku", OPT_LIST, offsetof(struct issue_args, ku), "LIST",                              \
	 "key usage (default keyEncipherment,digitalSignature,nonRepudiation; EC, Ed25519: "   \
	 "digitalSignature)"},                                                                 \
	{"hash", OPT_STR, offsetof(struct issue_args, hash), "H",                              \
	 "sha256 (default), sha384, sha512, sha1"},                                            \
	{"days", OPT_INT, offsetof(struct issue_args, days), "N", "validity (default 1825)",   \
	 OPT_RANGE(1, 36500)},                                                                  \
	{"no-2038", OPT_FLAG, offsetof(struct issue_args, no_2038), NULL,                      \
	 "end validity before 2038 (rule R5)"},                                                \
	{"profile", OPT_STR, offsetof(struct issue_args, profile), "ID",                       \
	 "certificate profile: server (default) or client"},                                   \
	{"critical", OPT_LIST, offsetof(struct issue_args, critical), "EXTS",                  \
	 "mark extensions critical: bc,ku,eku,san"},                                           \
	{"non-critical", OPT_LIST, offsetof(struct issue_args, noncritical), "EXTS",           \
	 "mark extensions non-critical"},                                                      \
	{"no-cn-san", OPT_FLAG, offsetof(struct issue_args, no_cn_san), NULL,                  \
	 "don't copy an FQDN or IP common name into the SAN"},                                 \
	{"aki-keyid-only", OPT_FLAG, offsetof(struct issue_args, aki_keyid), NULL,             \
	 "authority key identifier without issuer name and serial"},                           \
	{"out-cert", OPT_STR, offsetof(struct issue_args, out_cert), "FILE",                   \
	 "certificate ('-' = standard output)"},                                               \
	{"out-chain", OPT_STR, offsetof(struct issue_args, out_chain), "FILE",                 \
	 "issuing chain up to, not including, the root (R1)"},                                 \
	OPT_FORMAT(struct issue_args, format, "the certificate's encoding: pem (default) or der"), \
	OPT_FORCE(struct issue_args)

static int spec_from_args(struct cli *c, const struct issue_args *a,
                          struct ucpki_certspec **spec)
{
	struct ucpki_certspec_opts so = {0};

	if (a->profile && strcmp(a->profile, "server") != 0 && strcmp(a->profile, "client") != 0)
		return ucpki_err_set(&c->err, UCPKI_E_NOTFOUND,
		                     "unknown certificate profile '%s' (server or client)", a->profile);
	so.base = a->profile ? a->profile : "server";
	so.subject = a->subject;
	so.template_dn = a->template_dn;
	so.cn = a->cn;
	so.san = a->san;
	so.eku = a->eku;
	so.ku = a->ku;
	so.key = a->key;
	so.hash = a->hash;
	so.critical = a->critical;
	so.noncritical = a->noncritical;
	so.profile = a->profile;
	so.days = a->days;
	so.pathlen = -1;
	so.no_2038 = a->no_2038;
	so.no_cn_san = a->no_cn_san;
	so.aki_keyid_only = a->aki_keyid;
	*spec = ucpki_certspec_new(&so, &c->warn, &c->err);
	return *spec ? 0 : -1;
}

/* The chain a product gets with its certificate: issuing CA and the
 * intermediates above it, without the self-signed root (rule R1). When the
 * issuing CA is the root itself, the file holds the root. */
static int chain_pem(struct ucpki_ca *ca, struct ucpki_buf *b, struct ucpki_err *e)
{
	STACK_OF(X509) *chain = ucpki_ca_chain(ca);
	int n = sk_X509_num(chain);

	for (int i = 0; i < n; i++) {
		X509 *x = sk_X509_value(chain, i);
		if (i > 0 && i == n - 1 && X509_self_signed(x, 0) == 1)
			break;
		if (ucpki_write_cert(b, x, 0, e) != 0)
			return -1;
	}
	return 0;
}

/* Stage every output; nothing is visible until the outputs are committed. */
static int stage_outputs(struct cli *c, const struct issue_args *a, struct ucpki_ca *ca,
                         struct ucpki_issued *out, struct cli_outputs *fs)
{
	struct ucpki_buf cert = {0}, key = {0}, chain = {0};
	char *kpass = NULL;
	int rc = -1;

	/* Key temporaries a killed earlier run left beside the outputs. */
	ucpki_file_clean_stale(a->out_cert);
	if (a->out_key)
		ucpki_file_clean_stale(a->out_key);
	if (a->out_chain)
		ucpki_file_clean_stale(a->out_chain);

	if (ucpki_write_cert(&cert, out->cert, a->der, &c->err) != 0 ||
	    cli_outputs_add(c, fs, "--out-cert", a->out_cert, cert.data, cert.len, 0) != 0)
		goto out;
	if (out->key && a->out_key) {
		enum ucpki_keyenc enc = UCPKI_KEYENC_PKCS8;
		if (a->key_format && strcmp(a->key_format, "pkcs1") == 0)
			enc = UCPKI_KEYENC_PKCS1;
		else if (a->key_format && strcmp(a->key_format, "pkcs8") != 0) {
			ucpki_err_set(&c->err, UCPKI_E_INPUT, "--key-format must be pkcs8 or pkcs1");
			goto out;
		}
		if (cli_password(c, a->key_pass_file, "UCPKI_NEW_PASSWORD", &kpass) != 0 ||
		    ucpki_write_key(&key, out->key, enc, 0, kpass, NULL, &c->err) != 0 ||
		    cli_outputs_add(c, fs, "--out-key", a->out_key, key.data, key.len, 1) != 0)
			goto out;
	}
	if (a->out_chain && (chain_pem(ca, &chain, &c->err) != 0 ||
	                     cli_outputs_add(c, fs, "--out-chain", a->out_chain, chain.data,
	                                     chain.len, 0) != 0))
		goto out;
	rc = 0;
out:
	ucpki_secret_free(kpass);
	ucpki_buf_free(&cert);
	ucpki_buf_free(&key);
	ucpki_buf_free(&chain);
	return rc;
}

static void report(struct cli *c, const struct issue_args *a, struct ucpki_issued *out)
{
	struct ucpki_certinfo *ci = ucpki_certinfo_new(out->cert, NULL);

	if (ci == NULL)
		return;
	if (out->csr_sans && !c->quiet)
		fprintf(stderr, "ucpki: copied the CSR's requested subjectAltName: %s\n", out->csr_sans);
	if (c->json) {
		json_t *o = cli_json_obj(c), *files = json_array();
		json_object_set_new(o, "ca", json_string(a->ca));
		json_object_set_new(o, "serial", cli_serial_json(out->serial));
		json_object_set_new(o, "subject", json_string(ci->subject));
		json_object_set_new(o, "sans", cli_sans_json(ci->sans));
		json_object_set_new(o, "not_before", json_string(ci->not_before));
		json_object_set_new(o, "not_after", json_string(ci->not_after));
		json_object_set_new(o, "key", json_string(ci->key_desc));
		json_object_set_new(o, "signature", json_string(ci->sig_alg));
		json_array_append_new(files, json_string(a->out_cert));
		if (a->out_key && out->key)
			json_array_append_new(files, json_string(a->out_key));
		if (a->out_chain)
			json_array_append_new(files, json_string(a->out_chain));
		json_object_set_new(o, "files", files);
		if (out->csr_sans)
			json_object_set_new(o, "sans_from_csr", cli_sans_json(out->csr_sans));
	} else if (!c->quiet && !cli_is_stdout(a->out_cert) && !cli_is_stdout(a->out_key) &&
	           !cli_is_stdout(a->out_chain)) {
		/* (with an output on standard output, the report would corrupt it) */
		printf("issued %s\n  subject  %s\n", out->serial, ci->subject);
		if (ci->sans[0])
			printf("  SAN      %s\n", ci->sans);
		printf("  valid    %s .. %s\n  key      %s, %s\n", ci->not_before, ci->not_after,
		       ci->key_desc, ci->sig_alg);
		printf("  wrote    %s%s%s%s%s\n", a->out_cert, a->out_key && out->key ? ", " : "",
		       a->out_key && out->key ? a->out_key : "", a->out_chain ? ", " : "",
		       a->out_chain ? a->out_chain : "");
	}
	ucpki_certinfo_free(ci);
}

/* Record where the files went. The certificate is already delivered, so a
 * failure here is only a warning. */
static void delivered(struct cli *c, const struct issue_args *a, struct ucpki_ca *ca,
                      const struct ucpki_issued *out)
{
	const char *files[3] = {a->out_cert, out->key ? a->out_key : NULL, a->out_chain};
	char text[3 * 4200] = "written:", abs[PATH_MAX];
	size_t n = strlen(text);
	struct ucpki_err e = {0};

	for (int i = 0; i < 3; i++) {
		const char *f = files[i];
		if (f == NULL)
			continue;
		if (realpath(f, abs) != NULL)
			f = abs;
		if (n < sizeof(text))
			n += (size_t)snprintf(text + n, sizeof(text) - n, "%s %s", i ? "," : "", f);
	}
	if (ucpki_ca_set_delivery(ca, out->serial, text, &e) != 0)
		ucpki_warn(&c->warn, "%s: files written, but not noted in the state: %s",
		           out->serial, e.msg);
}

/* Issue (csr == NULL: new key pair) inside one transaction, write outputs,
 * then commit: a failure anywhere leaves neither a row nor a file. */
static int issue_and_write(struct cli *c, const struct issue_args *a, X509_REQ *csr)
{
	struct ucpki_certspec *spec = NULL;
	struct cli_outputs fs = {.force = a->force};
	struct ucpki_issued out = {0};
	struct ucpki_ca *ca = NULL;
	int rc = -1, in_batch = 0;

	if (cli_output_check(c, "--out-cert", a->out_cert, 0, a->force) != 0 ||
	    cli_output_check(c, "--out-key", a->out_key, 1, a->force) != 0 ||
	    cli_output_check(c, "--out-chain", a->out_chain, 0, a->force) != 0)
		goto out;
	if (spec_from_args(c, a, &spec) != 0 || cli_state(c) == NULL ||
	    (ca = ucpki_ca_open(c->st, a->ca, &c->err)) == NULL || ucpki_ca_unlock(ca, &c->err) != 0)
		goto out;
	if (ucpki_ca_batch_begin(ca, &c->err) != 0)
		goto out;
	in_batch = 1;
	if (csr ? ucpki_ca_sign_csr(ca, spec, csr, a->csr, &out, &c->warn, &c->err)
	        : ucpki_ca_issue(ca, spec, NULL, NULL, &out, &c->warn, &c->err))
		goto out;
	/* Pending until the files are in place: a process killed between the
	 * commit and the renames leaves a row 'state check' reports. */
	if (ucpki_ca_set_delivery(ca, out.serial, UCPKI_DELIVERY_PENDING, &c->err) != 0 ||
	    stage_outputs(c, a, ca, &out, &fs) != 0 || ucpki_ca_batch_commit(ca, &c->err) != 0)
		goto out;
	in_batch = 0;
	if (cli_outputs_commit(c, &fs) != 0)
		goto out;
	delivered(c, a, ca, &out);
	report(c, a, &out);
	rc = 0;
out:
	if (in_batch)
		ucpki_ca_batch_abort(ca);
	cli_outputs_clear(&fs);
	ucpki_issued_clear(&out);
	ucpki_ca_free(ca);
	ucpki_certspec_free(spec);
	return rc;
}

int cmd_issue(struct cli *c, int argc, char **argv)
{
	static const struct opt opts[] = {
		ISSUE_COMMON_OPTS,
		{"key-spec", OPT_STR, offsetof(struct issue_args, key), "SPEC",
		 "key to generate: rsa:2048 (default), rsa:1024..4096, ec:p256, ec:p384, ed25519",
		 OPT_ALIAS("key")},
		{"out-key", OPT_STR, offsetof(struct issue_args, out_key), "FILE",
		 "new private key (PEM, mode 0600; '-' = standard output, not a terminal)"},
		{"key-format", OPT_STR, offsetof(struct issue_args, key_format), "F",
		 "pkcs8 (default) or pkcs1 (BEGIN RSA PRIVATE KEY)"},
		{"new-password-file", OPT_STR, offsetof(struct issue_args, key_pass_file), "FILE",
		 "encrypt the new key (AES-256) with this password", OPT_ALIAS("key-pass-file"),
		 OPT_ENV("UCPKI_NEW_PASSWORD")},
		OPT_END,
	};
	struct issue_args a = {0};
	char **pos;
	int npos, done, rc;

	rc = cli_parse(c, cli_cmd("issue"), opts, &a, argc, argv, &pos, &npos, 0, 0, &done);
	if (done)
		return rc;
	if (cli_format_der(c, a.format, &a.der) != 0)
		return 2;
	if (a.ca == NULL || a.out_cert == NULL)
		return cli_usage(c, "--ca PKI/CA and --out-cert FILE are required");
	if (a.out_key == NULL)
		return cli_usage(c, "--out-key FILE is required: the new private key must be saved");
	if (issue_and_write(c, &a, NULL) != 0)
		return cli_fail(c);
	cli_emit(c);
	return 0;
}

int cmd_sign(struct cli *c, int argc, char **argv)
{
	static const struct opt opts[] = {
		ISSUE_COMMON_OPTS,
		{"csr", OPT_STR, offsetof(struct issue_args, csr), "FILE", "PEM or DER request"},
		OPT_END,
	};
	struct issue_args a = {0};
	struct ucpki_pack *pk;
	X509_REQ *csr;
	char **pos;
	int npos, done, rc;

	rc = cli_parse(c, cli_cmd("sign"), opts, &a, argc, argv, &pos, &npos, 0, 0, &done);
	if (done)
		return rc;
	if (cli_format_der(c, a.format, &a.der) != 0)
		return 2;
	if (a.ca == NULL || a.out_cert == NULL || a.csr == NULL)
		return cli_usage(c, "--ca PKI/CA, --csr FILE and --out-cert FILE are required");
	if ((pk = ucpki_pack_load(a.csr, NULL, &c->err)) == NULL)
		return cli_fail(c);
	if ((csr = ucpki_pack_first_csr(pk)) == NULL) {
		ucpki_err_set(&c->err, UCPKI_E_INPUT, "%s: no certificate request in this file (found %s)",
		              a.csr, ucpki_format_name(ucpki_pack_format(pk)));
		ucpki_pack_free(pk);
		return cli_fail(c);
	}
	rc = issue_and_write(c, &a, csr);
	ucpki_pack_free(pk);
	if (rc != 0)
		return cli_fail(c);
	cli_emit(c);
	return 0;
}
