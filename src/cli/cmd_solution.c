/* Command table of the solution group (see cli.h): profiles, lint, solution. */
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "cli.h"
#include "ucpki/file.h"
#include "ucpki/lint.h"
#include "ucpki/profiles.h"
#include "ucpki/solution.h"

/* The shipped profiles plus --profiles DIR; loaded once per command. */
static struct ucpki_profile_set *load_profiles(struct cli *c)
{
	return ucpki_profiles_load_shipped(c->profiles_dir, &c->warn, &c->err);
}

static const char *container_summary(const struct ucpki_profile *p, char *buf, size_t len)
{
	size_t at = 0;

	buf[0] = '\0';
	for (int i = 0; i < p->n_files && at < len; i++) {
		const char *c = ucpki_container_name(p->files[i].container);
		int dup = 0;
		for (int j = 0; j < i; j++)
			if (p->files[j].container == p->files[i].container)
				dup = 1;
		if (!dup)
			at += (size_t)snprintf(buf + at, len - at, "%s%s", at ? "+" : "", c);
	}
	return buf;
}

static int cmd_profiles_list(struct cli *c, int argc, char **argv)
{
	static const struct opt opts[] = {OPT_END};
	struct ucpki_profile_set *set;
	char **pos;
	int npos, done, rc;
	json_t *arr = NULL;

	rc = cli_parse(c, cli_cmd("profiles list"), opts, NULL, argc, argv, &pos, &npos, 0, 0,
	               &done);
	if (done)
		return rc;
	if ((set = load_profiles(c)) == NULL)
		return cli_fail(c);
	if (c->json)
		json_object_set_new(cli_json_obj(c), "profiles", arr = json_array());
	else if (!c->quiet)
		printf("%-18s %-12s %-52s %s\n", "ID", "CONTAINER", "PRODUCT", "GUIDE");
	for (int i = 0; i < ucpki_profiles_count(set); i++) {
		const struct ucpki_profile *p = ucpki_profiles_at(set, i);
		char cont[64], vers[64];
		container_summary(p, cont, sizeof(cont));
		if (arr) {
			json_t *o = json_object();
			json_object_set_new(o, "id", json_string(p->id));
			json_object_set_new(o, "name", json_string(p->name));
			json_object_set_new(o, "guide", json_string(p->guide));
			json_object_set_new(o, "containers", json_string(cont));
			json_object_set_new(o, "versions", json_string(ucpki_profile_versions_string(
			                                       p, vers, sizeof(vers))));
			json_object_set_new(o, "path", json_string(p->path));
			json_array_append_new(arr, o);
		} else {
			printf("%-18s %-12s %-52s %s\n", p->id, cont, p->name, p->guide);
		}
	}
	ucpki_profiles_free(set);
	cli_emit(c);
	return 0;
}

/* The product's stores on its host, as shipped. */
static json_t *stores_json(const struct ucpki_profile *p)
{
	json_t *a = json_array();

	for (int i = 0; i < p->n_stores; i++) {
		const struct ucpki_profile_store *st = &p->stores[i];
		json_array_append_new(a, json_pack("{s:s, s:s, s:s, s:s, s:s?, s:b}", "id", st->id,
		                                   "path", st->path, "type", st->type, "password",
		                                   st->default_password, "file", st->file,
		                                   "replace", st->replace));
	}
	return a;
}

static json_t *strlist_json(const char *const *v, int n)
{
	json_t *a = json_array();

	for (int i = 0; i < n; i++)
		json_array_append_new(a, json_string(v[i]));
	return a;
}

static const char *content_string(const struct ucpki_profile_file *f, char *buf, size_t len)
{
	size_t at = 0;

	buf[0] = '\0';
	for (int i = 0; i < f->n_content && at < len; i++)
		at += (size_t)snprintf(buf + at, len - at, "%s%s", i ? ", " : "",
		                       ucpki_item_name(f->content[i]));
	return buf;
}

static json_t *profile_json(const struct ucpki_profile *p)
{
	json_t *o = json_object(), *files = json_array(), *steps = json_array(),
	       *pws = json_array(), *eps = json_array(), *cert = json_object(), *vr = json_array();
	char buf[256];

	json_object_set_new(o, "id", json_string(p->id));
	json_object_set_new(o, "name", json_string(p->name));
	json_object_set_new(o, "guide", json_string(p->guide));
	json_object_set_new(o, "summary", json_string(p->summary));
	json_object_set_new(o, "path", json_string(p->path));
	json_object_set_new(o, "notes", strlist_json(p->notes, p->n_notes));
	json_object_set_new(o, "versions",
	                    json_string(ucpki_profile_versions_string(p, buf, sizeof(buf))));
	for (int i = 0; i < p->n_vrules; i++) {
		json_t *r = json_object();
		json_object_set_new(r, "from", json_integer(p->vrules[i].lo));
		json_object_set_new(r, "to", p->vrules[i].hi ? json_integer(p->vrules[i].hi)
		                                               : json_null());
		if (p->vrules[i].hash)
			json_object_set_new(r, "hash", json_string(p->vrules[i].hash));
		if (p->vrules[i].warning)
			json_object_set_new(r, "warning", json_string(p->vrules[i].warning));
		json_array_append_new(vr, r);
	}
	json_object_set_new(o, "version_rules", vr);
	json_object_set_new(o, "clamp_2038", json_boolean(p->clamp_2038));
	json_object_set_new(cert, "identity", json_string(ucpki_identity_name(p->identity)));
	json_object_set_new(cert, "base", json_string(p->base));
	json_object_set_new(cert, "eku", json_string(p->eku));
	json_object_set_new(cert, "key_usage", p->ku ? json_string(p->ku) : json_null());
	json_object_set_new(cert, "require_eku", strlist_json(p->require_eku, p->n_require_eku));
	json_object_set_new(cert, "forbid_eku", strlist_json(p->forbid_eku, p->n_forbid_eku));
	json_object_set_new(cert, "keys", strlist_json(p->keys, p->n_keys));
	json_object_set_new(cert, "forbidden_extensions",
	                    strlist_json(p->forbid_ext, p->n_forbid_ext));
	json_object_set_new(cert, "critical_allowed",
	                    p->n_critical_ok < 0 ? json_string("any")
	                                         : strlist_json(p->critical_ok, p->n_critical_ok));
	json_object_set_new(cert, "san_extra", strlist_json(p->san_extra, p->n_san_extra));
	json_object_set_new(cert, "san_require", strlist_json(p->san_require, p->n_san_require));
	json_object_set_new(cert, "cn", json_string(p->cn));
	json_object_set_new(cert, "rsa_min", json_integer(p->rsa_min));
	json_object_set_new(o, "certificate", cert);
	json_object_set_new(o, "verify_level", json_string(p->verify_level));
	for (int i = 0; i < p->n_files; i++) {
		const struct ucpki_profile_file *f = &p->files[i];
		json_t *fo = json_object();
		json_object_set_new(fo, "name", json_string(f->name));
		json_object_set_new(fo, "container", json_string(ucpki_container_name(f->container)));
		json_object_set_new(fo, "content", json_string(content_string(f, buf, sizeof(buf))));
		json_object_set_new(fo, "key_encoding", json_string(ucpki_key_form_name(f->key_form)));
		json_object_set_new(fo, "encrypted", json_boolean(f->encrypted));
		if (f->alias)
			json_object_set_new(fo, "alias", json_string(f->alias));
		if (f->password)
			json_object_set_new(fo, "password", json_string(f->password));
		if (f->copy_of)
			json_object_set_new(fo, "copy_of", json_string(f->copy_of));
		if (f->when)
			json_object_set_new(fo, "when", json_string(f->when));
		if (f->install_path)
			json_object_set_new(fo, "install_path", json_string(f->install_path));
		json_array_append_new(files, fo);
	}
	json_object_set_new(o, "files", files);
	for (int i = 0; i < p->n_passwords; i++) {
		json_t *po = json_object();
		json_object_set_new(po, "name", json_string(p->passwords[i].name));
		json_object_set_new(po, "default", p->passwords[i].product_default
		                                       ? json_string(p->passwords[i].product_default)
		                                       : json_null());
		json_array_append_new(pws, po);
	}
	json_object_set_new(o, "passwords", pws);
	for (int i = 0; i < p->n_steps; i++) {
		const struct ucpki_profile_step *s = &p->steps[i];
		json_t *so = json_object();
		json_object_set_new(so, "kind", json_string(ucpki_step_kind_name(s->kind)));
		if (s->text)
			json_object_set_new(so, "text", json_string(s->text));
		if (s->file)
			json_object_set_new(so, "file", json_string(s->file));
		if (s->path)
			json_object_set_new(so, "path", json_string(s->path));
		if (s->store)
			json_object_set_new(so, "store", json_string(s->store->id));
		json_array_append_new(steps, so);
	}
	json_object_set_new(o, "install_steps", steps);
	json_object_set_new(o, "install_host", json_string(p->host_os));
	json_object_set_new(o, "install_owner", p->owner ? json_string(p->owner) : json_null());
	json_object_set_new(o, "stores", stores_json(p));
	if (p->pkcs12_reason)
		json_object_set_new(o, "pkcs12", json_pack("{s:s, s:s}", "encryption",
		                                           p->pkcs12_legacy ? "legacy" : "aes",
		                                           "reason", p->pkcs12_reason));
	json_object_set_new(o, "restart", p->restart ? json_string(p->restart) : json_null());
	for (int i = 0; i < p->n_endpoints; i++) {
		json_t *eo = json_object();
		json_object_set_new(eo, "port", json_integer(p->endpoints[i].port));
		json_object_set_new(eo, "protocol", json_string(p->endpoints[i].protocol));
		json_array_append_new(eps, eo);
	}
	json_object_set_new(o, "endpoints", eps);
	return o;
}

