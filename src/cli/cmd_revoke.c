/* ucpki revoke | crl | certs */
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "cli.h"
#include "ucpki/file.h"
#include "ucpki/formats.h"

struct revoke_args {
	const char *ca, *reason, *at;
};

int cmd_revoke(struct cli *c, int argc, char **argv)
{
	static const struct opt opts[] = {
		{"ca", OPT_STR, offsetof(struct revoke_args, ca), "PKI/CA", "issuing CA"},
		{"reason", OPT_STR, offsetof(struct revoke_args, reason), "R",
		 "RFC 5280 reason: keyCompromise, superseded, cessationOfOperation, ..."},
		{"at", OPT_STR, offsetof(struct revoke_args, at), "TIME",
		 "revocation time, RFC 3339 (default now)"},
		OPT_END,
	};
	struct revoke_args a = {0};
	struct ucpki_ca *ca;
	time_t when = time(NULL);
	char **pos, norm[128];
	int npos, done, rc, reason = 0;

	rc = cli_parse(c, cli_cmd("revoke"), opts, &a, argc, argv, &pos, &npos, 1, 1, &done);
	if (done)
		return rc;
	if (a.ca == NULL)
		return cli_usage(c, "--ca PKI/CA is required");
	if ((a.reason && ucpki_reason_parse(a.reason, &reason, &c->err) != 0) ||
	    (a.at && ucpki_time_parse(a.at, &when, &c->err) != 0) ||
	    ucpki_serial_normalize(pos[0], norm, sizeof(norm), &c->err) != 0)
		return cli_fail(c);
	if (cli_state(c) == NULL || (ca = ucpki_ca_open(c->st, a.ca, &c->err)) == NULL)
		return cli_fail(c);
	rc = ucpki_ca_revoke(ca, norm, reason, when, &c->err);
	ucpki_ca_free(ca);
	if (rc != 0)
		return cli_fail(c);
	if (c->json) {
		json_object_set_new(cli_json_obj(c), "serial", cli_serial_json(norm));
		json_object_set_new(cli_json_obj(c), "reason", json_string(ucpki_reason_name(reason)));
	} else if (!c->quiet) {
		printf("revoked %s (%s)\n", norm, ucpki_reason_name(reason));
	}
	cli_emit(c);
	return 0;
}

struct crl_args {
	const char *ca, *out, *format, *hash;
	int days, der, force;
};

int cmd_crl(struct cli *c, int argc, char **argv)
{
	static const struct opt opts[] = {
		{"ca", OPT_STR, offsetof(struct crl_args, ca), "PKI/CA", "issuing CA"},
		{"out", OPT_STR, offsetof(struct crl_args, out), "FILE",
		 "output file, '-' = standard output (the default)"},
		OPT_FORMAT(struct crl_args, format, "pem (default) or der"),
		{"days", OPT_INT, offsetof(struct crl_args, days), "N", "nextUpdate in N days (default 7)",
		 OPT_RANGE(1, 3650)},
		{"hash", OPT_STR, offsetof(struct crl_args, hash), "H", "signature hash (default sha256)"},
		OPT_FORCE(struct crl_args),
		OPT_END,
	};
	struct crl_args a = {.days = 7};
	struct ucpki_buf buf = {0};
	struct ucpki_fileset *fs;
	struct ucpki_store *store;
	struct ucpki_ca *ca;
	X509_CRL *crl;
	char **pos;
	int npos, done, rc;

	rc = cli_parse(c, cli_cmd("crl"), opts, &a, argc, argv, &pos, &npos, 0, 0, &done);
	if (done)
		return rc;
	if (a.ca == NULL)
		return cli_usage(c, "--ca PKI/CA is required");
	if (cli_format_der(c, a.format, &a.der) != 0)
		return 2;
	if (cli_output_check(c, "--out", a.out, 0, a.force) != 0 || cli_state(c) == NULL ||
	    (ca = ucpki_ca_open(c->st, a.ca, &c->err)) == NULL)
		return cli_fail(c);
	/* The CRL number is taken only if the CRL reaches its file. */
	if ((fs = ucpki_fileset_new()) == NULL) {
		ucpki_ca_free(ca);
		ucpki_err_set(&c->err, UCPKI_E_INTERNAL, "out of memory");
		return cli_fail(c);
	}
	store = ucpki_state_store(c->st);
	if (ucpki_store_begin(store, &c->err) != 0) {
		ucpki_fileset_free(fs);
		ucpki_ca_free(ca);
		return cli_fail(c);
	}
	crl = ucpki_ca_crl(ca, a.days, a.hash, &c->warn, &c->err);
	ucpki_ca_free(ca);
	rc = crl ? ucpki_write_crl(&buf, crl, a.der, &c->err) : -1;
	/* a file: staged before the commit, moved into place after it; standard
	 * output: written once the CRL number is committed */
	if (rc == 0 && a.out && !cli_is_stdout(a.out)) {
		ucpki_file_clean_stale(a.out);
		rc = ucpki_fileset_add(fs, a.out, buf.data, buf.len, 0644,
		                       a.force ? 0 : UCPKI_WRITE_NOCLOBBER, &c->err);
	}
	if (rc == 0)
		rc = ucpki_store_commit(store, &c->err);
	else
		ucpki_store_rollback(store);
	if (rc == 0 && a.out && !cli_is_stdout(a.out))
		rc = ucpki_fileset_commit(fs, &c->err);
	else if (rc == 0 && (a.out || !c->json))
		rc = cli_output_write(c, "--out", NULL, buf.data, buf.len, 0, a.force);
	if (rc == 0 && c->json) {
		json_object_set_new(cli_json_obj(c), "revoked",
		                    json_integer(sk_X509_REVOKED_num(X509_CRL_get_REVOKED(crl))));
		if (a.out && !cli_is_stdout(a.out))
			json_object_set_new(cli_json_obj(c), "written", json_string(a.out));
	}
	X509_CRL_free(crl);
	ucpki_fileset_free(fs);
	ucpki_buf_free(&buf);
	if (rc != 0)
		return cli_fail(c);
	cli_emit(c);
	return 0;
}

