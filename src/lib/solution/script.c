/*
 * install.sh of a node on a Linux host: the INSTALL.md steps as a POSIX sh
 * script that checks before it acts (tools found, stores open with their
 * real passwords, files present), changes only what differs, backs up every
 * file before its first change, restarts once per host, and undoes itself
 * with --rollback. Every absolute path is taken under $UCPKI_INSTALL_ROOT
 * (default /), so the script can be run against a copy of a host.
 *
 * The building blocks (put, append, ks_import_key, ...) are
 * install-lib.sh, compiled in; this file writes the calls.
 */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/pem.h>

#include "solution/solution_internal.h"
#include "ucpki/keystore.h"
#include "ucpki/x509.h"

static const char install_lib[] =
#include "install_lib.inc"
    ;

struct sctx {
	struct md *out;
	const struct node_spec *s;
	const struct material *m;
	const struct bundle *b;
	const struct ucpki_profile *p;
	const char *dir;         /* "" or "<product>/" inside the bundle */
};

/* --- quoting and paths -------------------------------------------------- */

/* A word in single quotes. */
static void sq(struct md *o, const char *s)
{
	md_add(o, "'");
	for (; *s; s++)
		md_add(o, *s == '\'' ? "'\\''" : "%c", *s);
	md_add(o, "'");
}

/* A host path: under $ROOT; a glob resolves to its last match. */
static void host_path(struct md *o, const char *path)
{
	if (strchr(path, '*')) {
		md_add(o, "\"$(one ");
		sq(o, path);
		md_add(o, ")\"");
		return;
	}
	md_add(o, "\"$ROOT");
	for (const char *q = path; *q; q++)
		md_add(o, strchr("\"$`\\", *q) ? "\\%c" : "%c", *q);
	md_add(o, "\"");
}

static void bundle_path(struct md *o, const struct sctx *c, const char *file)
{
	md_add(o, "\"$B/%s%s\"", c->dir, file);
}

static void secret_path(struct md *o, const char *name)
{
	md_add(o, "\"$B/secrets/%s.pass\"", name);
}

/* The secret file of a password of the current product. */
static void pw_path(struct md *o, const struct sctx *c, const char *name)
{
	char n[128];

	node_secret_name(c->s->n, c->p, name, n, sizeof(n));
	secret_path(o, n);
}

static const char *store_type(const struct ucpki_profile_store *st)
{
	return strcmp(st->type, "pkcs12") == 0 ? "PKCS12" : "JKS";
}

/* keytool's spelling of a SHA-256 fingerprint. */
static void cert_fp(X509 *x, char out[96 + 1])
{
	unsigned char md[EVP_MAX_MD_SIZE];
	unsigned int n = 0;
	size_t at = 0;

	out[0] = '\0';
	if (x == NULL || !X509_digest(x, EVP_sha256(), md, &n))
		return;
	for (unsigned int i = 0; i < n && at + 3 < 97; i++)
		at += (size_t)snprintf(out + at, 97 - at, "%s%02X", i ? ":" : "", md[i]);
}

/* The alias keytool would show for a CA: its CN, lower-cased, with
 * anything but letters and digits as '-'. */
static void ca_alias(X509 *x, char *buf, size_t len)
{
	char *cn = ucpki_dn_cn(X509_get_subject_name(x));
	size_t j = 0;

	for (const char *q = cn ? cn : "ca"; *q && j + 1 < len; q++)
		buf[j++] = isalnum((unsigned char)*q) ? (char)tolower((unsigned char)*q) : '-';
	buf[j] = '\0';
	free(cn);
}

static const struct out_file *bundle_file(const struct sctx *c, const char *name)
{
	for (int i = 0; i < c->b->n; i++)
		if (c->b->f[i].product == c->p && c->b->f[i].spec &&
		    strcmp(c->b->f[i].spec->name, name) == 0)
			return &c->b->f[i];
	return NULL;
}

const char *step_owner(const struct ucpki_profile *p, const char *file)
{
	const struct ucpki_profile_file *f = file ? ucpki_profile_file_find(p, file) : NULL;
	return f && f->owner ? f->owner : p->owner;
}