static void print_list(const char *label, const char *const *v, int n)
{
	if (n <= 0)
		return;
	printf("  %-22s", label);
	for (int i = 0; i < n; i++)
		printf("%s%s", i ? ", " : "", v[i]);
	printf("\n");
}

static void profile_text(const struct ucpki_profile *p)
{
	char buf[256];

	printf("%s: %s (guide %s)\n", p->id, p->name, p->guide);
	if (p->summary[0])
		printf("  %s\n", p->summary);
	printf("  %-22s%s\n", "versions", ucpki_profile_versions_string(p, buf, sizeof(buf)));
	for (int i = 0; i < p->n_vrules; i++) {
		const struct ucpki_version_rule *r = &p->vrules[i];
		char range[32];
		if (r->hi == 0)
			snprintf(range, sizeof(range), "V%d+", r->lo);
		else if (r->hi == r->lo)
			snprintf(range, sizeof(range), "V%d", r->lo);
		else
			snprintf(range, sizeof(range), "V%d-%d", r->lo, r->hi);
		if (r->hash)
			printf("  %-22s%s\n", range, r->hash);
		else
			printf("  %-22swarning: %s\n", range, r->warning);
	}
	printf("  %-22s%s\n", "notAfter before 2038", p->clamp_2038 ? "yes (R5)" : "no");
	printf("  %-22s%s\n", "certificate", ucpki_identity_name(p->identity));
	if (p->identity != UCPKI_IDENT_NONE) {
		printf("  %-22s%s\n", "EKU", p->eku[0] ? p->eku : "(none)");
		print_list("keys", p->keys, p->n_keys);
		print_list("requires EKU", p->require_eku, p->n_require_eku);
		print_list("forbids EKU", p->forbid_eku, p->n_forbid_eku);
		print_list("forbids extension", p->forbid_ext, p->n_forbid_ext);
		if (p->n_critical_ok >= 0)
			printf("  %-22s%s\n", "critical allowed",
			       p->n_critical_ok ? "" : "(none)");
		print_list("critical allowed", p->critical_ok, p->n_critical_ok);
		print_list("extra SANs", p->san_extra, p->n_san_extra);
		print_list("required SANs", p->san_require, p->n_san_require);
	}
	printf("  %-22s%s\n", "peers verify", p->verify_level);
	printf("files:\n");
	for (int i = 0; i < p->n_files; i++) {
		const struct ucpki_profile_file *f = &p->files[i];
		char content[128];
		printf("  %-30s %-7s %s", f->name, ucpki_container_name(f->container),
		       f->copy_of ? "" : content_string(f, content, sizeof(content)));
		if (f->copy_of)
			printf("copy of %s", f->copy_of);
		if (f->alias)
			printf("; alias %s", f->alias);
		if (f->password)
			printf("; password %s", f->password);
		if (f->encrypted)
			printf("; key encrypted");
		if (f->key_form_required)
			printf("; key %s required", ucpki_key_form_name(f->key_form));
		if (f->when)
			printf("; only with option %s", f->when);
		printf("\n");
	}
	for (int i = 0; i < p->n_passwords; i++)
		printf("password %s: product default %s\n", p->passwords[i].name,
		       p->passwords[i].product_default ? p->passwords[i].product_default : "(none)");
	printf("install (%s host, %s %04o):\n", p->host_os, p->owner ? p->owner : "-",
	       (unsigned)p->mode);
	for (int i = 0; i < p->n_steps; i++) {
		const struct ucpki_profile_step *s = &p->steps[i];
		printf("  %2d. %-7s %s%s%s%s%s\n", i + 1, ucpki_step_kind_name(s->kind),
		       s->file ? s->file : "", s->file && s->path ? " -> " : "", s->path ? s->path : "",
		       s->text && s->path ? ": " : "", s->text ? s->text : "");
	}
	if (p->restart)
		printf("  restart once per host: %s\n", p->restart);
	if (p->pkcs12_reason)
		printf("pkcs12: %s (%s)\n",
		       p->pkcs12_legacy ? "legacy: PBE-SHA1-3DES, SHA-1 MAC" : "aes: AES-256-CBC/PBKDF2, SHA-256 MAC",
		       p->pkcs12_reason);
	for (int i = 0; i < p->n_notes; i++)
		printf("note: %s\n", p->notes[i]);
}

