/* Command table of the solution group (see cli.h): profiles, lint, solution. */
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "ucpki/file.h"
#include "ucpki/lint.h"
#include "ucpki/profiles.h"

/* The shipped profiles plus --profiles DIR; loaded once per command. */
static struct ucpki_profile_set *load_profiles(struct cli *c)
{
	return ucpki_profiles_load(UCPKI_PROFILES_DIR, c->profiles_dir, &c->warn, &c->err);
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
		json_array_append_new(steps, so);
	}
	json_object_set_new(o, "install_steps", steps);
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
		 "apply a product profile (files matched by name)"},
		{"version", OPT_INT, offsetof(struct lint_args, version), "N",
		 "solution version (rule R4: SHA-1 for 4-6, SHA-256 from 7)"},
		{"expiring", OPT_INT, offsetof(struct lint_args, expiring), "DAYS",
		 "warn about certificates expiring within DAYS (default 30)"},
		{"password-file", OPT_STR, offsetof(struct lint_args, password_file), "FILE",
		 "password of PKCS#12/JKS files and encrypted keys"},
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
	if (cli_password(c, a.password_file, NULL, &pass) != 0 ||
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

const struct cmd cmds_solution[] = {
	{"profiles list", cmd_profiles_list, "", "List the product profiles (shipped and --profiles DIR)."},
	{"profiles show", cmd_profiles_show, "ID",
	 "Show a product profile: files, certificate rules, versions, install steps."},
	{"lint", cmd_lint, "FILE... [--profile ID] [--version N] [--expiring DAYS] [--password-file F]",
	 "Check certificates, keys and bundles against RFC 5280, rules R1-R12 and a product profile "
	 "(exit 1 on any error)."},
	CMD_END,
};
