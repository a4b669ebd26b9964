/* ucpki verify | probe | probe serve, and the verify group's table. */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <openssl/err.h>

#include "cli.h"
#include "ucpki/file.h"
#include "ucpki/formats.h"
#include "ucpki/net.h"
#include "ucpki/verify.h"

static int cmd_verify(struct cli *c, int argc, char **argv);
static int cmd_probe(struct cli *c, int argc, char **argv);
static int cmd_probe_serve(struct cli *c, int argc, char **argv);

const struct cmd cmds_verify[] = {
	{"verify", cmd_verify,
	 "CERT... [--chain F] --trust F [--level none|trusted|full|webpki] [--host H] [--ip A] "
	 "[--purpose server|client] [--key-usage LIST] [--max-depth N] [--crl F] [--fetch-crl] "
	 "[--ocsp URL|aia] [--at TIME] [--batch FILE]",
	 "Would a device at this level accept the certificate? Level full with --host/--ip, "
	 "else trusted; exit 1 if not."},
	{"probe", cmd_probe,
	 "HOST:PORT [--host NAME|--ip ADDRESS] [--servername H] [--trust F [--level L]] "
	 "[--cert F [--key F]] [--timeout MS] "
	 "[--save-chain F] [--save-ca F] [--force]",
	 "Connect with TLS, show the presented chain; with --trust judge it (level full)."},
	{"probe serve", cmd_probe_serve,
	 "--cert F [--key F] [--chain F] [--request-client-cert | --require-client-cert --trust F] "
	 "[--port N] [--bind ADDR] [--count N]",
	 "A TLS/MTLS test server that logs each client's handshake and certificate."},
	CMD_END,
};

/* --- Options shared by verify and probe ----------------------------------- */

/* The password of a certificate file (PKCS#12, encrypted bundle or key). */
#define ENV_FILE_PASSWORD "UCPKI_PASSWORD UCPKI_FILE_PASSWORD"

struct judge_args {
	const char *trust, *trust_pass_file, *level, *host, *ip, *purpose, *crl, *ocsp, *at;
	const char *key_usage;
	int fetch_crl, timeout, strict, max_depth;
};

#define JUDGE_OPTS(T)                                                                          \
	{"trust", OPT_LIST, offsetof(T, j.trust), "FILE",                                      \
	 "CA certificates the device has loaded (repeatable; PEM, DER, P7B, P12, JKS)"},       \
	{"trust-password-file", OPT_STR, offsetof(T, j.trust_pass_file), "FILE",               \
	 "password of a PKCS#12 / JKS trust store", OPT_ALIAS("trust-pass-file")},             \
	{"level", OPT_STR, offsetof(T, j.level), "L",                                          \
	 "none, trusted, full (guide 3.12.2.3) or webpki (full + CA/B Forum rules)"},          \
	{"strict", OPT_FLAG, offsetof(T, j.strict), NULL, "the same as --level webpki"},       \
	{"purpose", OPT_STR, offsetof(T, j.purpose), "P",                                      \
	 "also require TLS server or client use (EKU / key usage)"},                           \
	{"key-usage", OPT_STR, offsetof(T, j.key_usage), "LIST",                               \
	 "keyUsage bits the leaf must allow, e.g. digitalSignature,keyEncipherment"},          \
	{"max-depth", OPT_INT, offsetof(T, j.max_depth), "N",                                  \
	 "at most N intermediate CAs between the leaf and the trusted CA", OPT_RANGE(0, 100)}, \
	{"crl", OPT_LIST, offsetof(T, j.crl), "FILE", "CRL to check against (repeatable)"},    \
	{"fetch-crl", OPT_FLAG, offsetof(T, j.fetch_crl), NULL,                                \
	 "fetch CRLs from the certificates' distribution points"},                             \
	{"ocsp", OPT_STR, offsetof(T, j.ocsp), "URL",                                          \
	 "OCSP responder to ask about the leaf; 'aia' = the one the certificate names"},       \
	{"at", OPT_STR, offsetof(T, j.at), "TIME", "judge at this time (RFC 3339)"},           \
	{"timeout", OPT_INT, offsetof(T, j.timeout), "MS",                                     \
	 "network timeout in milliseconds (default 5000)", OPT_RANGE(1, 600000)}

/* Split an OPT_LIST value ("a,b") and call fn on each; stops at the first
 * failure. */
static int each_file(struct cli *c, const char *list, struct ucpki_verifier *v, const char *pass,
                     int (*fn)(struct cli *, struct ucpki_verifier *, const char *, const char *))
{
	char *copy, *save = NULL, *item;
	int rc = 0;

	if (list == NULL)
		return 0;
	if ((copy = strdup(list)) == NULL)
		return ucpki_err_set(&c->err, UCPKI_E_INTERNAL, "out of memory");
	for (item = strtok_r(copy, ",", &save); item && rc == 0; item = strtok_r(NULL, ",", &save))
		rc = fn(c, v, item, pass);
	free(copy);
	return rc;
}

static int add_trust(struct cli *c, struct ucpki_verifier *v, const char *path, const char *pass)
{
	return ucpki_verifier_add_trust_file(v, path, pass, &c->err);
}

static int add_crl(struct cli *c, struct ucpki_verifier *v, const char *path, const char *pass)
{
	(void)pass;
	return ucpki_verifier_add_crl_file(v, path, &c->err);
}

/* The verifier the options describe. */
static struct ucpki_verifier *make_verifier(struct cli *c, const struct judge_args *j)
{
	struct ucpki_verify_opts o = {0};
	struct ucpki_verifier *v;
	char *pass = NULL;

	if (j->at && ucpki_time_parse(j->at, &o.at, &c->err) != 0)
		return NULL;
	o.ocsp = j->ocsp;
	o.fetch_crls = j->fetch_crl;
	o.timeout_ms = j->timeout;
	if ((v = ucpki_verifier_new(&o, &c->err)) == NULL)
		return NULL;
	if (cli_password(c, j->trust_pass_file, NULL, &pass) != 0 ||
	    each_file(c, j->trust, v, pass, add_trust) != 0 || each_file(c, j->crl, v, NULL, add_crl) != 0) {
		ucpki_secret_free(pass);
		ucpki_verifier_free(v);
		return NULL;
	}
	ucpki_secret_free(pass);
	return v;
}