unsigned step_mode(const struct ucpki_profile *p, const char *file)
{
	const struct ucpki_profile_file *f = file ? ucpki_profile_file_find(p, file) : NULL;
	return (unsigned)(f && f->mode ? f->mode : p->mode);
}

/* --- values of edit steps ------------------------------------------------- */

/* A value template as a double-quoted shell word: {pass:X} reads the secret,
 * {encoded:X} asks the product's encoder; other placeholders are rendered. */
static void value_word(struct md *o, const struct sctx *c, const char *t)
{
	md_add(o, "\"");
	while (*t) {
		const char *end = strchr(t, '}');
		int pass = *t == '{' && end && strncmp(t, "{pass:", 6) == 0;
		int enc = *t == '{' && end && strncmp(t, "{encoded:", 9) == 0;
		if (pass || enc) {
			char pn[64], sn[128];
			const char *colon = strchr(t, ':');
			snprintf(pn, sizeof(pn), "%.*s", (int)(end - colon - 1), colon + 1);
			node_secret_name(c->s->n, c->p, pn, sn, sizeof(sn));
			if (pass)
				md_add(o, "$(head -n 1 \"$B/secrets/%s.pass\")", sn);
			else
				md_add(o, "$(encoded %s)", sn);
			t = end + 1;
		} else {
			md_add(o, strchr("\"$`\\", *t) ? "\\%c" : "%c", *t);
			t++;
		}
	}
	md_add(o, "\"");
}

static int password_is_default(const struct sctx *c, const char *name)
{
	const struct node_pw *pw = node_spec_pw(c->s, c->p, name);
	return pw && pw->product_default;
}

/* --- one step ----------------------------------------------------------- */

static void import_key(struct sctx *c, const struct ucpki_profile_step *st)
{
	char name[64], fp[97];
	const struct ucpki_profile_file *f = ucpki_profile_file_find(c->p, st->file);

	store_secret_name(st->store, name, sizeof(name));
	cert_fp(c->m->cert, fp);
	md_add(c->out, "ks_import_key ");
	host_path(c->out, st->store->path);
	md_add(c->out, " %s ", store_type(st->store));
	secret_path(c->out, name);
	md_add(c->out, " ");
	bundle_path(c->out, c, st->file);
	md_add(c->out, " ");
	if (f && f->password)
		pw_path(c->out, c, f->password);
	else
		secret_path(c->out, name);
	md_add(c->out, " ");
	sq(c->out, st->alias ? st->alias : "1");
	md_add(c->out, " %s\n", fp);
}

/* Each CA of a PEM file, or each trusted entry of a JKS / PKCS#12 file. */
static void import_cas(struct sctx *c, const struct ucpki_profile_step *st)
{
	const struct out_file *of = bundle_file(c, st->file);
	char name[64];

	if (of == NULL)
		return;
	store_secret_name(st->store, name, sizeof(name));
	if (of->spec->container == UCPKI_CONT_PEM) {
		BIO *bio = BIO_new_mem_buf(of->data, (int)of->len);
		X509 *x;
		for (int i = 1; bio && (x = PEM_read_bio_X509(bio, NULL, NULL, NULL)) != NULL; i++) {
			char alias[128], fp[97];
			ca_alias(x, alias, sizeof(alias));
			cert_fp(x, fp);
			md_add(c->out, "ks_import_ca_pem ");
			host_path(c->out, st->store->path);
			md_add(c->out, " %s ", store_type(st->store));
			secret_path(c->out, name);
			md_add(c->out, " ");
			sq(c->out, alias);
			md_add(c->out, " ");
			bundle_path(c->out, c, st->file);
			md_add(c->out, " %d %s\n", i, fp);
			X509_free(x);
		}
		ERR_clear_error();
		BIO_free(bio);
		return;
	}
	{
		const char *pw = node_spec_password(c->s, c->p, of->spec->password);
		struct ucpki_err e = {0};
		struct ucpki_keystore *ks =
		    ucpki_keystore_load_mem(of->data, of->len, of->path, pw, NULL, &e);
		for (int i = 0; ks && i < ucpki_keystore_count(ks); i++) {
			const struct ucpki_ksentry *en = ucpki_keystore_entry(ks, i);
			char fp[97];
			if (en->key || en->certs == NULL || sk_X509_num(en->certs) < 1)
				continue;
			cert_fp(sk_X509_value(en->certs, 0), fp);
			md_add(c->out, "ks_import_ca_store ");
			host_path(c->out, st->store->path);
			md_add(c->out, " %s ", store_type(st->store));
			secret_path(c->out, name);
			md_add(c->out, " ");
			sq(c->out, en->alias);
			md_add(c->out, " ");
			bundle_path(c->out, c, st->file);
			md_add(c->out, " %s ", of->spec->container == UCPKI_CONT_JKS ? "JKS" : "PKCS12");
			pw_path(c->out, c, of->spec->password);
			md_add(c->out, " %s\n", fp);
		}
		ucpki_keystore_free(ks);
	}
}

