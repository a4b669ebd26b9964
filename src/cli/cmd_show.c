/* ucpki show | match */
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <openssl/err.h>

#include "cli.h"
#include "ucpki/file.h"
#include "ucpki/formats.h"

static const char *obj_name(enum ucpki_obj t)
{
	switch (t) {
	case UCPKI_OBJ_CERT:
		return "certificate";
	case UCPKI_OBJ_KEY:
		return "private key";
	case UCPKI_OBJ_CSR:
		return "certificate request";
	case UCPKI_OBJ_CRL:
		return "CRL";
	case UCPKI_OBJ_PUBKEY:
		return "public key";
	}
	return "object";
}

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

static void describe_key(EVP_PKEY *k, char *desc, size_t len)
{
	struct ucpki_keyspec ks;
	char spec[32];

	if (ucpki_keyspec_of(k, &ks))
		snprintf(desc, len, "%s", ucpki_keyspec_string(&ks, spec, sizeof(spec)));
	else
		snprintf(desc, len, "%s", OBJ_nid2sn(EVP_PKEY_get_base_id(k)));
}

/* The first certificate of the pack that this key belongs to (1-based). */
static int matching_cert(const struct ucpki_pack *p, EVP_PKEY *k)
{
	for (int i = 0; i < ucpki_pack_count(p); i++) {
		X509 *x = ucpki_pack_cert_at(p, i);
		if (x && EVP_PKEY_eq(X509_get0_pubkey(x), k) == 1)
			return i + 1;
	}
	ERR_clear_error();
	return 0;
}

static json_t *key_report(struct cli *c, const struct ucpki_pack *p, int i, int is_public)
{
	EVP_PKEY *k = ucpki_pack_key_at(p, i);
	char desc[64], md5[33], sha[65];
	int m = matching_cert(p, k);

	describe_key(k, desc, sizeof(desc));
	ucpki_modulus_md5(k, md5);
	ucpki_pubkey_sha256(k, sha);
	if (c->json) {
		json_t *o = json_object();
		json_object_set_new(o, "key", json_string(desc));
		if (!is_public)
			json_object_set_new(o, "encoding", json_string(ucpki_keyenc_name(ucpki_pack_keyenc_at(p, i))));
		json_object_set_new(o, "modulus_md5", md5[0] ? json_string(md5) : json_null());
		json_object_set_new(o, "pubkey_sha256", json_string(sha));
		json_object_set_new(o, "matches", m ? json_integer(m) : json_null());
		return o;
	}
	printf("  Key:          %s%s%s\n", desc, is_public ? "" : ", ",
	       is_public ? "" : ucpki_keyenc_name(ucpki_pack_keyenc_at(p, i)));
	if (md5[0])
		printf("  Modulus MD5:  %s\n", md5);
	printf("  Pubkey SHA-256: %s\n", sha);
	if (m)
		printf("  Matches:      certificate [%d]\n", m);
	return NULL;
}

/* The extensions a CSR requests: text lines, or the JSON members
 * requested_extensions (and requested_extensions_error when they do not
 * decode). */
static void csr_request_report(json_t *o, X509_REQ *req, const char *label)
{
	struct ucpki_csr_request r;
	struct ucpki_err err = {0};

	if (ucpki_csr_request_read(req, label, &r, &err) != 0) {
		if (o) {
			json_object_set_new(o, "requested_extensions", json_null());
			json_object_set_new(o, "requested_extensions_error", json_string(err.msg));
		} else {
			printf("  Requested extensions: cannot be read (%s)\n", err.msg);
		}
		return;
	}
	if (o)
		json_object_set_new(o, "requested_extensions", cli_ext_json(r.ext, r.n_ext));
	else if (r.n_ext == 0)
		printf("  Requested extensions: none\n");
	else {
		printf("  Requested extensions:\n");
		ext_text(r.ext, r.n_ext, "    ");
	}
	ucpki_csr_request_clear(&r);
}

static json_t *csr_report(struct cli *c, X509_REQ *req, const char *label)
{
	EVP_PKEY *k = X509_REQ_get0_pubkey(req);
	char *subj = ucpki_dn_string(X509_REQ_get_subject_name(req));
	int sig_ok = k && X509_REQ_verify(req, k) == 1;
	char desc[64] = "?";
	json_t *o = NULL;

	ERR_clear_error();
	if (k)
		describe_key(k, desc, sizeof(desc));
	if (c->json) {
		o = json_object();
		json_object_set_new(o, "subject", json_string(subj ? subj : ""));
		json_object_set_new(o, "key", json_string(desc));
		json_object_set_new(o, "signature_valid", json_boolean(sig_ok));
	} else {
		printf("  Subject:      %s\n  Key:          %s\n  Signature:    %s\n", subj ? subj : "",
		       desc, sig_ok ? "valid" : "INVALID");
	}
	csr_request_report(o, req, label);
	free(subj);
	return o;
}