static int parse_level(struct cli *c, const struct judge_args *j, enum ucpki_level dflt,
                       enum ucpki_level *level, enum ucpki_purpose *purpose)
{
	*level = dflt;
	*purpose = UCPKI_PURPOSE_ANY;
	if (j->strict && j->level)
		return cli_usage(c, "--strict is --level webpki: give one of them");
	if (j->strict)
		*level = UCPKI_LEVEL_WEBPKI;
	if (j->level && ucpki_level_parse(j->level, level, &c->err) != 0)
		return -1;
	if (j->purpose && ucpki_purpose_parse(j->purpose, purpose, &c->err) != 0)
		return -1;
	return 0;
}

/* What every verification of this command asks beyond the certificate. */
static int judge_request(struct cli *c, const struct judge_args *j, enum ucpki_level level,
                         enum ucpki_purpose purpose, struct ucpki_verify_req *req)
{
	memset(req, 0, sizeof(*req));
	req->level = level;
	req->purpose = purpose;
	req->host = j->host;
	req->ip = j->ip;
	req->has_max_depth = j->max_depth != OPT_UNSET;
	req->max_depth = j->max_depth;
	if (j->key_usage && ucpki_ku_parse(j->key_usage, &req->key_usage, &c->err) != 0)
		return -1;
	return 0;
}

/* --- Rendering ------------------------------------------------------------ */

static json_t *cert_brief_json(X509 *x, int position)
{
	struct ucpki_certinfo *ci = ucpki_certinfo_new(x, NULL);
	json_t *o = ci ? cli_cert_json(ci, 0) : json_object();

	json_object_set_new(o, "position", json_integer(position));
	ucpki_certinfo_free(ci);
	return o;
}

static json_t *verdict_json(const struct ucpki_verdict *vd)
{
	json_t *o = json_object(), *checks = json_array(), *path = json_array();
	char tbuf[40];

	json_object_set_new(o, "accepted", json_boolean(vd->accepted));
	json_object_set_new(o, "level", json_string(ucpki_level_name(vd->level)));
	json_object_set_new(o, "at", json_string(ucpki_time_string(vd->at, tbuf, sizeof(tbuf))));
	if (!vd->accepted) {
		json_t *fs = json_array();
		json_object_set_new(o, "rule", json_string(vd->rule));
		json_object_set_new(o, "reason", json_string(vd->reason));
		for (int i = 0; i < vd->n_findings; i++) {
			const struct ucpki_vfinding *f = &vd->findings[i];
			json_t *x = json_object();
			json_object_set_new(x, "rule", json_string(f->rule));
			json_object_set_new(x, "check", json_string(ucpki_check_name(f->check)));
			json_object_set_new(x, "position", f->position >= 0 ? json_integer(f->position)
			                                                    : json_null());
			json_object_set_new(x, "message", json_string(f->message));
			json_array_append_new(fs, x);
		}
		json_object_set_new(o, "findings", fs);
	}
	for (int id = 0; id < UCPKI_CHECK_COUNT; id++) {
		const struct ucpki_check *k = &vd->checks[id];
		json_t *x = json_object();
		json_object_set_new(x, "check", json_string(ucpki_check_name((enum ucpki_check_id)id)));
		json_object_set_new(x, "verdict", json_string(ucpki_check_status_name(k->status)));
		json_object_set_new(x, "position", k->position >= 0 ? json_integer(k->position) : json_null());
		json_object_set_new(x, "detail", json_string(k->detail));
		if (k->status == UCPKI_CHECK_FAIL && k->rule)
			json_object_set_new(x, "rule", json_string(k->rule));
		json_array_append_new(checks, x);
	}
	json_object_set_new(o, "checks", checks);
	for (int i = 0; i < sk_X509_num(vd->path); i++) {
		json_t *x = cert_brief_json(sk_X509_value(vd->path, i), i);
		json_object_set_new(x, "trusted", json_boolean(vd->anchored && i == sk_X509_num(vd->path) - 1));
		json_array_append_new(path, x);
	}
	json_object_set_new(o, "path", path);
	return o;
}

/* presented (probe only): the presented position of each path entry, -1
 * for one from the trust store; NULL for files. */
static void verdict_text(FILE *f, const char *label, const struct ucpki_verdict *vd, int quiet,
                         const int *presented)
{
	int n = sk_X509_num(vd->path);

	if (vd->accepted)
		fprintf(f, "%s: accepted at level %s\n", label, ucpki_level_name(vd->level));
	else
		fprintf(f, "%s: REJECTED at level %s: %s\n", label, ucpki_level_name(vd->level), vd->reason);
	if (quiet)
		return;
	fprintf(f, "  path       ");
	for (int i = 0; i < n; i++) {
		char *s = ucpki_dn_string(X509_get_subject_name(sk_X509_value(vd->path, i)));
		int p = presented && i < UCPKI_ENDPOINT_PATH_MAX ? presented[i] : i;
		fprintf(f, "%s[%d] %s%s", i ? " <- " : "", i, s ? s : "?",
		        vd->anchored && i == n - 1 ? " (trusted)" : "");
		if (presented && p != i)
			fprintf(f, p < 0 ? " (from the trust store)" : " (presented [%d])", p);
		free(s);
	}
	fprintf(f, "\n");
	for (int id = 0; id < UCPKI_CHECK_COUNT; id++)
		fprintf(f, "  %-10s %-4s %s\n", ucpki_check_name((enum ucpki_check_id)id),
		        ucpki_check_status_name(vd->checks[id].status), vd->checks[id].detail);
	if (vd->n_findings > 1) {
		fprintf(f, "  every rule that failed:\n");
		for (int i = 0; i < vd->n_findings; i++) {
			const struct ucpki_vfinding *k = &vd->findings[i];
			if (k->position >= 0)
				fprintf(f, "    %-30s [%d] %s\n", k->rule, k->position, k->message);
			else
				fprintf(f, "    %-30s %s\n", k->rule, k->message);
		}
	}
}

/* --- ucpki verify ----------------------------------------------------------- */

struct verify_args {
	struct judge_args j;
	const char *chain, *cert_pass_file, *from, *batch;
	int rules;
};

/* The levels a rule applies at, "trusted,full,webpki". */
static const char *rule_levels(const struct ucpki_verify_rule *r, char *buf, size_t len)
{
	size_t used = 0;

	buf[0] = '\0';
	for (int l = UCPKI_LEVEL_TRUSTED; l <= UCPKI_LEVEL_WEBPKI; l++)
		if (r->levels & (1u << l))
			used += (size_t)snprintf(buf + used, used < len ? len - used : 0, "%s%s",
			                         used ? "," : "", ucpki_level_name((enum ucpki_level)l));
	return buf;
}