static void fetch_ca(struct sctx *c, const struct ucpki_profile_step *st, const char *from)
{
	char name[64];

	store_secret_name(st->store, name, sizeof(name));
	md_add(c->out, "ks_import_ca ");
	host_path(c->out, st->store->path);
	md_add(c->out, " %s ", store_type(st->store));
	secret_path(c->out, name);
	md_add(c->out, " ");
	sq(c->out, st->alias);
	md_add(c->out, " \"$TMP/fetched-%s.pem\" \"$(cert_fp \"$TMP/fetched-%s.pem\")\"\n",
	       st->alias, st->alias);
	(void)from;
}

static void edit_step(struct sctx *c, const struct ucpki_profile_step *st)
{
	if (st->unless_default && password_is_default(c, st->unless_default)) {
		md_add(c->out, "say 'unchanged: ");
		md_add(c->out, "%s", st->path);
		md_add(c->out, " (the product'\\''s default password is kept)'\n");
		return;
	}
	md_add(c->out, "value_file ");
	value_word(c->out, c, st->value);
	md_add(c->out, "\n");
	switch (st->edit) {
	case UCPKI_EDIT_PROPERTY:
		md_add(c->out, "set_property ");
		host_path(c->out, st->path);
		md_add(c->out, " ");
		sq(c->out, st->key);
		md_add(c->out, " \"$TMP/value\"\n");
		break;
	case UCPKI_EDIT_XML_ATTR:
		md_add(c->out, "set_xml_attr ");
		host_path(c->out, st->path);
		md_add(c->out, " ");
		sq(c->out, st->match);
		md_add(c->out, " ");
		sq(c->out, st->key);
		md_add(c->out, " \"$TMP/value\"\n");
		break;
	case UCPKI_EDIT_FILE:
		md_add(c->out, "set_content ");
		host_path(c->out, st->path);
		md_add(c->out, " \"$TMP/value\"\n");
		break;
	case UCPKI_EDIT_MANUAL:
		break;
	}
}

static void run_tool(struct sctx *c, const struct ucpki_profile_step *st, int idx)
{
	/* the tool may consume its input (bcomImportCert.sh deletes it): a copy */
	md_add(c->out, "cp ");
	bundle_path(c->out, c, st->input);
	md_add(c->out, " \"$TMP/input-%d\"\n", idx);
	md_add(c->out, "once %s-%d ", c->p->id, idx);
	bundle_path(c->out, c, st->input);
	md_add(c->out, " ");
	host_path(c->out, st->tool);
	md_add(c->out, " \"$TMP/input-%d\"\n", idx);
}

static int scripted(const struct ucpki_profile_step *st)
{
	switch (st->kind) {
	case UCPKI_STEP_COPY:
	case UCPKI_STEP_APPEND:
	case UCPKI_STEP_IMPORT_KEY:
	case UCPKI_STEP_IMPORT_CA:
	case UCPKI_STEP_FETCH_CA:
		return 1;
	case UCPKI_STEP_EDIT:
		return st->edit != UCPKI_EDIT_MANUAL;
	case UCPKI_STEP_RUN:
		return st->tool != NULL;
	case UCPKI_STEP_BACKUP: /* done by each block before its first change */
	case UCPKI_STEP_UI:
		return 0;
	}
	return 0;
}