static json_t *crl_report(struct cli *c, X509_CRL *crl)
{
	char *iss = ucpki_dn_string(X509_CRL_get_issuer(crl));
	STACK_OF(X509_REVOKED) *rev = X509_CRL_get_REVOKED(crl);
	ASN1_INTEGER *num = X509_CRL_get_ext_d2i(crl, NID_crl_number, NULL, NULL);
	time_t lu = 0, nu = 0;
	char lus[32], nus[32];
	json_t *o = NULL, *arr = NULL;

	ucpki_asn1_time_to_t(X509_CRL_get0_lastUpdate(crl), &lu);
	ucpki_asn1_time_to_t(X509_CRL_get0_nextUpdate(crl), &nu);
	ucpki_time_string(lu, lus, sizeof(lus));
	ucpki_time_string(nu, nus, sizeof(nus));
	if (c->json) {
		o = json_object();
		arr = json_array();
		json_object_set_new(o, "issuer", json_string(iss ? iss : ""));
		json_object_set_new(o, "this_update", json_string(lus));
		json_object_set_new(o, "next_update", json_string(nus));
		json_object_set_new(o, "crl_number", num ? json_integer(ASN1_INTEGER_get(num)) : json_null());
	} else {
		printf("  Issuer:       %s\n  This update:  %s\n  Next update:  %s\n", iss ? iss : "",
		       lus, nus);
		if (num)
			printf("  CRL number:   %ld\n", ASN1_INTEGER_get(num));
		printf("  Revoked:      %d\n", sk_X509_REVOKED_num(rev));
	}
	for (int i = 0; i < sk_X509_REVOKED_num(rev); i++) {
		X509_REVOKED *r = sk_X509_REVOKED_value(rev, i);
		BIGNUM *bn = ASN1_INTEGER_to_BN(X509_REVOKED_get0_serialNumber(r), NULL);
		char *hex = bn ? BN_bn2hex(bn) : NULL;
		ASN1_ENUMERATED *re = X509_REVOKED_get_ext_d2i(r, NID_crl_reason, NULL, NULL);
		time_t when = 0;
		char ws[32];
		const char *reason = re ? ucpki_reason_name((int)ASN1_ENUMERATED_get(re)) : "unspecified";

		ucpki_asn1_time_to_t(X509_REVOKED_get0_revocationDate(r), &when);
		ucpki_time_string(when, ws, sizeof(ws));
		if (arr) {
			json_t *x = json_object();
			json_object_set_new(x, "serial", json_string(hex ? hex : "?"));
			json_object_set_new(x, "date", json_string(ws));
			json_object_set_new(x, "reason", json_string(reason));
			json_array_append_new(arr, x);
		} else {
			printf("    %s  %s  %s\n", hex ? hex : "?", ws, reason);
		}
		OPENSSL_free(hex);
		BN_free(bn);
		ASN1_ENUMERATED_free(re);
	}
	if (o)
		json_object_set_new(o, "revoked", arr);
	ASN1_INTEGER_free(num);
	free(iss);
	return o;
}