struct certs_args {
	const char *ca;
	int expiring;
};

/* The listing in progress: the command and the rows printed. */
struct certs_walk {
	struct cli *c;
	int n;
};

static int print_cert(void *arg, const char *ca_ref, const struct ucpki_cert_rec *r)
{
	struct certs_walk *w = arg;
	struct cli *c = w->c;
	char na[32];
	long days = (long)((r->not_after - (int64_t)time(NULL)) / 86400);
	const char *status = r->status == UCPKI_CERT_REVOKED ? "revoked" : (days < 0 ? "expired" : "valid");

	w->n++;
	ucpki_time_string((time_t)r->not_after, na, sizeof(na));
	if (c->json) {
		json_t *o = json_object();
		json_object_set_new(o, "ca", json_string(ca_ref));
		json_object_set_new(o, "serial", cli_serial_json(r->serial));
		json_object_set_new(o, "subject", json_string(r->subject));
		json_object_set_new(o, "sans", cli_sans_json(r->sans));
		json_object_set_new(o, "profile", json_string(r->profile));
		json_object_set_new(o, "not_after", json_string(na));
		json_object_set_new(o, "days_left", json_integer(days));
		json_object_set_new(o, "status", json_string(status));
		if (r->status == UCPKI_CERT_REVOKED)
			json_object_set_new(o, "reason", json_string(ucpki_reason_name(r->reason)));
		json_array_append_new(c->out, o);
	} else {
		printf("%-18s %-32s %-8s %-20s %5ld  %-8s %s\n", ca_ref, r->serial, status, na, days,
		       r->profile, r->subject);
	}
	return 0;
}

int cmd_certs(struct cli *c, int argc, char **argv)
{
	static const struct opt opts[] = {
		{"ca", OPT_STR, offsetof(struct certs_args, ca), "PKI/CA", "only this CA"},
		{"expiring", OPT_INT, offsetof(struct certs_args, expiring), "DAYS",
		 "only valid certificates expiring within DAYS (exit 1 when there is one)",
		 OPT_RANGE(0, 36500)},
		OPT_END,
	};
	struct certs_args a = {.expiring = -1};
	struct certs_walk w = {.c = c};
	char **pos;
	int npos, done, rc;

	rc = cli_parse(c, cli_cmd("certs"), opts, &a, argc, argv, &pos, &npos, 0, 0, &done);
	if (done)
		return rc;
	if (cli_state(c) == NULL)
		return cli_fail(c);
	if (c->json)
		c->out = json_array();
	else
		printf("%-18s %-32s %-8s %-20s %5s  %-8s %s\n", "CA", "SERIAL", "STATUS", "EXPIRES",
		       "DAYS", "PROFILE", "SUBJECT");
	if (ucpki_certs_list(c->st, a.ca, a.expiring, print_cert, &w, &c->err) != 0)
		return cli_fail(c);
	cli_emit(c);
	/* --expiring reports a problem: scripts can test the exit status */
	return a.expiring >= 0 && w.n > 0 ? 1 : 0;
}