static int list_rules(struct cli *c)
{
	const struct ucpki_verify_rule *r;
	json_t *arr = json_array();
	char lv[64];

	for (int i = 0; (r = ucpki_verify_rule_at(i)) != NULL; i++) {
		rule_levels(r, lv, sizeof(lv));
		if (c->json) {
			json_t *o = json_object();
			json_object_set_new(o, "rule", json_string(r->id));
			json_object_set_new(o, "check", json_string(ucpki_check_name(r->check)));
			json_object_set_new(o, "levels", cli_list_json(lv));
			json_object_set_new(o, "source", json_string(r->source));
			json_object_set_new(o, "summary", json_string(r->summary));
			json_array_append_new(arr, o);
		} else {
			printf("%-34s %-20s %s\n%34s %s\n", r->id, lv, r->source, "", r->summary);
		}
	}
	if (c->json)
		json_object_set_new(cli_json_obj(c), "rules", arr);
	else
		json_decref(arr);
	cli_emit(c);
	return 0;
}

struct subject {
	const char *label;
	X509 *leaf;
	STACK_OF(X509) *untrusted;
};

/* CERT arguments plus the lines of --from FILE. */
static int collect_paths(struct cli *c, const struct verify_args *a, char **pos, int npos,
                         char ***paths, int *n, char **buf)
{
	size_t len = 0;
	int cap = npos + 16, k = 0;
	char **out = malloc((size_t)cap * sizeof(*out));

	*buf = NULL;
	if (out == NULL)
		return ucpki_err_set(&c->err, UCPKI_E_INTERNAL, "out of memory");
	for (int i = 0; i < npos; i++)
		out[k++] = pos[i];
	if (a->from) {
		unsigned char *data;
		if (ucpki_file_read(a->from, 0, &data, &len, &c->err) != 0) {
			free(out);
			return -1;
		}
		*buf = (char *)data;
		for (char *save = NULL, *line = strtok_r(*buf, "\r\n", &save); line;
		     line = strtok_r(NULL, "\r\n", &save)) {
			if (k == cap) {
				char **nb = realloc(out, (size_t)(cap *= 2) * sizeof(*out));
				if (nb == NULL) {
					free(out);
					return ucpki_err_set(&c->err, UCPKI_E_INTERNAL, "out of memory");
				}
				out = nb;
			}
			out[k++] = line;
		}
	}
	if (k == 0) {
		free(out);
		return ucpki_err_set(&c->err, UCPKI_E_INPUT, "no certificate given (CERT... or --from FILE)");
	}
	*paths = out;
	*n = k;
	return 0;
}

/* Every certificate of the --chain files (comma list) onto untrusted. */
static int load_chain_list(struct cli *c, const char *list, const char *pass,
                           STACK_OF(X509) *untrusted)
{
	char *copy = strdup(list), *save = NULL;
	int rc = copy ? 0 : ucpki_err_set(&c->err, UCPKI_E_INTERNAL, "out of memory");

	for (char *f = copy ? strtok_r(copy, ",", &save) : NULL; f && rc == 0;
	     f = strtok_r(NULL, ",", &save))
		rc = ucpki_verify_load_chain(f, pass, untrusted, &c->err);
	free(copy);
	return rc;
}

static void subjects_free(struct subject *s, int n)
{
	for (int i = 0; s && i < n; i++) {
		X509_free(s[i].leaf);
		sk_X509_pop_free(s[i].untrusted, X509_free);
	}
	free(s);
}

/* Load every certificate before judging any, so bad input prints nothing. */
static struct subject *load_subjects(struct cli *c, const struct verify_args *a, char **paths,
                                     int n)
{
	struct subject *s = calloc((size_t)n, sizeof(*s));
	STACK_OF(X509) *shared = sk_X509_new_null();
	char *pass = NULL;
	int i = 0;

	if (s == NULL || shared == NULL) {
		ucpki_err_set(&c->err, UCPKI_E_INTERNAL, "out of memory");
		goto fail;
	}
	if (cli_password(c, a->cert_pass_file, ENV_FILE_PASSWORD, &pass) != 0)
		goto fail;
	if (a->chain && load_chain_list(c, a->chain, pass, shared) != 0)
		goto fail;
	for (i = 0; i < n; i++) {
		s[i].label = paths[i];
		if ((s[i].untrusted = sk_X509_new_null()) == NULL ||
		    ucpki_verify_load_cert(paths[i], pass, &s[i].leaf, s[i].untrusted, &c->err) != 0)
			goto fail;
		for (int k = 0; k < sk_X509_num(shared); k++) {
			X509 *x = sk_X509_value(shared, k);
			if (!X509_up_ref(x) || !sk_X509_push(s[i].untrusted, x)) {
				ucpki_err_set(&c->err, UCPKI_E_INTERNAL, "out of memory");
				goto fail;
			}
		}
	}
	ucpki_secret_free(pass);
	sk_X509_pop_free(shared, X509_free);
	return s;
fail:
	ucpki_secret_free(pass);
	sk_X509_pop_free(shared, X509_free);
	subjects_free(s, i + 1 <= n ? i + 1 : n);
	return NULL;
}

/* --batch: one certificate per line - a file name, or the certificate
 * itself as base64 DER (what `openssl x509 -outform der | base64 -w0`
 * prints, no file to open) - optionally followed by the host name or
 * address it serves; one verdict line per certificate, printed as it is
 * judged. A line that cannot be read is reported and the batch goes on. */
struct batch_count {
	int n, rejected, errors;
};