static int cmd_profiles_show(struct cli *c, int argc, char **argv)
{
	static const struct opt opts[] = {OPT_END};
	const struct ucpki_profile *p;
	struct ucpki_profile_set *set;
	char **pos;
	int npos, done, rc;

	rc = cli_parse(c, cli_cmd("profiles show"), opts, NULL, argc, argv, &pos, &npos, 1, 1,
	               &done);
	if (done)
		return rc;
	if ((set = load_profiles(c)) == NULL)
		return cli_fail(c);
	if ((p = ucpki_profiles_find(set, pos[0], &c->err)) == NULL) {
		ucpki_profiles_free(set);
		return cli_fail(c);
	}
	if (c->json)
		json_object_set_new(cli_json_obj(c), "profile", profile_json(p));
	else
		profile_text(p);
	ucpki_profiles_free(set);
	cli_emit(c);
	return 0;
}


/* --- lint ---------------------------------------------------------------- */

struct lint_args {
	const char *profile, *password_file;
	int version, expiring, rules, bundle;
};

static void print_finding(const struct ucpki_finding *f)
{
	printf("%s%s%s %s: %s (%s)\n", f->file, f->file[0] ? ": " : "",
	       ucpki_severity_name(f->severity), f->rule->id, f->msg, f->rule->ref);
}

json_t *cli_lint_findings_json(const struct ucpki_lint *l);
json_t *cli_lint_findings_json(const struct ucpki_lint *l)
{
	json_t *arr = json_array();

	for (int i = 0; i < ucpki_lint_count(l); i++) {
		const struct ucpki_finding *f = ucpki_lint_at(l, i);
		json_t *o = json_object();
		json_object_set_new(o, "file", json_string(f->file));
		json_object_set_new(o, "rule", json_string(f->rule->id));
		json_object_set_new(o, "severity", json_string(ucpki_severity_name(f->severity)));
		json_object_set_new(o, "message", json_string(f->msg));
		json_object_set_new(o, "ref", json_string(f->rule->ref));
		json_array_append_new(arr, o);
	}
	return arr;
}

static int list_rules(struct cli *c)
{
	int n;
	const struct ucpki_lint_rule *r = ucpki_lint_rules(&n);
	static const char *const scopes[] = {"always", "profile", "solution"};
	json_t *arr = c->json ? json_array() : NULL;

	for (int i = 0; i < n; i++) {
		if (arr) {
			json_t *o = json_object();
			json_object_set_new(o, "id", json_string(r[i].id));
			json_object_set_new(o, "severity", json_string(ucpki_severity_name(r[i].severity)));
			json_object_set_new(o, "severity_with_profile",
			                    json_string(ucpki_severity_name(r[i].severity_profile)));
			json_object_set_new(o, "scope", json_string(scopes[r[i].scope]));
			json_object_set_new(o, "ref", json_string(r[i].ref));
			json_object_set_new(o, "summary", json_string(r[i].summary));
			json_array_append_new(arr, o);
		} else {
			char sev[32];
			if (r[i].scope == UCPKI_SCOPE_ALWAYS && r[i].severity != r[i].severity_profile)
				snprintf(sev, sizeof(sev), "%s/%s", ucpki_severity_name(r[i].severity),
				         ucpki_severity_name(r[i].severity_profile));
			else
				snprintf(sev, sizeof(sev), "%s", ucpki_severity_name(r[i].severity_profile));
			printf("%-22s %-15s %-9s %s (%s)\n", r[i].id, sev, scopes[r[i].scope],
			       r[i].summary, r[i].ref);
		}
	}
	if (arr)
		json_object_set_new(cli_json_obj(c), "rules", arr);
	cli_emit(c);
	return 0;
}

static int cmd_lint(struct cli *c, int argc, char **argv)
{
	static const struct opt opts[] = {
		{"profile", OPT_STR, offsetof(struct lint_args, profile), "ID",
		 "apply a product profile (files matched by name, else by content)"},
		{"version", OPT_INT, offsetof(struct lint_args, version), "N",
		 "solution version (rule R4: SHA-1 for 4-6, SHA-256 from 7)", OPT_RANGE(4, 99)},
		{"expiring", OPT_INT, offsetof(struct lint_args, expiring), "DAYS",
		 "warn about certificates expiring within DAYS (default 30)", OPT_RANGE(1, 36500)},
		{"password-file", OPT_STR, offsetof(struct lint_args, password_file), "FILE",
		 "password of PKCS#12/JKS files and encrypted keys", OPT_ENV("UCPKI_PASSWORD")},
		{"bundle", OPT_FLAG, offsetof(struct lint_args, bundle), NULL,
		 "the files are the product's whole bundle: report missing ones"},
		{"rules", OPT_FLAG, offsetof(struct lint_args, rules), NULL, "list the rules and exit"},
		OPT_END,
	};
	struct lint_args a = {0};
	struct ucpki_lint_opts lo = {0};
	struct ucpki_profile_set *set = NULL;
	struct ucpki_lint *l = NULL;
	char **pos, *pass = NULL;
	int npos, done, rc = 2, errors;

	rc = cli_parse(c, cli_cmd("lint"), opts, &a, argc, argv, &pos, &npos, 0, -1, &done);
	if (done)
		return rc;
	if (a.rules)
		return list_rules(c);
	if (npos == 0)
		return cli_usage(c, "expected FILE... (see 'ucpki lint --help')");
	if (a.version < 0 || a.version > 99)
		return cli_usage(c, "--version %d is not a solution version (4..99)", a.version);
	rc = 2;
	if (a.profile) {
		if ((set = load_profiles(c)) == NULL ||
		    (lo.profile = ucpki_profiles_find(set, a.profile, &c->err)) == NULL)
			goto fail;
	}
	lo.version = a.version;
	lo.expiring_days = a.expiring;
	lo.bundle_complete = a.bundle;
	if (cli_password_opt(c, opts, "password-file", a.password_file, &pass) != 0 ||
	    (l = ucpki_lint_new(&lo, &c->err)) == NULL)
		goto fail;
	for (int i = 0; i < npos; i++)
		if (ucpki_lint_add_file(l, pos[i], NULL, NULL, pass, &c->err) != 0)
			goto fail;
	if (ucpki_lint_run(l, &c->err) != 0)
		goto fail;
	errors = ucpki_lint_tally(l, UCPKI_SEV_ERROR);
	if (c->json) {
		json_t *o = cli_json_obj(c), *files = json_array();
		for (int i = 0; i < npos; i++)
			json_array_append_new(files, json_string(pos[i]));
		json_object_set_new(o, "files", files);
		if (lo.profile)
			json_object_set_new(o, "profile", json_string(lo.profile->id));
		json_object_set_new(o, "findings", cli_lint_findings_json(l));
		json_object_set_new(o, "errors", json_integer(errors));
		json_object_set_new(o, "warnings", json_integer(ucpki_lint_tally(l, UCPKI_SEV_WARNING)));
		json_object_set_new(o, "notices", json_integer(ucpki_lint_tally(l, UCPKI_SEV_NOTICE)));
	} else {
		for (int i = 0; i < ucpki_lint_count(l); i++)
			if (!c->quiet || ucpki_lint_at(l, i)->severity == UCPKI_SEV_ERROR)
				print_finding(ucpki_lint_at(l, i));
		if (!c->quiet)
			printf("%d error%s, %d warning%s, %d notice%s in %d file%s\n", errors,
			       errors == 1 ? "" : "s", ucpki_lint_tally(l, UCPKI_SEV_WARNING),
			       ucpki_lint_tally(l, UCPKI_SEV_WARNING) == 1 ? "" : "s",
			       ucpki_lint_tally(l, UCPKI_SEV_NOTICE),
			       ucpki_lint_tally(l, UCPKI_SEV_NOTICE) == 1 ? "" : "s", npos,
			       npos == 1 ? "" : "s");
	}
	rc = errors ? 1 : 0;
	ucpki_lint_free(l);
	ucpki_profiles_free(set);
	ucpki_secret_free(pass);
	cli_emit(c);
	return rc;
fail:
	ucpki_lint_free(l);
	ucpki_profiles_free(set);
	ucpki_secret_free(pass);
	return cli_fail(c);
}

