/*
 * ucpki convert: any input (PEM, DER, PKCS#7, PKCS#12, JKS, JCEKS) to PEM,
 * DER, PKCS#1, PKCS#8, PKCS#12, JKS or P7B; bundles in a given order. The
 * conversion is ucpki_convert_file() (ucpki/convert.h); this file reads the
 * options and passwords, writes the output and reports.
 *
 * Passwords here: --password-file (or $UCPKI_PASSWORD, old $UCPKI_IN_PASS)
 * opens the input, --new-password-file (or $UCPKI_NEW_PASSWORD, old
 * $UCPKI_OUT_PASS) protects the output. The old --pass-file keeps its meaning
 * here (the output's password, before or after the command, with a warning);
 * the state passphrase (--state-pass-file) is never used for a file.
 */
#include <stdlib.h>
#include <string.h>

#include "cmd_formats.h"
#include "ucpki/convert.h"
#include "ucpki/file.h"

struct convert_args {
	const char *to, *out, *key, *chain, *alias, *in_pass_file, *out_pass_file, *key_pass_file,
		*keypass_file, *encrypt, *order, *caname;
	int legacy, pem, force;
};

struct conv {
	struct cli *c;
	struct convert_args *a;
	enum ucpki_conv_to t;
	char *in_pass, *out_pass, *key_pass, *jks_keypass;
};

/* --- the command ------------------------------------------------------------ */

static int passwords(struct conv *v, const struct opt *opts)
{
	struct cli *c = v->c;

	if (cli_password_opt(c, opts, "password-file", v->a->in_pass_file, &v->in_pass) != 0 ||
	    cli_password_opt(c, opts, "new-password-file", v->a->out_pass_file, &v->out_pass) != 0)
		return -1;
	if (v->a->key_pass_file && cli_password(c, v->a->key_pass_file, NULL, &v->key_pass) != 0)
		return -1;
	if (v->a->keypass_file && cli_password(c, v->a->keypass_file, NULL, &v->jks_keypass) != 0)
		return -1;
	return 0;
}

static int check_usage(struct conv *v)
{
	struct cli *c = v->c;
	int store = ucpki_conv_to_is_store(v->t);

	if (store && v->out_pass == NULL)
		return cli_usage(c, "--format %s needs the output password: --new-password-file F or "
		                    "$UCPKI_NEW_PASSWORD", v->a->to);
	if ((store || v->t == UCPKI_TO_DER || (v->t == UCPKI_TO_P7B && !v->a->pem)) && v->a->out == NULL)
		return cli_usage(c, "--format %s needs --out FILE", v->a->to);
	if (v->a->encrypt && v->out_pass == NULL)
		return cli_usage(c, "--encrypt needs the output password: --new-password-file F or "
		                    "$UCPKI_NEW_PASSWORD");
	if (v->a->encrypt && strcmp(v->a->encrypt, "aes256") != 0 && strcmp(v->a->encrypt, "des3") != 0)
		return cli_usage(c, "--encrypt takes aes256 or des3, not '%s'", v->a->encrypt);
	if (v->a->legacy && v->t != UCPKI_TO_P12)
		return cli_usage(c, "--legacy applies to --format p12 only");
	if (v->a->order && store)
		return cli_usage(c, "--order applies to PEM, DER and P7B outputs");
	return 0;
}

static void conv_free(struct conv *v)
{
	ucpki_secret_free(v->in_pass);
	ucpki_secret_free(v->out_pass);
	ucpki_secret_free(v->key_pass);
	ucpki_secret_free(v->jks_keypass);
}

/* Convert, write the output, report what was written. */
static int run(struct conv *v, const char *in)
{
	struct cli *c = v->c;
	const struct convert_args *a = v->a;
	struct ucpki_convert_opts o = {
		.to = v->t,
		.password = v->in_pass,
		.key_file = a->key,
		.key_password = v->key_pass,
		.chain_files = a->chain,
		.alias = a->alias,
		.ca_names = a->caname,
		.out_password = v->out_pass,
		.out_keypass = v->jks_keypass,
		.cipher = a->encrypt,
		.order = a->order,
		.legacy = a->legacy,
		.p7b_pem = a->pem,
		.warn = &c->warn,
	};
	struct ucpki_convert_result r;
	struct ucpki_buf b = {0};
	int rc, to_file = a->out && !cli_is_stdout(a->out);

	rc = ucpki_convert_file(in, &o, &b, &r, &c->err);
	if (rc == 0)
		rc = cli_output_write(c, "--out", a->out, b.data, b.len, r.secret, a->force);
	ucpki_buf_free(&b);
	if (rc != 0)
		return -1;
	if (c->json && (r.store || to_file)) {
		json_object_set_new(cli_json_obj(c), "out", json_string(a->out));
		json_object_set_new(c->out, "format", json_string(r.store ? r.store_type : a->to));
		json_object_set_new(c->out, r.store ? "entries" : "objects", json_integer(r.count));
	} else if (!c->json && !c->quiet && to_file && r.store) {
		printf("wrote %s: %s, %d entr%s\n", a->out, r.store_type, r.count,
		       r.count == 1 ? "y" : "ies");
	} else if (!c->json && !c->quiet && to_file) {
		printf("wrote %s: %s, %d object%s\n", a->out, a->to, r.count, r.count == 1 ? "" : "s");
	}
	return 0;
}