static void step(struct sctx *c, const struct ucpki_profile_step *st, int idx)
{
	if (!scripted(st))
		return;
	switch (st->kind) {
	case UCPKI_STEP_COPY:
	case UCPKI_STEP_APPEND:
		md_add(c->out, "%s ", st->kind == UCPKI_STEP_COPY ? "put" : "append");
		bundle_path(c->out, c, st->file);
		md_add(c->out, " ");
		host_path(c->out, st->path);
		md_add(c->out, " '%s' %04o\n", step_owner(c->p, st->file) ? step_owner(c->p, st->file) : "",
		       step_mode(c->p, st->file));
		break;
	case UCPKI_STEP_IMPORT_KEY:
		import_key(c, st);
		break;
	case UCPKI_STEP_IMPORT_CA:
		import_cas(c, st);
		break;
	case UCPKI_STEP_FETCH_CA:
		fetch_ca(c, st, NULL);
		break;
	case UCPKI_STEP_EDIT:
		edit_step(c, st);
		break;
	case UCPKI_STEP_RUN:
		run_tool(c, st, idx);
		break;
	case UCPKI_STEP_BACKUP:
	case UCPKI_STEP_UI:
		break;
	}
}

/* --- checks before anything changes --------------------------------------- */

static void preflight_step(struct sctx *c, const struct ucpki_profile_step *st, int idx)
{
	char name[64];

	switch (st->kind) {
	case UCPKI_STEP_IMPORT_KEY:
	case UCPKI_STEP_IMPORT_CA:
	case UCPKI_STEP_FETCH_CA:
		store_secret_name(st->store, name, sizeof(name));
		md_add(c->out, "need ");
		host_path(c->out, st->store->path);
		md_add(c->out, " 'the product'\\''s keystore'\nks_open ");
		host_path(c->out, st->store->path);
		md_add(c->out, " %s ", store_type(st->store));
		secret_path(c->out, name);
		md_add(c->out, "\n");
		if (st->kind == UCPKI_STEP_FETCH_CA) {
			struct md t = {0};
			install_render_text(&t, c->s, c->m, c->p, st->from);
			md_add(c->out, "fetch_ca ");
			sq(c->out, t.s ? t.s : "");
			free(t.s);
			md_add(c->out, " \"$TMP/fetched-%s.pem\" \"${UCPKI_PEER_CA_MD5:-}\"\n",
			       st->alias);
		}
		break;
	case UCPKI_STEP_COPY:
	case UCPKI_STEP_APPEND:
	case UCPKI_STEP_EDIT: {
		/* the directory must exist: a missing one means the wrong host */
		char d[512];
		const char *slash = strrchr(st->path, '/');
		if (!scripted(st) || slash == NULL)
			break;
		snprintf(d, sizeof(d), "%.*s", (int)(slash - st->path), st->path);
		md_add(c->out, "need_dir ");
		host_path(c->out, d[0] ? d : "/");
		md_add(c->out, "\n");
		break;
	}
	case UCPKI_STEP_RUN:
		if (st->tool) {
			md_add(c->out, "[ -x ");
			host_path(c->out, st->tool);
			md_add(c->out, " ] || die \"the product tool $ROOT%s is missing\"\n", st->tool);
		}
		break;
	case UCPKI_STEP_BACKUP:
	case UCPKI_STEP_UI:
		break;
	}
	(void)idx;
}

/* Every absolute path a step changes, for --rollback. */
static void rollback_step(struct sctx *c, const struct ucpki_profile_step *st)
{
	const char *path = NULL;

	switch (st->kind) {
	case UCPKI_STEP_COPY:
	case UCPKI_STEP_APPEND:
		path = st->path;
		break;
	case UCPKI_STEP_EDIT:
		path = st->edit != UCPKI_EDIT_MANUAL ? st->path : NULL;
		break;
	case UCPKI_STEP_IMPORT_KEY:
	case UCPKI_STEP_IMPORT_CA:
	case UCPKI_STEP_FETCH_CA:
		path = st->store->path;
		break;
	default:
		break;
	}
	if (path == NULL)
		return;
	md_add(c->out, "rollback_file ");
	host_path(c->out, path);
	md_add(c->out, "\n");
}