/* --- solution plan | issue | lint | status --------------------------------- */

struct sol_args {
	const char *out, *renew_nodes;
	int renew, renew_within, threads, expiring;
};

#define SOL_OUT_OPT                                                                        \
	{"out", OPT_STR, offsetof(struct sol_args, out), "DIR",                             \
	 "output directory (default ./deploy)"}

/* --- tables: column widths from the content, long cells cut with "..." ----- */

#define TABLE_COLS 8
#define TABLE_KEEP 20          /* rows an issue run shows above TABLE_FULL nodes */
#define TABLE_FULL 100

struct table {
	int ncol;
	const char *head[TABLE_COLS];
	int cap[TABLE_COLS];       /* widest a column gets */
	int width[TABLE_COLS];
	char **cells;              /* nrows * ncol */
	int nrows, caprows;
	int limit;                 /* rows kept; 0 = all */
	int total;                 /* rows added */
};

static void table_init(struct table *t, const char *const *head, const int *cap, int ncol,
                       int limit)
{
	memset(t, 0, sizeof(*t));
	t->ncol = ncol;
	t->limit = limit;
	for (int i = 0; i < ncol; i++) {
		t->head[i] = head[i];
		t->cap[i] = cap[i];
		t->width[i] = (int)strlen(head[i]);
	}
}

static int table_add(struct table *t, const char *const *v)
{
	t->total++;
	if (t->limit && t->nrows >= t->limit)
		return 0;
	if (t->nrows == t->caprows) {
		int ncap = t->caprows ? 2 * t->caprows : 64;
		char **nc = realloc(t->cells, (size_t)ncap * (size_t)t->ncol * sizeof(*nc));
		if (nc == NULL)
			return -1;
		t->cells = nc;
		t->caprows = ncap;
	}
	for (int i = 0; i < t->ncol; i++) {
		int w = (int)strlen(v[i]);
		t->cells[t->nrows * t->ncol + i] = strdup(v[i]);
		if (w > t->width[i])
			t->width[i] = w > t->cap[i] ? t->cap[i] : w;
	}
	t->nrows++;
	return 0;
}

/* s in at most width columns: cut with "..." when longer. */
static const char *fit(const char *s, int width, char *buf, size_t len)
{
	if (s == NULL)
		return "";
	if ((int)strlen(s) <= width || width < 4)
		return s;
	snprintf(buf, len, "%.*s...", width - 3, s);
	return buf;
}

static void table_row(const struct table *t, const char *const *v)
{
	char buf[512];

	for (int i = 0; i < t->ncol; i++) {
		const char *cell = fit(v[i], t->width[i], buf, sizeof(buf));
		if (i == t->ncol - 1)
			printf("%s\n", cell);
		else
			printf("%-*s ", t->width[i], cell);
	}
}

static void table_print(const struct table *t)
{
	table_row(t, t->head);
	for (int r = 0; r < t->nrows; r++)
		table_row(t, (const char *const *)&t->cells[r * t->ncol]);
}

static void table_free(struct table *t)
{
	for (int i = 0; i < t->nrows * t->ncol; i++)
		free(t->cells[i]);
	free(t->cells);
	memset(t, 0, sizeof(*t));
}

/* --- pre-issuance violations ------------------------------------------------ */

struct violations {
	struct cli *c;
	const char *inventory;
	json_t *arr;
};

/* One line each on stderr: "INV:LINE: node N: RULE (TAG): what: fix". */
static int print_violation(void *arg, const struct ucpki_violation *v)
{
	struct violations *vs = arg;

	if (v->node[0])
		fprintf(stderr, "ucpki: %s:%d: node %s: ", vs->inventory, v->line, v->node);
	else
		fprintf(stderr, "ucpki: %s: ", vs->inventory);
	fprintf(stderr, "%s%s%s%s: %s: %s\n", v->rule, v->tag[0] ? " (" : "", v->tag,
	        v->tag[0] ? ")" : "", v->msg, v->fix);
	return 0;
}

struct sol {
	struct ucpki_profile_set *profiles;
	struct ucpki_inventory *inv;
	struct ucpki_solution_opts o;
};

static void sol_free(struct sol *s)
{
	ucpki_inventory_free(s->inv);
	ucpki_profiles_free(s->profiles);
}

/* Profiles, then the inventory: bad input stops here, nothing touched. */
static int sol_load(struct cli *c, const char *path, const struct sol_args *a, struct sol *s)
{
	memset(s, 0, sizeof(*s));
	s->o.out_dir = a->out ? a->out : "deploy";
	s->o.renew = a->renew;
	s->o.renew_nodes = a->renew_nodes;
	s->o.renew_within = a->renew_within;
	s->o.threads = a->threads;
	if (a->renew_within < 0 || a->threads < 0 || a->threads > 64 || a->expiring < 0)
		return ucpki_err_set(&c->err, UCPKI_E_INPUT,
		                     "--renew-within, --expiring and --threads take positive numbers");
	if ((s->profiles = load_profiles(c)) == NULL)
		return -1;
	if ((s->inv = ucpki_inventory_load(path, s->profiles, &c->warn, &c->err)) == NULL)
		return -1;
	return 0;
}