static void batch_line(struct cli *c, struct ucpki_verifier *v, const struct ucpki_verify_req *base,
                       STACK_OF(X509) *shared, const char *pass, char *line, struct batch_count *bc)
{
	struct ucpki_verify_req req = *base;
	struct ucpki_verdict *vd = NULL;
	struct ucpki_err e = {0};
	STACK_OF(X509) *untrusted = sk_X509_dup(shared);
	char *name = line + strcspn(line, " \t"), addr[16];
	X509 *leaf = NULL;
	int alen;

	if (*name) {
		*name++ = '\0';
		name += strspn(name, " \t");
	}
	if (*name) {
		req.host = ucpki_parse_ip(name, (unsigned char *)addr, &alen) ? NULL : name;
		req.ip = req.host ? NULL : name;
	}
	bc->n++;
	if (untrusted == NULL || ucpki_verify_load_line(line, pass, &leaf, untrusted, &e) != 0 ||
	    (req.leaf = leaf, req.untrusted = untrusted, ucpki_verify(v, &req, &vd, &e) != 0)) {
		bc->errors++;
		if (c->json) {
			/* one JSON line, the error as docs/json.md writes every error */
			json_t *o = json_pack("{s:s, s:{s:s, s:s}}", "file", line, "error", "code",
			                      ucpki_err_code_name(e.code), "message", e.msg);
			char *text = o ? json_dumps(o, JSON_COMPACT) : NULL;
			printf("%s\n", text ? text : "{}");
			free(text);
			json_decref(o);
		} else
			printf("%s: ERROR %s\n", line, e.msg);
	} else {
		bc->rejected += !vd->accepted;
		if (c->json) {
			json_t *o = json_object();
			char *text;
			json_object_set_new(o, "file", json_string(line));
			json_object_set_new(o, "accepted", json_boolean(vd->accepted));
			json_object_set_new(o, "level", json_string(ucpki_level_name(vd->level)));
			if (!vd->accepted) {
				json_object_set_new(o, "rule", json_string(vd->rule));
				json_object_set_new(o, "reason", json_string(vd->reason));
			}
			text = json_dumps(o, JSON_COMPACT);
			printf("%s\n", text ? text : "{}");
			free(text);
			json_decref(o);
		} else if (vd->accepted) {
			printf("%s: accepted at level %s\n", line, ucpki_level_name(vd->level));
		} else {
			printf("%s: REJECTED at level %s: %s\n", line, ucpki_level_name(vd->level), vd->reason);
		}
	}
	/* the shared intermediates are borrowed: drop only what the file added */
	while (untrusted && sk_X509_num(untrusted) > sk_X509_num(shared))
		X509_free(sk_X509_pop(untrusted));
	sk_X509_free(untrusted);
	X509_free(leaf);
	ucpki_verdict_free(vd);
}

static int run_batch(struct cli *c, const struct verify_args *a, struct ucpki_verifier *v,
                     const struct ucpki_verify_req *base)
{
	FILE *in = strcmp(a->batch, "-") == 0 ? stdin : fopen(a->batch, "r");
	STACK_OF(X509) *shared = sk_X509_new_null();
	struct batch_count bc = {0};
	char *pass = NULL, *line = NULL;
	size_t cap = 0;
	ssize_t len;
	int rc = -1;

	if (in == NULL) {
		ucpki_err_set(&c->err, UCPKI_E_INPUT, "%s: cannot open (%s)", a->batch, strerror(errno));
		goto out;
	}
	if (shared == NULL || cli_password(c, a->cert_pass_file, ENV_FILE_PASSWORD, &pass) != 0 ||
	    (a->chain && load_chain_list(c, a->chain, pass, shared) != 0))
		goto out;
	while ((len = getline(&line, &cap, in)) >= 0) {
		while (len > 0 && (line[len - 1] == '\n' || line[len - 1] == '\r'))
			line[--len] = '\0';
		if (len == 0 || line[0] == '#')
			continue;
		batch_line(c, v, base, shared, pass, line, &bc);
	}
	if (!c->json)
		printf("%d certificate%s, %d accepted, %d rejected, %d unreadable\n", bc.n,
		       bc.n == 1 ? "" : "s", bc.n - bc.rejected - bc.errors, bc.rejected, bc.errors);
	fflush(stdout);
	rc = bc.errors ? 2 : bc.rejected ? 1 : 0;
out:
	free(line);
	if (in && in != stdin)
		fclose(in);
	ucpki_secret_free(pass);
	sk_X509_pop_free(shared, X509_free);
	return rc < 0 ? cli_fail(c) : rc;
}

static int cmd_verify(struct cli *c, int argc, char **argv)
{
	static const struct opt opts[] = {
		{"chain", OPT_LIST, offsetof(struct verify_args, chain), "FILE",
		 "intermediate certificates (repeatable)"},
		{"host", OPT_STR, offsetof(struct verify_args, j.host), "NAME",
		 "FQDN the device connects to (identity at full)"},
		{"ip", OPT_STR, offsetof(struct verify_args, j.ip), "ADDRESS",
		 "IPv4/IPv6 address the device connects to (identity at full)"},
		{"password-file", OPT_STR, offsetof(struct verify_args, cert_pass_file), "FILE",
		 "password of a PKCS#12 / encrypted bundle CERT", OPT_ALIAS("cert-pass-file"),
		 OPT_ENV(ENV_FILE_PASSWORD)},
		{"from", OPT_STR, offsetof(struct verify_args, from), "FILE",
		 "more certificate files to verify, one path per line (beyond 64 files)"},
		{"rules", OPT_FLAG, offsetof(struct verify_args, rules), NULL,
		 "list every rule a verdict can name, with its levels and source, and exit"},
		{"batch", OPT_STR, offsetof(struct verify_args, batch), "FILE",
		 "verify one certificate file per line ('-' = standard input), each optionally "
		 "followed by its host name or address; one verdict line each, as they come"},
		JUDGE_OPTS(struct verify_args),
		OPT_END,
	};
	struct verify_args a = {0};
	struct ucpki_verifier *v = NULL;
	struct ucpki_verify_req base;
	struct subject *subs = NULL;
	enum ucpki_level level;
	enum ucpki_purpose purpose;
	char **pos, **paths = NULL, *frombuf = NULL, *text = NULL;
	size_t textlen = 0;
	FILE *mem = NULL;
	json_t *results = NULL;
	int npos, done, rc, n = 0, rejected = 0;

	a.j.max_depth = OPT_UNSET;
	rc = cli_parse(c, cli_cmd("verify"), opts, &a, argc, argv, &pos, &npos, 0, -1, &done);
	if (done)
		return rc;
	if (a.rules)
		return list_rules(c);
	if (a.batch && (npos > 0 || a.from))
		return cli_usage(c, "--batch reads the certificates from its file: give no CERT or --from");
	if (parse_level(c, &a.j, (a.j.host || a.j.ip) ? UCPKI_LEVEL_FULL : UCPKI_LEVEL_TRUSTED,
	                &level, &purpose) != 0 ||
	    judge_request(c, &a.j, level, purpose, &base) != 0)
		goto fail;
	if (!a.batch && level >= UCPKI_LEVEL_FULL && !a.j.host && !a.j.ip && !c->quiet)
		fprintf(stderr, "ucpki: warning: level %s without --host or --ip: the identity is not "
		                "checked\n", ucpki_level_name(level));
	if (a.batch) {
		if ((v = make_verifier(c, &a.j)) == NULL)
			goto fail;
		rc = run_batch(c, &a, v, &base);
		ucpki_verifier_free(v);
		return rc;
	}
	if (collect_paths(c, &a, pos, npos, &paths, &n, &frombuf) != 0 ||
	    (v = make_verifier(c, &a.j)) == NULL || (subs = load_subjects(c, &a, paths, n)) == NULL)
		goto fail;
	if (!c->json && (mem = open_memstream(&text, &textlen)) == NULL) {
		ucpki_err_set(&c->err, UCPKI_E_INTERNAL, "out of memory");
		goto fail;
	}
	results = json_array();
	for (int i = 0; i < n; i++) {
		struct ucpki_verify_req req = base;
		struct ucpki_verdict *vd;
		req.leaf = subs[i].leaf;
		req.untrusted = subs[i].untrusted;
		if (ucpki_verify(v, &req, &vd, &c->err) != 0) {
			ucpki_err_prefix(&c->err, "%s: ", subs[i].label);
			goto fail;
		}
		rejected += !vd->accepted;
		if (c->json) {
			json_t *o = verdict_json(vd);
			json_object_set_new(o, "file", json_string(subs[i].label));
			json_array_append_new(results, o);
		} else {
			verdict_text(mem, subs[i].label, vd, c->quiet || n > 1, NULL);
		}
		ucpki_verdict_free(vd);
	}
	if (c->json) {
		if (n == 1) {
			json_decref(c->out);
			c->out = json_incref(json_array_get(results, 0));
		} else {
			json_object_set_new(cli_json_obj(c), "accepted", json_boolean(rejected == 0));
			json_object_set_new(c->out, "count", json_integer(n));
			json_object_set_new(c->out, "rejected", json_integer(rejected));
			json_object_set_new(c->out, "results", json_incref(results));
		}
	} else {
		if (n > 1)
			fprintf(mem, "%d certificate%s, %d accepted, %d rejected\n", n, n == 1 ? "" : "s",
			        n - rejected, rejected);
		fclose(mem);
		mem = NULL;
		fwrite(text, 1, textlen, stdout);
	}
	cli_emit(c);
	rc = rejected ? 1 : 0;
	goto out;
fail:
	rc = cli_fail(c);
out:
	if (mem)
		fclose(mem);
	free(text);
	json_decref(results);
	subjects_free(subs, n);
	ucpki_verifier_free(v);
	free(paths);
	free(frombuf);
	return rc;
}