/* --- the whole script ------------------------------------------------------- */

typedef void (*step_fn)(struct sctx *c, const struct ucpki_profile_step *st, int idx);

static void each_step(struct md *out, const struct node_spec *s, const struct material *m,
                      const struct bundle *b, step_fn fn)
{
	for (int i = 0; i < s->n->n_products; i++) {
		const struct ucpki_profile *p = s->n->products[i];
		const char *d = product_dir(s, p);
		char dir[80];
		struct sctx c = {out, s, m, b, p, dir};
		if (strcmp(p->host_os, "linux") != 0)
			continue;
		snprintf(dir, sizeof(dir), "%s%s", d, d[0] ? "/" : "");
		for (int j = 0; j < p->n_steps; j++)
			if (install_step_applies(s, p, b, &p->steps[j]))
				fn(&c, &p->steps[j], j + 1);
	}
}

static void rollback_fn(struct sctx *c, const struct ucpki_profile_step *st, int idx)
{
	(void)idx;
	rollback_step(c, st);
}

static void manual_fn(struct sctx *c, const struct ucpki_profile_step *st, int idx)
{
	(void)idx;
	if (scripted(st) || st->kind == UCPKI_STEP_BACKUP)
		return;
	if (st->kind == UCPKI_STEP_EDIT && st->unless_default &&
	    password_is_default(c, st->unless_default))
		return;
	md_add(c->out, "say ");
	{
		struct md t = {0};
		install_render_text(&t, c->s, c->m, c->p, st->text);
		if (st->kind == UCPKI_STEP_EDIT) {
			struct md u = {0};
			md_add(&u, "  - edit %s: %s", st->path, t.s ? t.s : "");
			sq(c->out, u.s ? u.s : "");
			free(u.s);
		} else {
			struct md u = {0};
			md_add(&u, "  - %s", t.s ? t.s : "");
			sq(c->out, u.s ? u.s : "");
			free(u.s);
		}
		free(t.s);
	}
	md_add(c->out, "\nMANUAL=$((MANUAL + 1))\n");
}

static void header(struct md *o, const struct node_spec *s)
{
	md_add(o, "#!/bin/sh\n# install.sh of node %s (", s->n->name);
	for (int i = 0; i < s->n->n_products; i++)
		md_add(o, "%s%s", i ? ", " : "", s->n->products[i]->id);
	md_add(o, "), solution %s. Made by ucpki %s.\n", s->inv->solution, UCPKI_VERSION);
	md_add(o, "#\n# Does the steps of INSTALL.md on this host, as root:\n"
	          "#   sh install.sh             install (a second run changes nothing)\n"
	          "#   sh install.sh --dry-run   print each command, change nothing\n"
	          "#   sh install.sh --rollback  put back the files saved as NAME.bak\n"
	          "# UCPKI_INSTALL_ROOT=DIR takes every path under DIR (default /).\n"
	          "set -eu\n"
	          "B=$(cd \"$(dirname \"$0\")\" && pwd)\n"
	          "ROOT=${UCPKI_INSTALL_ROOT:-/}\nROOT=${ROOT%%/}\n"
	          "MODE=install\n"
	          "case $# in 0) ;; 1) case $1 in --dry-run) MODE=dry ;; --rollback) MODE=rollback ;;\n"
	          "  *) echo 'usage: sh install.sh [--dry-run | --rollback]' >&2; exit 2 ;; esac ;;\n"
	          "*) echo 'usage: sh install.sh [--dry-run | --rollback]' >&2; exit 2 ;; esac\n"
	          "umask 077\nCHANGED=0\nMANUAL=0\nBACKED=\n"
	          "TMP=$(mktemp -d \"${TMPDIR:-/tmp}/ucpki-install.XXXXXX\")\n"
	          "trap 'rm -rf \"$TMP\"' EXIT\ntrap 'exit 1' HUP INT TERM\n\n");
}