static const char *when_text(time_t t, char *buf, size_t len)
{
	if (t == 0)
		return "-";
	ucpki_time_string(t, buf, len);
	if (strlen(buf) > 10)
		buf[10] = '\0';
	return buf;
}

struct plan_report {
	struct cli *c;
	int rows;
};

static int plan_row(void *arg, const struct ucpki_plan_node *n)
{
	struct plan_report *rep = arg;
	struct cli *c = rep->c;
	char when[32], nbuf[32], pbuf[32];

	if (rep->rows++ == 0 && !c->json && !c->quiet)
		printf("%-16s %-22s %-8s %-9s %-6s %-10s %s\n", "NODE", "PRODUCTS", "ACTION", "KEY",
		       "HASH", "NOT AFTER", "NAMES");

	if (c->json) {
		json_t *o = json_object();
		json_object_set_new(o, "name", json_string(n->name));
		json_object_set_new(o, "products", cli_list_json(n->products));
		json_object_set_new(o, "line", json_integer(n->line));
		json_object_set_new(o, "version", json_integer(n->version));
		json_object_set_new(o, "action", json_string(ucpki_node_action_name(n->action)));
		json_object_set_new(o, "reason", json_string(n->reason));
		json_object_set_new(o, "ca", json_string(n->ca));
		json_object_set_new(o, "subject", json_string(n->subject));
		json_object_set_new(o, "sans", cli_sans_json(n->sans));
		json_object_set_new(o, "eku", json_string(n->eku));
		json_object_set_new(o, "key", json_string(n->key));
		json_object_set_new(o, "hash", json_string(n->hash));
		json_object_set_new(o, "days", json_integer(n->days));
		json_object_set_new(o, "not_after", n->not_after ? json_string(ucpki_time_string(
		                                                   n->not_after, when, sizeof(when)))
		                                             : json_null());
		json_object_set_new(o, "clamped_2038", json_boolean(n->clamped_2038));
		json_object_set_new(o, "serial", cli_serial_json(n->serial));
		json_object_set_new(o, "files", json_integer(n->n_files));
		json_object_set_new(o, "warnings", json_string(n->warnings));
		json_array_append_new(json_object_get(c->out, "nodes"), o);
		return 0;
	}
	printf("%-16s %-22s %-8s %-9s %-6s %-10s %s\n", fit(n->name, 16, nbuf, sizeof(nbuf)),
	       fit(n->products, 22, pbuf, sizeof(pbuf)), ucpki_node_action_name(n->action),
	       n->key[0] ? n->key : "-", n->hash, when_text(n->not_after, when, sizeof(when)),
	       n->sans[0] ? n->sans : "-");
	if (strlen(n->name) > 16 || strlen(n->products) > 22)
		printf("%-16s   node %s, products %s\n", "", n->name, n->products);
	printf("%-16s   why: %s%s\n", "", n->reason,
	       n->clamped_2038 ? "; notAfter clamped before 2038 (R5)" : "");
	if (n->subject[0])
		printf("%-16s   subject: %s; EKU %s; %d files\n", "", n->subject,
		       n->eku[0] ? n->eku : "none", n->n_files);
	if (n->warnings[0]) {
		char buf[1024], *save = NULL, *tok;
		snprintf(buf, sizeof(buf), "%s", n->warnings);
		for (tok = strtok_r(buf, "\n", &save); tok; tok = strtok_r(NULL, "\n", &save))
			printf("%-16s   warning: %s\n", "", tok);
	}
	return 0;
}

/* An existing state, or none (plan and status do not create one). */
static struct ucpki_state *existing_state(struct cli *c)
{
	char db[4096];

	snprintf(db, sizeof(db), "%s/ucpki.db", cli_state_dir(c));
	if (access(db, F_OK) != 0)
		return NULL;
	return cli_state(c);
}

/* sol_load(), then the existing state if there is one (*st NULL when there
 * is none; a state that exists but cannot be opened is an error). On
 * failure s is already freed. */
static int sol_load_with_state(struct cli *c, const char *path, const struct sol_args *a,
                               struct sol *s, struct ucpki_state **st)
{
	*st = NULL;
	if (sol_load(c, path, a, s) != 0) {
		sol_free(s);
		return -1;
	}
	*st = existing_state(c);
	if (*st == NULL && c->err.code != UCPKI_OK) {
		sol_free(s);
		return -1;
	}
	return 0;
}

static int cmd_solution_plan(struct cli *c, int argc, char **argv)
{
	static const struct opt opts[] = {
		SOL_OUT_OPT,
		{"renew", OPT_FLAG, offsetof(struct sol_args, renew), NULL, "as issue --renew"},
		{"renew-node", OPT_LIST, offsetof(struct sol_args, renew_nodes), "NAME",
		 "as issue --renew-node (repeatable)"},
		{"renew-within", OPT_INT, offsetof(struct sol_args, renew_within), "DAYS",
		 "as issue --renew-within", OPT_RANGE(1, 36500)},
		OPT_END,
	};
	struct sol_args a = {0};
	struct sol s;
	struct ucpki_state *st;
	struct violations vs = {c, NULL, NULL};
	struct plan_report pr = {c, 0};
	char **pos;
	int npos, done, rc;

	rc = cli_parse(c, cli_cmd("solution plan"), opts, &a, argc, argv, &pos, &npos, 1, 1, &done);
	if (done)
		return rc;
	if (sol_load_with_state(c, pos[0], &a, &s, &st) != 0)
		return cli_fail(c);
	vs.inventory = pos[0];
	s.o.violation = print_violation;
	s.o.violation_arg = &vs;
	if (c->json) {
		json_object_set_new(cli_json_obj(c), "solution",
		                    json_string(ucpki_inventory_solution(s.inv)));
		json_object_set_new(c->out, "out", json_string(s.o.out_dir));
		json_object_set_new(c->out, "nodes", json_array());
	}
	rc = ucpki_solution_plan(st, s.inv, &s.o, plan_row, &pr, &c->warn, &c->err);
	sol_free(&s);
	if (rc != 0)
		return cli_fail(c);
	cli_emit(c);
	return 0;
}

static void progress(void *arg, int done, int total)
{
	int width = 40, fill = total ? (int)((long)done * width / total) : width;

	(void)arg;
	if (done % 50 != 0 && done != total)
		return;
	fprintf(stderr, "\r  issuing [%.*s%*s] %d/%d", fill,
	        "########################################", width - fill, "", done, total);
	if (done == total)
		fprintf(stderr, "\n");
}

/* The node table of issue and status: kept rows, counts by state. */
struct issue_report {
	struct cli *c;
	struct table t;
	int attention;
	const char *states[16];
	int counts[16];
	int n_states;
};

static void status_table_init(struct issue_report *r, struct cli *c, int limit)
{
	static const char *const head[] = {"NODE", "PRODUCTS", "SERIAL", "EXPIRES", "LINT", "STATE"};
	static const int cap[] = {32, 40, 40, 12, 10, 60};

	memset(r, 0, sizeof(*r));
	r->c = c;
	table_init(&r->t, head, cap, 6, limit);
}