/* --- Credentials for MTLS and the test server ----------------------------- */

/* The credentials the options name; passwords from their files or
 * $UCPKI_PASSWORD (old: $UCPKI_FILE_PASSWORD). */
static int load_creds(struct cli *c, const char *cert_path, const char *key_path,
                      const char *cert_pass_file, const char *key_pass_file,
                      struct ucpki_credentials *cr)
{
	char *cpass = NULL, *kpass = NULL;
	int rc = -1;

	memset(cr, 0, sizeof(*cr));
	if (cli_password(c, cert_pass_file, ENV_FILE_PASSWORD, &cpass) == 0 &&
	    cli_password(c, key_pass_file ? key_pass_file : cert_pass_file, ENV_FILE_PASSWORD,
	                 &kpass) == 0)
		rc = ucpki_credentials_load(cert_path, key_path, cpass, kpass, cr, &c->err);
	ucpki_secret_free(cpass);
	ucpki_secret_free(kpass);
	return rc;
}

/* --- ucpki probe ------------------------------------------------------------ */

struct probe_args {
	struct judge_args j;
	const char *servername, *cert, *key, *cert_pass_file, *key_pass_file, *save_chain, *save_ca;
	int no_sni, connect_timeout, force;
};

static void tls_text(FILE *f, const struct ucpki_tls_info *ti)
{
	fprintf(f, "connected to %s%s%s%s\n", ti->peer, ti->servername[0] ? " (SNI " : " (no SNI",
	        ti->servername, ")");
	if (ti->protocol[0])
		fprintf(f, "  protocol     %s, cipher %s\n", ti->protocol, ti->cipher);
	if (!ti->client_cert_requested) {
		fprintf(f, "  client cert  not requested by the server\n");
	} else {
		fprintf(f, "  client cert  requested by the server; %s\n",
		        ti->client_cert_sent ? "ours was sent" : "we sent none");
		for (int i = 0; i < sk_X509_NAME_num(ti->ca_names); i++) {
			char *s = ucpki_dn_string(sk_X509_NAME_value(ti->ca_names, i));
			fprintf(f, "  CA name      %s\n", s ? s : "?");
			free(s);
		}
		if (sk_X509_NAME_num(ti->ca_names) <= 0)
			fprintf(f, "  CA name      (none sent: any CA)\n");
	}
	fprintf(f, "presented chain (%d certificate%s):\n", sk_X509_num(ti->chain),
	        sk_X509_num(ti->chain) == 1 ? "" : "s");
	for (int i = 0; i < sk_X509_num(ti->chain); i++) {
		struct ucpki_certinfo *ci = ucpki_certinfo_new(sk_X509_value(ti->chain, i), NULL);
		if (ci == NULL)
			continue;
		fprintf(f, "[%d] %s\n    issuer       %s\n    serial       %s\n", i, ci->subject,
		        ci->issuer, ci->serial);
		fprintf(f, "    valid        %s .. %s\n    key          %s\n", ci->not_before, ci->not_after,
		        ci->key_desc);
		if (ci->sans[0])
			fprintf(f, "    SAN          %s\n", ci->sans);
		fprintf(f, "    SHA-256      %s\n    SHA-1        %s\n", ci->sha256, ci->sha1);
		if (ci->modulus_md5[0])
			fprintf(f, "    modulus MD5  %s\n", ci->modulus_md5);
		ucpki_certinfo_free(ci);
	}
}

static json_t *tls_json(const struct ucpki_tls_info *ti)
{
	json_t *o = json_object(), *chain = json_array(), *names = json_array();

	json_object_set_new(o, "peer", json_string(ti->peer));
	json_object_set_new(o, "servername", ti->servername[0] ? json_string(ti->servername) : json_null());
	json_object_set_new(o, "completed", json_boolean(ti->completed));
	json_object_set_new(o, "protocol", json_string(ti->protocol));
	json_object_set_new(o, "cipher", json_string(ti->cipher));
	json_object_set_new(o, "client_cert_requested", json_boolean(ti->client_cert_requested));
	json_object_set_new(o, "client_cert_sent", json_boolean(ti->client_cert_sent));
	for (int i = 0; i < sk_X509_NAME_num(ti->ca_names); i++) {
		char *s = ucpki_dn_string(sk_X509_NAME_value(ti->ca_names, i));
		json_array_append_new(names, json_string(s ? s : "?"));
		free(s);
	}
	json_object_set_new(o, "ca_names", names);
	if (ti->failure[0])
		json_object_set_new(o, "failure", json_string(ti->failure));
	if (ti->alert[0])
		json_object_set_new(o, "alert", json_string(ti->alert));
	for (int i = 0; i < sk_X509_num(ti->chain); i++)
		json_array_append_new(chain, cert_brief_json(sk_X509_value(ti->chain, i), i));
	json_object_set_new(o, "chain", chain);
	return o;
}