int cmd_show(struct cli *c, int argc, char **argv)
{
	static const struct opt opts[] = {OPT_END};
	struct ucpki_pack *p;
	char *pass = NULL, **pos;
	json_t *objs = NULL;
	int npos, done, rc;

	rc = cli_parse(c, cli_cmd("show"), opts, NULL, argc, argv, &pos, &npos, 1, 1, &done);
	if (done)
		return rc;
	/* Here --pass-file is the file's own password (key or PKCS#12). */
	if (cli_password(c, c->pass_file, "UCPKI_FILE_PASSWORD", &pass) != 0)
		return cli_fail(c);
	p = ucpki_pack_load(pos[0], pass, &c->err);
	ucpki_secret_free(pass);
	if (p == NULL)
		return cli_fail(c);
	if (c->json) {
		json_object_set_new(cli_json_obj(c), "file", json_string(pos[0]));
		json_object_set_new(c->out, "format", json_string(ucpki_format_name(ucpki_pack_format(p))));
		objs = json_array();
		json_object_set_new(c->out, "objects", objs);
	} else {
		printf("%s: %s, %d object%s\n", pos[0], ucpki_format_name(ucpki_pack_format(p)),
		       ucpki_pack_count(p), ucpki_pack_count(p) == 1 ? "" : "s");
	}
	for (int i = 0; i < ucpki_pack_count(p); i++) {
		enum ucpki_obj t = ucpki_pack_type(p, i);
		const char *alias = ucpki_pack_alias_at(p, i);
		json_t *o = NULL;

		if (!c->json)
			printf("[%d] %s%s%s%s\n", i + 1, obj_name(t), alias ? " (alias \"" : "",
			       alias ? alias : "", alias ? "\")" : "");
		if (t == UCPKI_OBJ_CERT) {
			struct ucpki_certinfo *ci = ucpki_certinfo_new(ucpki_pack_cert_at(p, i), &c->err);
			if (ci == NULL) {
				ucpki_pack_free(p);
				return cli_fail(c);
			}
			if (c->json)
				o = cli_cert_json(ci, 1);
			else
				cert_text(ci);
			ucpki_certinfo_free(ci);
		} else if (t == UCPKI_OBJ_KEY || t == UCPKI_OBJ_PUBKEY) {
			o = key_report(c, p, i, t == UCPKI_OBJ_PUBKEY);
		} else if (t == UCPKI_OBJ_CSR) {
			o = csr_report(c, ucpki_pack_csr_at(p, i), pos[0]);
		} else if (t == UCPKI_OBJ_CRL) {
			o = crl_report(c, ucpki_pack_crl_at(p, i));
		}
		if (o) {
			json_object_set_new(o, "type", json_string(obj_name(t)));
			if (alias)
				json_object_set_new(o, "alias", json_string(alias));
			json_array_append_new(objs, o);
		}
	}
	ucpki_pack_free(p);
	cli_emit(c);
	return 0;
}

struct match_args {
	const char *key_pass_file;
};

int cmd_match(struct cli *c, int argc, char **argv)
{
	static const struct opt opts[] = {
		{"key-pass-file", OPT_STR, offsetof(struct match_args, key_pass_file), "FILE",
		 "password of an encrypted key"},
		OPT_END,
	};
	struct match_args a = {0};
	struct ucpki_pack *cp = NULL, *kp = NULL;
	char *pass = NULL, **pos, cmd5[33], kmd5[33], csha[65], ksha[65];
	X509 *cert;
	EVP_PKEY *key;
	int npos, done, rc, match;

	rc = cli_parse(c, cli_cmd("match"), opts, &a, argc, argv, &pos, &npos, 2, 2, &done);
	if (done)
		return rc;
	if (cli_password(c, a.key_pass_file ? a.key_pass_file : c->pass_file, "UCPKI_FILE_PASSWORD",
	                 &pass) != 0)
		return cli_fail(c);
	if ((cp = ucpki_pack_load(pos[0], pass, &c->err)) == NULL ||
	    (kp = ucpki_pack_load(pos[1], pass, &c->err)) == NULL)
		goto fail;
	if ((cert = ucpki_pack_first_cert(cp)) == NULL) {
		ucpki_err_set(&c->err, UCPKI_E_INPUT, "%s: no certificate in this file", pos[0]);
		goto fail;
	}
	if ((key = ucpki_pack_first_key(kp)) == NULL) {
		ucpki_err_set(&c->err, UCPKI_E_INPUT, "%s: no private key in this file", pos[1]);
		goto fail;
	}
	match = ucpki_key_matches_cert(cert, key);
	ucpki_modulus_md5(X509_get0_pubkey(cert), cmd5);
	ucpki_modulus_md5(key, kmd5);
	ucpki_pubkey_sha256(X509_get0_pubkey(cert), csha);
	ucpki_pubkey_sha256(key, ksha);
	if (c->json) {
		json_object_set_new(cli_json_obj(c), "match", json_boolean(match));
		json_object_set_new(c->out, "cert_modulus_md5", cmd5[0] ? json_string(cmd5) : json_null());
		json_object_set_new(c->out, "key_modulus_md5", kmd5[0] ? json_string(kmd5) : json_null());
		json_object_set_new(c->out, "cert_pubkey_sha256", json_string(csha));
		json_object_set_new(c->out, "key_pubkey_sha256", json_string(ksha));
	} else {
		if (cmd5[0])
			printf("certificate modulus MD5  %s\nkey modulus MD5          %s\n", cmd5, kmd5);
		printf("certificate pubkey SHA-256  %s\nkey pubkey SHA-256          %s\n", csha, ksha);
		printf("%s\n", match ? "match: the key belongs to the certificate"
		                     : "NO MATCH: the key does not belong to the certificate");
	}
	ucpki_pack_free(cp);
	ucpki_pack_free(kp);
	ucpki_secret_free(pass);
	cli_emit(c);
	return match ? 0 : 1;
fail:
	ucpki_pack_free(cp);
	ucpki_pack_free(kp);
	ucpki_secret_free(pass);
	return cli_fail(c);
}