static void count_state(struct issue_report *r, const char *state)
{
	for (int i = 0; i < r->n_states; i++)
		if (strcmp(r->states[i], state) == 0) {
			r->counts[i]++;
			return;
		}
	if (r->n_states < 16) {
		r->states[r->n_states] = state;
		r->counts[r->n_states++] = 1;
	}
}

/* The table, and what was left out of it. */
static void status_table_print(struct issue_report *r, const char *hint)
{
	table_print(&r->t);
	if (r->t.total > r->t.nrows) {
		printf("... and %d more nodes (%s)\n", r->t.total - r->t.nrows, hint);
		printf("all %d nodes:", r->t.total);
		for (int i = 0; i < r->n_states; i++)
			printf("%s %d %s", i ? "," : "", r->counts[i], r->states[i]);
		printf("\n");
	}
}

static int status_row(void *arg, const struct ucpki_node_status *r);

static void issue_summary(struct cli *c, const struct sol *s, const struct ucpki_issue_summary *m)
{
	const struct ucpki_timing *t = &m->t;

	if (c->json) {
		json_t *o = cli_json_obj(c), *tj = json_object();
		json_object_set_new(o, "solution", json_string(ucpki_inventory_solution(s->inv)));
		json_object_set_new(o, "out", json_string(s->o.out_dir));
		json_object_set_new(o, "nodes", json_integer(m->nodes));
		json_object_set_new(o, "issued", json_integer(m->issued));
		json_object_set_new(o, "reused", json_integer(m->reused));
		json_object_set_new(o, "ca_only", json_integer(m->ca_only));
		json_object_set_new(o, "files", json_integer(m->files));
		json_object_set_new(o, "lint_errors", json_integer(m->lint_errors));
		json_object_set_new(o, "lint_warnings", json_integer(m->lint_warnings));
		json_object_set_new(tj, "total", json_real(t->total));
		json_object_set_new(tj, "setup", json_real(t->setup));
		json_object_set_new(tj, "keygen", json_real(t->keygen));
		json_object_set_new(tj, "sign", json_real(t->sign));
		json_object_set_new(tj, "package", json_real(t->package));
		json_object_set_new(tj, "lint", json_real(t->lint));
		json_object_set_new(tj, "record", json_real(t->record));
		json_object_set_new(tj, "write", json_real(t->write));
		json_object_set_new(tj, "threads", json_integer(t->threads));
		json_object_set_new(o, "timing", tj);
		return;
	}
	if (c->quiet)
		return;
	printf("\n%s: %d nodes - %d issued, %d reused, %d CA certificates only; %d files in %s "
	       "(manifest.json)\n", ucpki_inventory_solution(s->inv), m->nodes, m->issued, m->reused,
	       m->ca_only, m->files, s->o.out_dir);
	printf("lint: %d errors, %d warnings (details: ucpki solution lint)\n", m->lint_errors,
	       m->lint_warnings);
	printf("time: %.2f s; thread-seconds on %d threads: keys %.2f, signing %.2f, packaging "
	       "%.2f, lint %.2f; state %.2f s, writing %.2f s, setup %.2f s\n", t->total, t->threads,
	       t->keygen, t->sign, t->package, t->lint, t->record, t->write, t->setup);
}

/* The pre-issuance checks before anything exists: issue creates the state
 * only once they pass (the library runs them again before the CAs). */
static int issue_precheck(struct cli *c, const char *path, const struct sol *s)
{
	struct violations vs = {c, path, NULL};
	struct ucpki_state *st = existing_state(c);
	int n = 0;

	if (st == NULL && c->err.code != UCPKI_OK)
		return -1;
	if (ucpki_solution_check(st, s->inv, print_violation, &vs, &n, &c->err) != 0)
		return -1;
	if (n > 0)
		return ucpki_err_set(&c->err, UCPKI_E_POLICY,
		                     "%s: %d pre-issuance check%s failed: nothing was issued or written",
		                     path, n, n == 1 ? "" : "s");
	return 0;
}

static int cmd_solution_issue(struct cli *c, int argc, char **argv)
{
	static const struct opt opts[] = {
		SOL_OUT_OPT,
		{"renew", OPT_FLAG, offsetof(struct sol_args, renew), NULL,
		 "reissue every node, even unchanged ones"},
		{"renew-node", OPT_LIST, offsetof(struct sol_args, renew_nodes), "NAME",
		 "reissue this node, even if unchanged (repeatable)"},
		{"renew-within", OPT_INT, offsetof(struct sol_args, renew_within), "DAYS",
		 "reissue nodes whose certificate expires within DAYS", OPT_RANGE(1, 36500)},
		{"threads", OPT_INT, offsetof(struct sol_args, threads), "N",
		 "worker threads (default: one per CPU)", OPT_RANGE(1, 64)},
		OPT_END,
	};
	struct sol_args a = {0};
	struct ucpki_state_opts so;
	struct ucpki_issue_summary sum;
	struct violations vs = {c, NULL, NULL};
	struct sol s;
	char **pos;
	int npos, done, rc;

	rc = cli_parse(c, cli_cmd("solution issue"), opts, &a, argc, argv, &pos, &npos, 1, 1,
	               &done);
	if (done)
		return rc;
	if (sol_load(c, pos[0], &a, &s) != 0 || issue_precheck(c, pos[0], &s) != 0) {
		sol_free(&s);
		return cli_fail(c);
	}
	vs.inventory = pos[0];
	s.o.violation = print_violation;
	s.o.violation_arg = &vs;
	if (cli_lock_timeout_ms(c, &s.o.lock_wait_ms) != 0) {
		sol_free(&s);
		return 2;
	}
	if (s.o.lock_wait_ms == 0)
		s.o.lock_wait_ms = -1; /* --lock-timeout 0: do not wait */
	/* OUT and the CA source before a state exists: a failure leaves none */
	if (ucpki_solution_validate(s.inv, cli_state_dir(c), &s.o, &c->err) != 0) {
		sol_free(&s);
		return cli_fail(c);
	}
	cli_state_opts(c, &so);
	/* a new state exists only once the run succeeded (publish below) */
	if (c->st == NULL && (c->st = ucpki_state_open_or_create(&so, &c->warn, &c->err)) == NULL) {
		sol_free(&s);
		return cli_fail(c);
	}
	if (!c->quiet && !c->json && isatty(STDERR_FILENO) &&
	    ucpki_inventory_node_count(s.inv) > 20) {
		s.o.progress = progress;
		s.o.progress_arg = c;
	}
	if (ucpki_solution_issue(c->st, s.inv, &s.o, &sum, &c->warn, &c->err) != 0 ||
	    ucpki_state_publish(c->st, &c->err) != 0) {
		sol_free(&s);
		return cli_fail(c);
	}
	if (!c->json && !c->quiet) {
		struct issue_report r;
		status_table_init(&r, c, sum.nodes > TABLE_FULL ? TABLE_KEEP : 0);
		ucpki_solution_status(c->st, s.inv, s.o.out_dir, 0, 0, status_row, &r, NULL);
		status_table_print(&r, "'ucpki solution status' lists every node");
		table_free(&r.t);
	}
	issue_summary(c, &s, &sum);
	rc = sum.lint_errors ? 1 : 0;
	sol_free(&s);
	cli_emit(c);
	return rc;
}