/* --save-chain / --save-ca, staged together so either both or none appear. */
static int stage_saves(struct cli *c, const struct probe_args *a, const struct ucpki_tls_info *ti,
                       struct cli_outputs *fs, char *ca_subject, size_t len)
{
	struct ucpki_buf chain = {0}, ca = {0};
	int rc = -1;

	if (a->save_chain) {
		for (int i = 0; i < sk_X509_num(ti->chain); i++)
			if (ucpki_write_cert(&chain, sk_X509_value(ti->chain, i), 0, &c->err) != 0)
				goto out;
		if (cli_outputs_add(c, fs, "--save-chain", a->save_chain, chain.data, chain.len, 0) != 0)
			goto out;
	}
	if (a->save_ca) {
		X509 *last = ucpki_chain_last_ca(ti->chain);
		char *s;
		if (last == NULL) {
			ucpki_err_set(&c->err, UCPKI_E_INPUT,
			              "%s: the server presented no CA certificate, only its own; nothing "
			              "written (get the CA from its administrator)", a->save_ca);
			goto out;
		}
		if (ucpki_write_cert(&ca, last, 0, &c->err) != 0 ||
		    cli_outputs_add(c, fs, "--save-ca", a->save_ca, ca.data, ca.len, 0) != 0)
			goto out;
		s = ucpki_dn_string(X509_get_subject_name(last));
		snprintf(ca_subject, len, "%s", s ? s : "?");
		free(s);
	}
	rc = 0;
out:
	ucpki_buf_free(&chain);
	ucpki_buf_free(&ca);
	return rc;
}

static int cmd_probe(struct cli *c, int argc, char **argv)
{
	static const struct opt opts[] = {
		{"servername", OPT_STR, offsetof(struct probe_args, servername), "NAME",
		 "SNI to send (default: --host, else HOST when it is a name); the identity too "
		 "without --host/--ip"},
		{"host", OPT_STR, offsetof(struct probe_args, j.host), "NAME",
		 "FQDN the device connects to: the identity checked at full, and the SNI without "
		 "--servername"},
		{"ip", OPT_STR, offsetof(struct probe_args, j.ip), "ADDRESS",
		 "IPv4/IPv6 address the device connects to: the identity checked at full"},
		{"no-sni", OPT_FLAG, offsetof(struct probe_args, no_sni), NULL, "send no SNI"},
		{"cert", OPT_STR, offsetof(struct probe_args, cert), "FILE",
		 "client certificate for MTLS (PEM with --key, or PKCS#12)"},
		{"key", OPT_STR, offsetof(struct probe_args, key), "FILE", "its private key"},
		{"cert-password-file", OPT_STR, offsetof(struct probe_args, cert_pass_file), "FILE",
		 "password of the --cert PKCS#12 file", OPT_ALIAS("cert-pass-file"),
		 OPT_ENV(ENV_FILE_PASSWORD)},
		{"key-password-file", OPT_STR, offsetof(struct probe_args, key_pass_file), "FILE",
		 "password of an encrypted --key (default: the --cert password)",
		 OPT_ALIAS("key-pass-file"), OPT_ENV(ENV_FILE_PASSWORD)},
		{"save-chain", OPT_STR, offsetof(struct probe_args, save_chain), "FILE",
		 "write the presented chain (PEM; '-' = standard output, the report goes to stderr)"},
		{"save-ca", OPT_STR, offsetof(struct probe_args, save_ca), "FILE",
		 "write the last CA certificate presented (guide 3.5.1)"},
		OPT_FORCE(struct probe_args),
		{"connect-timeout", OPT_INT, offsetof(struct probe_args, connect_timeout), "MS",
		 "the TCP connect part of --timeout, when it should differ (default: --timeout)",
		 OPT_RANGE(1, 600000)},
		JUDGE_OPTS(struct probe_args),
		OPT_END,
	};
	struct probe_args a = {.j.max_depth = OPT_UNSET};
	struct ucpki_verify_req jr;
	struct ucpki_endpoint_opts eo;
	struct ucpki_endpoint_report *r = NULL;
	struct ucpki_verifier *v = NULL;
	struct cli_outputs fs = {0};
	struct ucpki_credentials cr = {0};
	FILE *rep;
	enum ucpki_level level;
	enum ucpki_purpose purpose;
	char host[256], **pos, ca_subject[256] = "";
	int npos, done, rc, port;

	rc = cli_parse(c, cli_cmd("probe"), opts, &a, argc, argv, &pos, &npos, 1, 1, &done);
	if (done)
		return rc;
	if (ucpki_hostport_parse(pos[0], host, sizeof(host), &port, &c->err) != 0)
		return cli_fail(c);
	if (a.key && !a.cert)
		return cli_usage(c, "--key needs --cert");
	if (cli_output_check(c, "--save-chain", a.save_chain, 0, a.force) != 0 ||
	    cli_output_check(c, "--save-ca", a.save_ca, 0, a.force) != 0)
		return cli_fail(c);
	fs.force = a.force;
	/* the report must not mix with a certificate written to standard output */
	rep = cli_is_stdout(a.save_chain) || cli_is_stdout(a.save_ca) ? stderr : stdout;
	if (parse_level(c, &a.j, a.j.trust ? UCPKI_LEVEL_FULL : UCPKI_LEVEL_NONE, &level, &purpose) != 0 ||
	    judge_request(c, &a.j, level, purpose, &jr) != 0)
		return cli_fail(c);
	if (level != UCPKI_LEVEL_NONE && (v = make_verifier(c, &a.j)) == NULL)
		goto fail;
	if (a.cert && load_creds(c, a.cert, a.key, a.cert_pass_file, a.key_pass_file, &cr) != 0)
		goto fail;
	memset(&eo, 0, sizeof(eo));
	eo.host = host;
	eo.port = port;
	/* SNI: --servername, else --host; identity: --ip, --host, else the SNI */
	eo.servername = a.servername ? a.servername : a.j.host;
	eo.identity_host = a.j.host;
	eo.identity_ip = a.j.ip;
	eo.level = level;
	eo.purpose = purpose;
	eo.has_max_depth = jr.has_max_depth;
	eo.max_depth = jr.max_depth;
	eo.key_usage = jr.key_usage;
	eo.client_cert = cr.cert;
	eo.client_key = cr.key;
	eo.client_chain = cr.chain;
	eo.connect_timeout_ms = a.connect_timeout ? a.connect_timeout : a.j.timeout;
	eo.handshake_timeout_ms = a.j.timeout;
	eo.no_sni = a.no_sni;
	if (ucpki_probe_endpoint(&eo, v, &r, &c->err) != 0)
		goto fail;
	if ((a.save_chain || a.save_ca) &&
	    (stage_saves(c, &a, r->tls, &fs, ca_subject, sizeof(ca_subject)) != 0 ||
	     cli_outputs_commit(c, &fs) != 0))
		goto fail;
	if (c->json) {
		json_t *o = cli_json_obj(c);
		json_object_set_new(o, "target", json_string(pos[0]));
		json_object_set_new(o, "tls", tls_json(r->tls));
		json_object_set_new(o, "leaf_serial", cli_serial_json(r->leaf_serial));
		if (r->verdict) {
			json_t *vj = verdict_json(r->verdict), *path = json_object_get(vj, "path");
			for (size_t i = 0; i < json_array_size(path) && i < UCPKI_ENDPOINT_PATH_MAX; i++)
				json_object_set_new(json_array_get(path, i), "presented",
				                    r->path_presented[i] >= 0 ? json_integer(r->path_presented[i])
				                                              : json_null());
			json_object_set_new(o, "verdict", vj);
		}
		{
			json_t *w = json_array();
			for (int i = 0; i < r->n_warnings; i++)
				json_array_append_new(w, json_string(r->warnings[i]));
			json_object_set_new(o, "warnings", w);
		}
		if (a.save_chain)
			json_object_set_new(o, "saved_chain", json_string(a.save_chain));
		if (a.save_ca)
			json_object_set_new(o, "saved_ca", json_string(a.save_ca));
	} else {
		tls_text(rep, r->tls);
		if (r->tls->failure[0])
			fprintf(rep, "handshake: REJECTED by the server: %s\n", r->tls->failure);
		for (int i = 0; i < r->n_warnings; i++)
			fprintf(rep, "warning: %s\n", r->warnings[i]);
		if (r->verdict)
			verdict_text(rep, "verdict", r->verdict, c->quiet, r->path_presented);
		if (a.save_chain)
			fprintf(rep, "saved the chain to %s\n", a.save_chain);
		if (a.save_ca)
			fprintf(rep, "saved CA \"%s\" to %s\n", ca_subject, a.save_ca);
	}
	cli_emit(c);
	rc = (!r->tls->completed || (r->verdict && !r->verdict->accepted)) ? 1 : 0;
	goto out;
fail:
	rc = cli_fail(c);
out:
	cli_outputs_clear(&fs);
	ucpki_endpoint_report_free(r);
	ucpki_verifier_free(v);
	ucpki_credentials_clear(&cr);
	return rc;
}