static int uses_keytool(const struct node_spec *s)
{
	for (int i = 0; i < s->n->n_products; i++)
		for (int j = 0; j < s->n->products[i]->n_steps; j++) {
			enum ucpki_step_kind k = s->n->products[i]->steps[j].kind;
			if (k == UCPKI_STEP_IMPORT_KEY || k == UCPKI_STEP_IMPORT_CA ||
			    k == UCPKI_STEP_FETCH_CA)
				return 1;
		}
	return 0;
}

static const char *first_of(const struct node_spec *s, int keytool)
{
	for (int i = 0; i < s->n->n_products; i++) {
		const struct ucpki_profile *p = s->n->products[i];
		const char *v = keytool ? p->keytool : p->encoder;
		if (v)
			return v;
	}
	return NULL;
}

/* The restart commands of the host, once each: "$ROOT/etc/init.d/x" restart. */
static void restarts(struct md *o, const struct node_spec *s)
{
	for (int i = 0; i < s->n->n_products; i++) {
		const char *r = s->n->products[i]->restart;
		int dup = 0;
		if (r == NULL)
			continue;
		for (int k = 0; k < i; k++)
			dup |= s->n->products[k]->restart && strcmp(s->n->products[k]->restart, r) == 0;
		if (dup)
			continue;
		md_add(o, "restart ");
		if (r[0] == '/') {
			size_t l = strcspn(r, " ");
			char cmd[256];
			snprintf(cmd, sizeof(cmd), "%.*s", (int)l, r);
			host_path(o, cmd);
			md_add(o, "%s\n", r + l);
		} else {
			md_add(o, "%s\n", r);
		}
	}
}

static void restart_checks(struct md *o, const struct node_spec *s)
{
	for (int i = 0; i < s->n->n_products; i++) {
		const char *r = s->n->products[i]->restart;
		char cmd[256];
		if (r == NULL || r[0] != '/')
			continue;
		snprintf(cmd, sizeof(cmd), "%.*s", (int)strcspn(r, " "), r);
		md_add(o, "[ -x ");
		host_path(o, cmd);
		md_add(o, " ] || die \"$ROOT%s is missing: is this the right host?\"\n", cmd);
	}
}

int package_install_script(const struct node_spec *s, const struct material *m,
                           struct bundle *b, struct ucpki_err *e)
{
	struct md out = {0};
	const char *kt = first_of(s, 1), *enc = first_of(s, 0);
	char path[512];

	header(&out, s);
	md_add(&out, "%s\n", install_lib);
	md_add(&out, "# --- this node's steps ---------------------------------------------------\n\n");
	md_add(&out, "OPENSSL=$(tool openssl /usr/bin/openssl)\n");
	if (uses_keytool(s)) {
		md_add(&out, "KEYTOOL=$(tool keytool ");
		sq(&out, kt ? kt : "/usr/bin/keytool");
		md_add(&out, ")\n");
	}
	if (enc) {
		md_add(&out, "ENCODER=");
		host_path(&out, enc);
		md_add(&out, "\n");
	}
	md_add(&out, "\nif [ \"$MODE\" = rollback ]; then\n");
	each_step(&out, s, m, b, rollback_fn);
	restarts(&out, s);
	md_add(&out, "\tsay \"rollback: $CHANGED file(s) put back\"\n\texit 0\nfi\n\n");
	md_add(&out, "# check before acting: tools, the product's files and stores, passwords\n");
	restart_checks(&out, s);
	each_step(&out, s, m, b, preflight_step);
	md_add(&out, "\n");
	each_step(&out, s, m, b, step);
	md_add(&out, "\n");
	restarts(&out, s);
	each_step(&out, s, m, b, manual_fn);
	md_add(&out, "if [ \"$MANUAL\" -gt 0 ]; then say \"$MANUAL step(s) above are done by hand (INSTALL.md)\"; fi\n");
	md_add(&out, "if [ \"$CHANGED\" -eq 0 ]; then say 'nothing changed: the host already has this bundle'; "
	             "else say \"done: $CHANGED change(s)\"; fi\n");
	snprintf(path, sizeof(path), "%s/install.sh", s->n->name);
	return md_bundle_add(&out, b, path, 0700, e);
}