struct lint_report {
	struct cli *c;
	json_t *arr;
};

static int solution_finding(void *arg, const char *node, const struct ucpki_finding *f)
{
	struct lint_report *r = arg;

	if (r->arr) {
		json_t *o = json_object();
		json_object_set_new(o, "node", json_string(node));
		json_object_set_new(o, "file", json_string(f->file));
		json_object_set_new(o, "rule", json_string(f->rule->id));
		json_object_set_new(o, "severity", json_string(ucpki_severity_name(f->severity)));
		json_object_set_new(o, "message", json_string(f->msg));
		json_object_set_new(o, "ref", json_string(f->rule->ref));
		json_array_append_new(r->arr, o);
	} else if (!r->c->quiet || f->severity == UCPKI_SEV_ERROR) {
		printf("%s%s", node[0] ? node : "solution", node[0] ? "/" : ": ");
		print_finding(f);
	}
	return 0;
}

static int cmd_solution_lint(struct cli *c, int argc, char **argv)
{
	static const struct opt opts[] = {SOL_OUT_OPT, OPT_END};
	struct sol_args a = {0};
	struct lint_report r = {c, NULL};
	struct sol s;
	char **pos;
	int npos, done, rc, errors = 0, warnings = 0;

	rc = cli_parse(c, cli_cmd("solution lint"), opts, &a, argc, argv, &pos, &npos, 1, 1, &done);
	if (done)
		return rc;
	if (sol_load(c, pos[0], &a, &s) != 0) {
		sol_free(&s);
		return cli_fail(c);
	}
	if (c->json)
		json_object_set_new(cli_json_obj(c), "findings", r.arr = json_array());
	rc = ucpki_solution_lint(s.inv, s.o.out_dir, solution_finding, &r, &errors, &warnings,
	                         &c->err);
	sol_free(&s);
	if (rc != 0)
		return cli_fail(c);
	if (c->json) {
		json_object_set_new(c->out, "errors", json_integer(errors));
		json_object_set_new(c->out, "warnings", json_integer(warnings));
	} else if (!c->quiet) {
		printf("%d error%s, %d warning%s\n", errors, errors == 1 ? "" : "s", warnings,
		       warnings == 1 ? "" : "s");
	}
	cli_emit(c);
	return errors ? 1 : 0;
}

static int status_row(void *arg, const struct ucpki_node_status *r)
{
	struct issue_report *rep = arg;
	struct cli *c = rep->c;
	char lint[32], expires[32], state[160];
	const char *row[6];

	rep->attention += r->attention != NULL;
	count_state(rep, r->state);
	if (c->json) {
		json_t *o = json_object();
		char when[32];
		json_object_set_new(o, "name", json_string(r->name));
		json_object_set_new(o, "products", cli_list_json(r->products));
		json_object_set_new(o, "serial", cli_serial_json(r->serial));
		json_object_set_new(o, "ca", json_string(r->ca));
		json_object_set_new(o, "not_after", r->not_after ? json_string(ucpki_time_string(
		                                                   r->not_after, when, sizeof(when)))
		                                             : json_null());
		json_object_set_new(o, "days_left",
		                    r->not_after ? json_integer(r->expires_in_days) : json_null());
		json_object_set_new(o, "state", json_string(r->state));
		json_object_set_new(o, "attention", r->attention ? json_string(r->attention)
		                                                 : json_null());
		json_object_set_new(o, "lint_errors", json_integer(r->lint_errors));
		json_object_set_new(o, "lint_warnings", json_integer(r->lint_warnings));
		json_object_set_new(o, "location", json_string(r->location));
		json_array_append_new(json_object_get(c->out, "nodes"), o);
		return 0;
	}
	if (r->lint_errors)
		snprintf(lint, sizeof(lint), "%d err", r->lint_errors);
	else if (r->lint_warnings)
		snprintf(lint, sizeof(lint), "%d warn", r->lint_warnings);
	else
		snprintf(lint, sizeof(lint), "clean");
	if (r->not_after)
		snprintf(expires, sizeof(expires), "%d days", r->expires_in_days);
	else
		snprintf(expires, sizeof(expires), "-");
	if (r->attention && strcmp(r->attention, r->state) != 0)
		snprintf(state, sizeof(state), "%s (%s)", r->state, r->attention);
	else
		snprintf(state, sizeof(state), "%s", r->state);
	row[0] = r->name;
	row[1] = r->products;
	row[2] = r->serial[0] ? r->serial : "-";
	row[3] = expires;
	row[4] = r->serial[0] ? lint : "-";
	row[5] = state;
	return table_add(&rep->t, row);
}

static int cmd_solution_status(struct cli *c, int argc, char **argv)
{
	static const struct opt opts[] = {
		SOL_OUT_OPT,
		{"expiring", OPT_INT, offsetof(struct sol_args, expiring), "DAYS",
		 "a node expiring within DAYS needs attention (default 30; 0 = off)", OPT_RANGE(0, 36500)},
		OPT_END,
	};
	struct sol_args a = {.expiring = -1};
	struct issue_report r;
	struct ucpki_state *st;
	struct sol s;
	char **pos;
	int npos, done, rc, days;

	rc = cli_parse(c, cli_cmd("solution status"), opts, &a, argc, argv, &pos, &npos, 1, 1,
	               &done);
	if (done)
		return rc;
	days = a.expiring < 0 ? 30 : a.expiring;
	a.expiring = 0;
	if (sol_load_with_state(c, pos[0], &a, &s, &st) != 0)
		return cli_fail(c);
	status_table_init(&r, c, 0);
	if (c->json) {
		json_object_set_new(cli_json_obj(c), "solution",
		                    json_string(ucpki_inventory_solution(s.inv)));
		json_object_set_new(c->out, "nodes", json_array());
	}
	rc = ucpki_solution_status(st, s.inv, s.o.out_dir, 0, days, status_row, &r, &c->err);
	sol_free(&s);
	if (rc != 0) {
		table_free(&r.t);
		return cli_fail(c);
	}
	if (c->json) {
		json_object_set_new(c->out, "attention", json_integer(r.attention));
	} else if (!c->quiet) {
		status_table_print(&r, "--json lists every node");
		if (r.attention)
			printf("%d of %d node%s need%s attention (revoked, changed files, expiring "
			       "within %d days, or lint errors)\n", r.attention, r.t.total,
			       r.t.total == 1 ? "" : "s", r.attention == 1 ? "s" : "", days);
	}
	table_free(&r.t);
	cli_emit(c);
	return r.attention ? 1 : 0;
}