/* --- ucpki probe serve ------------------------------------------------------ */

struct serve_args {
	struct judge_args j;
	const char *cert, *key, *chain, *cert_pass_file, *key_pass_file, *bind;
	int port, count, request, require;
};

struct client_judge {
	struct ucpki_verifier *v;
	struct ucpki_verify_req base;  /* level, purpose, depth, usages */
};

static int judge_client(void *arg, X509 *leaf, STACK_OF(X509) *chain, char *why, size_t whylen)
{
	struct client_judge *cj = arg;
	struct ucpki_verify_req req = cj->base;
	struct ucpki_verdict *vd = NULL;
	struct ucpki_err e = {0};
	int ok;

	req.leaf = leaf;
	req.untrusted = chain;
	if (cj->v == NULL) {
		snprintf(why, whylen, "not checked (no --trust given)");
		return 1;
	}
	if (ucpki_verify(cj->v, &req, &vd, &e) != 0) {
		snprintf(why, whylen, "cannot judge: %s", e.msg);
		return 0;
	}
	ok = vd->accepted;
	if (ok)
		snprintf(why, whylen, "accepted at level %s", ucpki_level_name(vd->level));
	else
		snprintf(why, whylen, "rejected at level %s: %s", ucpki_level_name(vd->level), vd->reason);
	ucpki_verdict_free(vd);
	return ok;
}

static volatile sig_atomic_t stop_serving;

static void on_stop(int sig)
{
	(void)sig;
	stop_serving = 1;
}

static void visit_log(struct cli *c, const struct ucpki_tls_visit *vi)
{
	X509 *leaf = sk_X509_value(vi->chain, 0);
	struct ucpki_certinfo *ci = leaf ? ucpki_certinfo_new(leaf, NULL) : NULL;
	char tbuf[40];

	ucpki_time_string(vi->when, tbuf, sizeof(tbuf));
	if (c->json) {
		json_t *o = json_object();
		char *s;
		json_object_set_new(o, "time", json_string(tbuf));
		json_object_set_new(o, "client", json_string(vi->peer));
		json_object_set_new(o, "ok", json_boolean(vi->ok));
		json_object_set_new(o, "protocol", json_string(vi->protocol));
		json_object_set_new(o, "cipher", json_string(vi->cipher));
		json_object_set_new(o, "servername", vi->servername[0] ? json_string(vi->servername) : json_null());
		json_object_set_new(o, "client_cert", leaf ? cert_brief_json(leaf, 0) : json_null());
		json_object_set_new(o, "verdict", vi->verdict[0] ? json_string(vi->verdict) : json_null());
		json_object_set_new(o, "failure", vi->failure[0] ? json_string(vi->failure) : json_null());
		s = json_dumps(o, JSON_COMPACT | JSON_PRESERVE_ORDER);
		if (s)
			printf("%s\n", s);
		free(s);
		json_decref(o);
	} else {
		printf("%s %s %s", tbuf, vi->peer, vi->ok ? "ok" : "FAILED");
		if (vi->protocol[0])
			printf(" %s %s", vi->protocol, vi->cipher);
		if (vi->servername[0])
			printf(" sni=%s", vi->servername);
		printf("\n");
		if (ci)
			printf("  client cert  \"%s\" issuer \"%s\" serial %s sha256 %s\n", ci->subject,
			       ci->issuer, ci->serial, ci->sha256);
		else
			printf("  client cert  none\n");
		if (vi->verdict[0])
			printf("  verdict      %s\n", vi->verdict);
		if (vi->failure[0])
			printf("  failure      %s\n", vi->failure);
	}
	fflush(stdout);
	ucpki_certinfo_free(ci);
}