int cmd_convert(struct cli *c, int argc, char **argv)
{
	static const struct opt opts[] = {
		{"format", OPT_STR, offsetof(struct convert_args, to), "FORMAT",
		 "output format: pem, der, pkcs1, pkcs8, p12, jks or p7b", OPT_ALIAS("to")},
		{"out", OPT_STR, offsetof(struct convert_args, out), "FILE",
		 "output file, '-' = standard output (the default of PEM outputs)"},
		OPT_FORCE(struct convert_args),
		{"key", OPT_STR, offsetof(struct convert_args, key), "FILE", "private key to add"},
		{"chain", OPT_LIST, offsetof(struct convert_args, chain), "FILE",
		 "CA certificates to add (repeatable)"},
		{"alias", OPT_STR, offsetof(struct convert_args, alias), "A",
		 "entry alias / friendly name (selects the entry when IN is a keystore)"},
		{"caname", OPT_LIST, offsetof(struct convert_args, caname), "NAME",
		 "PKCS#12 friendly names of the CA certificates, in chain order"},
		{"password-file", OPT_STR, offsetof(struct convert_args, in_pass_file), "FILE",
		 "password of IN", OPT_ALIAS("in-pass-file"), OPT_ENV("UCPKI_PASSWORD UCPKI_IN_PASS")},
		{"new-password-file", OPT_STR, offsetof(struct convert_args, out_pass_file), "FILE",
		 "password of the output: PKCS#12, JKS, encrypted key", OPT_ALIAS("pass-file"),
		 OPT_ENV("UCPKI_NEW_PASSWORD UCPKI_OUT_PASS")},
		{"key-password-file", OPT_STR, offsetof(struct convert_args, key_pass_file), "FILE",
		 "password of the --key file (default: the input password)",
		 OPT_ALIAS("key-pass-file")},
		{"new-key-password-file", OPT_STR, offsetof(struct convert_args, keypass_file), "FILE",
		 "JKS key password of the output (default: the output password)",
		 OPT_ALIAS("keypass-file")},
		{"encrypt", OPT_STR, offsetof(struct convert_args, encrypt), "CIPHER",
		 "encrypt the key: aes256 (default with a new password) or des3"},
		{"legacy", OPT_FLAG, offsetof(struct convert_args, legacy), NULL,
		 "PKCS#12 for old Java / IBM Java: 3DES keys, RC2-40 certificates, SHA-1 MAC"},
		{"order", OPT_STR, offsetof(struct convert_args, order), "LIST",
		 "bundle parts in order, e.g. cert,key,chain,root or key,cert"},
		{"pem", OPT_FLAG, offsetof(struct convert_args, pem), NULL, "P7B with PEM armour"},
		OPT_END,
	};
	struct convert_args a = {0};
	struct conv v = {0};
	char **pos;
	int npos, done, rc;

	rc = cli_parse(c, cli_cmd("convert"), opts, &a, argc, argv, &pos, &npos, 1, 1, &done);
	if (done)
		return rc;
	v.c = c;
	v.a = &a;
	if (a.to == NULL)
		return cli_usage(c, "--format FORMAT is required (pem, der, pkcs1, pkcs8, p12, jks, p7b)");
	if (ucpki_conv_to_parse(a.to, &v.t, NULL) != 0)
		return cli_usage(c, "unknown --format '%s' (pem, der, pkcs1, pkcs8, p12, jks, p7b)", a.to);
	if (passwords(&v, opts) != 0) {
		conv_free(&v);
		return cli_fail(c);
	}
	if ((rc = check_usage(&v)) != 0) {
		conv_free(&v);
		return rc;
	}
	if (cli_output_check(c, "--out", a.out, 0, a.force) != 0) {
		conv_free(&v);
		return cli_fail(c);
	}
	rc = run(&v, pos[0]);
	conv_free(&v);
	if (rc != 0)
		return cli_fail(c);
	cli_emit(c);
	return 0;
}