struct probe_args {
	const char *out, *node;
	int timeout_ms;
};

static int probe_row(void *arg, const struct ucpki_node_probe *p)
{
	struct cli *c = arg;
	char when[32], target[300], result[64];

	snprintf(target, sizeof(target), "%s:%d", p->host, p->port);
	if (c->json) {
		json_t *o = json_object();
		json_object_set_new(o, "name", json_string(p->name));
		json_object_set_new(o, "products", cli_list_json(p->products));
		if (p->skipped) {
			json_object_set_new(o, "skipped", json_string(p->skipped));
		} else {
			json_object_set_new(o, "endpoint", json_string(target));
			json_object_set_new(o, "level", json_string(p->level));
			json_object_set_new(o, "issued_serial", cli_serial_json(p->issued_serial));
			json_object_set_new(o, "reached", json_boolean(p->reached));
			if (p->error)
				json_object_set_new(o, "error", json_string(p->error));
		}
		if (p->reached) {
			json_object_set_new(o, "live_serial", cli_serial_json(p->live_serial));
			json_object_set_new(o, "live_subject", json_string(p->live_subject));
			json_object_set_new(o, "ours", json_boolean(p->ours));
			json_object_set_new(o, "not_after",
			                    json_string(ucpki_time_string(p->not_after, when, sizeof(when))));
			json_object_set_new(o, "days_left", json_integer(p->expires_in_days));
			json_object_set_new(o, "accepted", json_boolean(p->accepted));
			json_object_set_new(o, "verdict", json_string(p->verdict));
		}
		json_array_append_new(json_object_get(c->out, "nodes"), o);
		return 0;
	}
	if (p->skipped) {
		printf("%-16s %-24s skipped: %s\n", p->name, "-", p->skipped);
		return 0;
	}
	if (!p->reached) {
		printf("%-16s %-24s UNREACHABLE: %s\n", p->name, target, p->error);
		return 0;
	}
	snprintf(result, sizeof(result), "%s at %s", p->accepted ? "accepted" : "REJECTED", p->level);
	printf("%-16s %-24s %-34s %-6s %5d days  %s\n", p->name, target, p->live_serial,
	       p->ours ? "ours" : "OTHER", p->expires_in_days, result);
	if (!p->ours)
		printf("%-16s   presents %s, not the issued %s\n", "", p->live_subject,
		       p->issued_serial[0] ? p->issued_serial : "(none)");
	if (!p->accepted)
		printf("%-16s   %s\n", "", p->verdict);
	return 0;
}

static int cmd_solution_probe(struct cli *c, int argc, char **argv)
{
	static const struct opt opts[] = {
		{"out", OPT_STR, offsetof(struct probe_args, out), "DIR",
		 "output directory whose manifest tells what was issued (default ./deploy)"},
		{"node", OPT_STR, offsetof(struct probe_args, node), "NAME", "only this node"},
		{"timeout", OPT_INT, offsetof(struct probe_args, timeout_ms), "MS",
		 "connect and handshake timeout in milliseconds, each (default 3000)",
		 OPT_RANGE(1, 600000), OPT_ALIAS("timeout-ms")},
		OPT_END,
	};
	struct probe_args a = {0};
	struct ucpki_solution_probe_opts po = {0};
	struct sol_args sa = {0};
	struct ucpki_state *st;
	struct sol s;
	char **pos;
	int npos, done, rc, failures = 0;

	rc = cli_parse(c, cli_cmd("solution probe"), opts, &a, argc, argv, &pos, &npos, 1, 1, &done);
	if (done)
		return rc;
	if (a.timeout_ms < 0)
		return cli_usage(c, "--timeout takes a positive number");
	sa.out = a.out;
	if (sol_load_with_state(c, pos[0], &sa, &s, &st) != 0)
		return cli_fail(c);
	if (st == NULL) {
		ucpki_err_set(&c->err, UCPKI_E_NOTFOUND, "%s: no state: run 'ucpki solution issue' first",
		              cli_state_dir(c));
		sol_free(&s);
		return cli_fail(c);
	}
	po.out_dir = s.o.out_dir;
	po.timeout_ms = a.timeout_ms;
	po.node = a.node;
	if (c->json) {
		json_object_set_new(cli_json_obj(c), "solution",
		                    json_string(ucpki_inventory_solution(s.inv)));
		json_object_set_new(c->out, "nodes", json_array());
	} else {
		printf("%-16s %-24s %-34s %-6s %10s  %s\n", "NODE", "ENDPOINT", "LIVE SERIAL", "ISSUER",
		       "EXPIRES", "VERDICT");
	}
	rc = ucpki_solution_probe(st, s.inv, &po, probe_row, c, &failures, &c->err);
	sol_free(&s);
	if (rc != 0)
		return cli_fail(c);
	if (c->json)
		json_object_set_new(c->out, "failures", json_integer(failures));
	else if (!c->quiet)
		printf("%d node%s failed (unreachable, not our certificate, or rejected)\n", failures,
		       failures == 1 ? "" : "s");
	cli_emit(c);
	return failures ? 1 : 0;
}

const struct cmd cmds_solution[] = {
	{"profiles list", cmd_profiles_list, "", "List the product profiles (shipped and --profiles DIR)."},
	{"profiles show", cmd_profiles_show, "ID",
	 "Show a product profile: files, certificate rules, versions, install steps."},
	{"lint", cmd_lint, "FILE... [--profile ID] [--version N] [--expiring DAYS] [--password-file F]",
	 "Check certificates, keys and bundles against RFC 5280, rules R1-R12 and a product profile "
	 "(exit 1 on any error)."},
	{"solution plan", cmd_solution_plan,
	 "INVENTORY [--out DIR] [--renew] [--renew-node NAME]... [--renew-within DAYS]",
	 "Show what issue would do for each node, and why, without changing anything."},
	{"solution issue", cmd_solution_issue,
	 "INVENTORY [--out DIR] [--renew] [--renew-node NAME]... [--renew-within DAYS] "
	 "[--threads N]",
	 "Issue every node's certificate and write its product's files, INSTALL.md and "
	 "manifest.json."},
	{"solution lint", cmd_solution_lint, "INVENTORY [--out DIR]",
	 "Lint every written bundle and the solution-wide rules (exit 1 on any error)."},
	{"solution status", cmd_solution_status, "INVENTORY [--out DIR] [--expiring DAYS]",
	 "One line per node: serial, expiry, lint state, whether the files are intact (exit 1 "
	 "when a node is revoked, changed, expiring or failing lint)."},
	{"solution probe", cmd_solution_probe, "INVENTORY [--out DIR] [--node NAME] [--timeout MS]",
	 "Connect to every node's TLS endpoint: is the live certificate ours, when does it "
	 "expire, would the node's clients accept it (exit 1 if not)."},
	CMD_END,
};