static int cmd_probe_serve(struct cli *c, int argc, char **argv)
{
	static const struct opt opts[] = {
		{"cert", OPT_STR, offsetof(struct serve_args, cert), "FILE",
		 "server certificate (PEM with --key, or PKCS#12 / bundle with its key)"},
		{"key", OPT_STR, offsetof(struct serve_args, key), "FILE", "its private key"},
		{"chain", OPT_LIST, offsetof(struct serve_args, chain), "FILE",
		 "intermediates to send after it"},
		{"cert-password-file", OPT_STR, offsetof(struct serve_args, cert_pass_file), "FILE",
		 "password of the --cert PKCS#12 file", OPT_ALIAS("cert-pass-file"),
		 OPT_ENV(ENV_FILE_PASSWORD)},
		{"key-password-file", OPT_STR, offsetof(struct serve_args, key_pass_file), "FILE",
		 "password of an encrypted --key (default: the --cert password)",
		 OPT_ALIAS("key-pass-file"), OPT_ENV(ENV_FILE_PASSWORD)},
		{"request-client-cert", OPT_FLAG, offsetof(struct serve_args, request), NULL,
		 "ask clients for a certificate, accept them without one"},
		{"require-client-cert", OPT_FLAG, offsetof(struct serve_args, require), NULL,
		 "MTLS: refuse clients without a certificate the --trust CAs accept"},
		{"bind", OPT_STR, offsetof(struct serve_args, bind), "ADDR",
		 "address to listen on (default 127.0.0.1)"},
		{"port", OPT_INT, offsetof(struct serve_args, port), "N", "port (0 = any free port)",
		 OPT_RANGE(0, 65535)},
		{"count", OPT_INT, offsetof(struct serve_args, count), "N",
		 "stop after N clients (default: run until interrupted)", OPT_RANGE(1, 1000000)},
		JUDGE_OPTS(struct serve_args),
		OPT_END,
	};
	struct serve_args a = {.j.max_depth = OPT_UNSET};
	struct ucpki_tls_server_opts so;
	struct ucpki_tls_server *srv = NULL;
	struct client_judge cj = {0};
	STACK_OF(X509_NAME) *names = NULL;
	struct ucpki_credentials cr = {0};
	struct sigaction sa;
	char **pos;
	int npos, done, rc, served = 0;

	rc = cli_parse(c, cli_cmd("probe serve"), opts, &a, argc, argv, &pos, &npos, 0, 0, &done);
	if (done)
		return rc;
	if (a.cert == NULL)
		return cli_usage(c, "--cert FILE is required");
	if (a.require && a.j.trust == NULL)
		return cli_usage(c, "--require-client-cert needs --trust FILE (the CAs client "
		                    "certificates must chain to)");
	{
		enum ucpki_level level;
		enum ucpki_purpose purpose;
		if (parse_level(c, &a.j, a.j.trust ? UCPKI_LEVEL_TRUSTED : UCPKI_LEVEL_NONE, &level,
		                &purpose) != 0 ||
		    judge_request(c, &a.j, level, purpose, &cj.base) != 0)
			return cli_fail(c);
	}
	if (cj.base.level >= UCPKI_LEVEL_FULL)
		return cli_usage(c, "client certificates are judged at level trusted (full checks a "
		                    "server's identity)");
	if (a.j.trust && (cj.v = make_verifier(c, &a.j)) == NULL)
		goto fail;
	if (load_creds(c, a.cert, a.key, a.cert_pass_file, a.key_pass_file, &cr) != 0)
		goto fail;
	if (a.chain) {
		char *copy = strdup(a.chain), *save = NULL;
		int lrc = copy ? 0 : -1;
		for (char *f = copy ? strtok_r(copy, ",", &save) : NULL; f && lrc == 0; f = strtok_r(NULL, ",", &save))
			lrc = ucpki_verify_load_chain(f, NULL, cr.chain, &c->err);
		free(copy);
		if (lrc != 0)
			goto fail;
	}
	if (cj.v) {
		STACK_OF(X509) *anchors = ucpki_verifier_anchors(cj.v);
		if ((names = sk_X509_NAME_new_null()) == NULL)
			goto fail;
		for (int i = 0; i < sk_X509_num(anchors); i++) {
			X509_NAME *nm = X509_NAME_dup(X509_get_subject_name(sk_X509_value(anchors, i)));
			if (nm == NULL || !sk_X509_NAME_push(names, nm)) {
				X509_NAME_free(nm);
				goto fail;
			}
		}
	}
	memset(&so, 0, sizeof(so));
	so.bind = a.bind;
	so.port = a.port;
	so.cert = cr.cert;
	so.key = cr.key;
	so.chain = cr.chain;
	so.request_client_cert = a.request || a.j.trust != NULL;
	so.require_client_cert = a.require;
	so.ca_names = names;
	so.verify = judge_client;
	so.verify_arg = &cj;
	so.handshake_timeout_ms = a.j.timeout;
	if ((srv = ucpki_tls_server_new(&so, &c->err)) == NULL)
		goto fail;
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_stop;
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
	signal(SIGPIPE, SIG_IGN);
	if (c->json)
		printf("{\"listening\":\"%s\",\"port\":%d}\n", ucpki_tls_server_address(srv),
		       ucpki_tls_server_port(srv));
	else
		printf("listening on %s (port %d)%s\n", ucpki_tls_server_address(srv),
		       ucpki_tls_server_port(srv),
		       a.require ? ", client certificate required" :
		       so.request_client_cert ? ", client certificate requested" : "");
	fflush(stdout);
	while (!stop_serving && (a.count == 0 || served < a.count)) {
		struct ucpki_tls_visit *vi = NULL;
		int got = ucpki_tls_server_serve_one(srv, 1000, &vi, &c->err);
		if (got < 0)
			goto fail;
		if (got == 0)
			continue;
		visit_log(c, vi);
		ucpki_tls_visit_free(vi);
		served++;
	}
	rc = 0;
	goto out;
fail:
	if (c->err.msg[0] == '\0')
		ucpki_err_set(&c->err, UCPKI_E_INTERNAL, "out of memory");
	rc = cli_fail(c);
out:
	ucpki_tls_server_free(srv);
	sk_X509_NAME_pop_free(names, X509_NAME_free);
	ucpki_verifier_free(cj.v);
	ucpki_credentials_clear(&cr);
	return rc;
}
