/*
 * INSTALL.md and secrets/ of a node: the guide's steps for its products with
 * the real paths, backups first, owner and mode, restart once per host
 * (rule R8). Passwords never appear in INSTALL.md; steps point at
 * secrets/NAME.pass.
 */
#include <ctype.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "solution/solution_internal.h"
#include "ucpki/x509.h"

void md_add(struct md *m, const char *fmt, ...)
{
	va_list ap;
	int n;

	if (m->failed)
		return;
	for (;;) {
		va_start(ap, fmt);
		n = vsnprintf(m->s ? m->s + m->len : NULL, m->s ? m->cap - m->len : 0, fmt, ap);
		va_end(ap);
		if (n < 0) {
			m->failed = 1;
			return;
		}
		if (m->s && m->len + (size_t)n < m->cap) {
			m->len += (size_t)n;
			return;
		}
		size_t ncap = m->cap ? m->cap : 4096;
		while (ncap < m->len + (size_t)n + 1)
			ncap *= 2;
		char *ns = realloc(m->s, ncap);
		if (ns == NULL) {
			m->failed = 1;
			return;
		}
		m->s = ns;
		m->cap = ncap;
	}
}

/* The material's facts that steps refer to. */
struct facts {
	const struct node_spec *s;
	const struct material *m;
	const struct ucpki_profile *p;
	char dir[160];
	int win;                 /* cmd syntax: %B%\ instead of "$B/" */
	char root_md5[33], root_cn[128], root_alias[128];
	char template_dn[512];
};

static void make_facts(struct facts *f, const struct node_spec *s, const struct material *m,
                       const struct ucpki_profile *p, const char *template_dn)
{
	const char *d = product_dir(s, p);
	char *cn;

	memset(f, 0, sizeof(*f));
	f->s = s;
	f->m = m;
	f->p = p;
	f->win = strcmp(p->host_os, "windows") == 0;
	if (f->win)
		snprintf(f->dir, sizeof(f->dir), "%%B%%%s%s", d[0] ? "\\" : "", d);
	else
		snprintf(f->dir, sizeof(f->dir), "\"$B\"%s%s", d[0] ? "/" : "", d);
	snprintf(f->template_dn, sizeof(f->template_dn), "%s", template_dn);
	snprintf(f->root_md5, sizeof(f->root_md5), "%s",
	         m->root_md5 && m->root_md5[0] ? m->root_md5 : "(no RSA root)");
	if (m->root == NULL)
		return;
	if ((cn = ucpki_dn_cn(X509_get_subject_name(m->root))) != NULL) {
		size_t j = 0;
		snprintf(f->root_cn, sizeof(f->root_cn), "%s", cn);
		for (const char *q = cn; *q && j < sizeof(f->root_alias) - 1; q++)
			f->root_alias[j++] = isalnum((unsigned char)*q) ? (char)tolower((unsigned char)*q) : '-';
		f->root_alias[j] = '\0';
		free(cn);
	}
}

static const char *first_name(const struct inv_node *n)
{
	return n->n_fqdn ? n->fqdn[0] : n->n_ip ? n->ip[0] : n->name;
}

/* The UC back-end a Facade talks to: the node's 'backend' option, else the
 * inventory's node carrying the UC CMP. */
static const char *uc_backend(const struct node_spec *s)
{
	const char *v = node_option(s->n, "backend");

	if (v)
		return v;
	for (int i = 0; i < s->inv->n_nodes; i++) {
		const struct inv_node *n = &s->inv->nodes[i];
		for (int j = 0; j < n->n_products; j++)
			if (strcmp(n->products[j]->id, "uc-cmp") == 0)
				return n->n_fqdn ? n->fqdn[0] : n->n_ip ? n->ip[0] : n->name;
	}
	return "localhost";
}

/* OpenScape Voice node 1 or 2 (a duplex switch, guide 3.17.2): the node's
 * option osv-host1/osv-host2, else the first and second FQDN of the
 * inventory's OSV node. */
static const char *osv_host(const struct node_spec *s, int which)
{
	const char *v = node_option(s->n, which ? "osv-host2" : "osv-host1");

	if (v)
		return v;
	for (int i = 0; i < s->inv->n_nodes; i++) {
		const struct inv_node *n = &s->inv->nodes[i];
		for (int j = 0; j < n->n_products; j++)
			if (strcmp(n->products[j]->id, "osv") == 0 && n->n_fqdn)
				return n->fqdn[which < n->n_fqdn ? which : 0];
	}
	return which ? "osv2" : "osv1";
}

/* Replace the placeholders of docs/profiles.md. */
static void render(struct md *out, const struct facts *f, const char *t)
{
	const struct inv_node *n = f->s->n;
	const char *start = t;

	while (*t) {
		const char *end;
		char name[128];
		size_t l;

		if (*t != '{' || (t > start && t[-1] == '$') || (end = strchr(t, '}')) == NULL) {
			md_add(out, "%c", *t++);
			continue;
		}
		l = (size_t)(end - t - 1);
		snprintf(name, sizeof(name), "%.*s", (int)(l < sizeof(name) ? l : sizeof(name) - 1),
		         t + 1);
		if (strcmp(name, "dir") == 0)
			md_add(out, "%s", f->dir);
		else if (strcmp(name, "node") == 0)
			md_add(out, "%s", n->name);
		else if (strcmp(name, "fqdn") == 0)
			md_add(out, "%s", first_name(n));
		else if (strcmp(name, "hostname") == 0)
			md_add(out, "%s", n->hostname ? n->hostname : first_name(n));
		else if (strcmp(name, "domain") == 0)
			md_add(out, "%s", n->domain ? n->domain : first_name(n));
		else if (strcmp(name, "user") == 0)
			md_add(out, "%s", n->user ? n->user : n->name);
		else if (strcmp(name, "location") == 0)
			md_add(out, "%s", n->location ? n->location : "<location>");
		else if (strcmp(name, "template") == 0)
			md_add(out, "%s", f->template_dn);
		else if (strcmp(name, "root-md5") == 0)
			md_add(out, "%s", f->root_md5);
		else if (strcmp(name, "root-cn") == 0)
			md_add(out, "%s", f->root_cn);
		else if (strcmp(name, "root-alias") == 0)
			md_add(out, "%s", f->root_alias);
		else if (strncmp(name, "pass:", 5) == 0 || strncmp(name, "encoded:", 8) == 0) {
			char sn[160];
			node_secret_name(n, f->p, strchr(name, ':') + 1, sn, sizeof(sn));
			md_add(out, f->win ? "%%B%%\\secrets\\%s.pass" : "$B/secrets/%s.pass", sn);
		}
		else if (strcmp(name, "backend") == 0)
			md_add(out, "%s", uc_backend(f->s));
		else if (strcmp(name, "osv-host1") == 0 || strcmp(name, "osv-host2") == 0)
			md_add(out, "%s", osv_host(f->s, name[8] - '1'));
		else if (strncmp(name, "opt:", 4) == 0) {
			const char *bar = strchr(name, '|');
			char opt[100];
			const char *v;
			snprintf(opt, sizeof(opt), "%.*s", (int)(bar ? (size_t)(bar - name - 4) : strlen(name + 4)),
			         name + 4);
			v = node_option(n, opt);
			md_add(out, "%s", v ? v : bar ? bar + 1 : "<" /* no default */);
			if (!v && !bar)
				md_add(out, "%s>", opt);
		} else
			md_add(out, "{%s}", name); /* the product's own syntax */
		t = end + 1;
	}
}

static int windows(const struct ucpki_profile *p)
{
	return strcmp(p->host_os, "windows") == 0;
}

static const char *file_owner(const struct ucpki_profile *p, const struct ucpki_profile_file *f)
{
	return f && f->owner ? f->owner : p->owner;
}

static unsigned file_mode(const struct ucpki_profile *p, const struct ucpki_profile_file *f)
{
	return (unsigned)(f && f->mode ? f->mode : p->mode);
}

static int file_written(const struct bundle *b, const struct ucpki_profile *p, const char *name)
{
	for (int i = 0; i < b->n; i++)
		if (b->f[i].product == p && b->f[i].spec && strcmp(b->f[i].spec->name, name) == 0)
			return 1;
	return 0;
}

static int step_applies(const struct node_spec *s, const struct ucpki_profile_step *st)
{
	const char *v;

	if (st->when == NULL)
		return 1;
	v = node_option(s->n, st->when);
	return v && strcmp(v, "false") != 0 && strcmp(v, "no") != 0 && strcmp(v, "0") != 0;
}

/* A host path in a by-hand command: a glob resolves to its last match. */
static void hand_path(struct md *out, const char *path)
{
	if (strchr(path, '*'))
		md_add(out, "\"$(ls -d %s | tail -n 1)\"", path);
	else
		md_add(out, "%s", path);
}

static const char *kt_type(const struct ucpki_profile_store *st)
{
	return strcmp(st->type, "pkcs12") == 0 ? "PKCS12" : "JKS";
}

/* -keystore S -storetype T -storepass:file P of a store on the host. */
static void kt_store(struct md *out, const struct facts *f, const struct ucpki_profile_store *st)
{
	char name[64];

	store_secret_name(st, name, sizeof(name));
	md_add(out, "-keystore ");
	hand_path(out, st->path);
	md_add(out, " -storetype %s -storepass:file \"$B/secrets/%s.pass\"", kt_type(st), name);
	(void)f;
}

/* The secret file name of a bundle file's password. */
static const char *file_secret(const struct facts *f, const struct ucpki_profile_file *pf)
{
	static _Thread_local char buf[160];

	node_secret_name(f->s->n, f->p, pf && pf->password ? pf->password : "store", buf,
	                 sizeof(buf));
	return buf;
}

static void import_key_text(struct md *out, const struct facts *f,
                            const struct ucpki_profile_step *st)
{
	const struct ucpki_profile_file *pf = ucpki_profile_file_find(f->p, st->file);

	md_add(out, "**Replace the server certificate** of `%s` (one key entry per store: the "
	            "old ones are deleted first):\n   `\"$KEYTOOL\" -list ", st->store->path);
	kt_store(out, f, st->store);
	md_add(out, " | awk -F', ' '/PrivateKeyEntry/ {print $1}' | while read -r a; do "
	            "\"$KEYTOOL\" -delete -alias \"$a\" ");
	kt_store(out, f, st->store);
	md_add(out, "; done`\n   `\"$KEYTOOL\" -importkeystore -noprompt -srckeystore %s/%s "
	            "-srcstoretype PKCS12 -srcstorepass:file \"$B/secrets/%s.pass\" -srcalias %s "
	            "-destkeystore ",
	       f->dir, st->file, file_secret(f, pf), st->alias);
	hand_path(out, st->store->path);
	{
		char name[64];
		store_secret_name(st->store, name, sizeof(name));
		md_add(out, " -deststoretype %s -deststorepass:file \"$B/secrets/%s.pass\"%s%s%s -destalias %s`\n",
		       kt_type(st->store), name,
		       strcmp(st->store->type, "jks") == 0 ? " -destkeypass:file \"$B/secrets/" : "",
		       strcmp(st->store->type, "jks") == 0 ? name : "",
		       strcmp(st->store->type, "jks") == 0 ? ".pass\"" : "", st->alias);
	}
}

static void import_ca_text(struct md *out, const struct facts *f,
                           const struct ucpki_profile_step *st)
{
	const struct ucpki_profile_file *pf = ucpki_profile_file_find(f->p, st->file);

	md_add(out, "**Import the CA certificates** of `%s` into `%s` (other entries stay):\n   `",
	       st->file, st->store->path);
	if (pf && pf->container != UCPKI_CONT_PEM) {
		md_add(out, "\"$KEYTOOL\" -importkeystore -noprompt -srckeystore %s/%s -srcstoretype %s "
		            "-srcstorepass:file \"$B/secrets/%s.pass\" -destkeystore ",
		       f->dir, st->file, pf->container == UCPKI_CONT_JKS ? "JKS" : "PKCS12",
		       file_secret(f, pf));
		hand_path(out, st->store->path);
		{
			char name[64];
			store_secret_name(st->store, name, sizeof(name));
			md_add(out, " -deststoretype %s -deststorepass:file \"$B/secrets/%s.pass\"`\n",
			       kt_type(st->store), name);
		}
		return;
	}
	md_add(out, "awk '/BEGIN CERTIFICATE/ {n++; f = \"/tmp/ucpki-ca.\" n \".pem\"} f {print > f} "
	            "/END CERTIFICATE/ {close(f); f = \"\"}' %s/%s && for c in /tmp/ucpki-ca.*.pem; do "
	            "a=$(openssl x509 -noout -subject -nameopt multiline -in \"$c\" | sed -n "
	            "'s/^ *commonName *= *//p' | tr 'A-Z' 'a-z' | tr -c 'a-z0-9\\n' '-'); "
	            "\"$KEYTOOL\" -delete -alias \"$a\" ",
	       f->dir, st->file);
	kt_store(out, f, st->store);
	md_add(out, " 2>/dev/null; \"$KEYTOOL\" -importcert -noprompt -trustcacerts -alias \"$a\" "
	            "-file \"$c\" ");
	kt_store(out, f, st->store);
	md_add(out, "; done; rm -f /tmp/ucpki-ca.*.pem`\n");
}

static void fetch_ca_text(struct md *out, const struct facts *f,
                          const struct ucpki_profile_step *st)
{
	struct md from = {0};

	render(&from, f, st->from);
	md_add(out, "**Fetch the CA the peer presents** on `%s` and compare its modulus MD5 with "
	            "the one printed on the peer itself (guide 3.5.1):\n   "
	            "`ucpki probe %s --save-ca /tmp/peer-ca.pem && openssl x509 -modulus -noout "
	            "-in /tmp/peer-ca.pem | openssl md5`\n   Only when both hosts print the same "
	            "value, import it:\n   `\"$KEYTOOL\" -importcert -noprompt -trustcacerts -alias %s "
	            "-file /tmp/peer-ca.pem ",
	       from.s ? from.s : "", from.s ? from.s : "", st->alias);
	kt_store(out, f, st->store);
	md_add(out, "`\n");
	free(from.s);
}

static void step_text(struct md *out, const struct facts *f, const struct ucpki_profile_step *st,
                      int num)
{
	const struct ucpki_profile *p = f->p;
	const struct ucpki_profile_file *spec = st->file ? ucpki_profile_file_find(p, st->file) : NULL;

	struct md rp = {0};
	struct ucpki_profile_step r = *st;

	if (st->path) {
		render(&rp, f, st->path);
		r.path = rp.s ? rp.s : "";
		st = &r;
	}
	md_add(out, "%d. ", num);
	switch (st->kind) {
	case UCPKI_STEP_BACKUP:
		md_add(out, "**Back up** `%s`:\n   `", st->path);
		if (windows(p) && strrchr(st->path, '.') < strrchr(st->path, '\\'))
			md_add(out, "xcopy /E /I /Y \"%s\" \"%s.bak\"", st->path, st->path);
		else if (windows(p))
			md_add(out, "copy /Y \"%s\" \"%s.bak\"", st->path, st->path);
		else {
			md_add(out, "cp -p ");
			hand_path(out, st->path);
			md_add(out, " ");
			hand_path(out, st->path);
			md_add(out, ".bak");
		}
		md_add(out, "`\n");
		break;
	case UCPKI_STEP_COPY:
		md_add(out, "**Install** `%s` as `%s`:\n   `", st->file, st->path);
		if (windows(p))
			md_add(out, "copy /Y \"%s\\%s\" \"%s\"", f->dir, st->file, st->path);
		else if (file_owner(p, spec)) {
			char u[64];
			snprintf(u, sizeof(u), "%s", file_owner(p, spec));
			char *colon = strchr(u, ':');
			if (colon)
				*colon = '\0';
			md_add(out, "install -o %s -g %s -m %04o %s/%s %s", u, colon ? colon + 1 : u,
			       file_mode(p, spec), f->dir, st->file, st->path);
		} else
			md_add(out, "install -m %04o %s/%s %s", file_mode(p, spec), f->dir, st->file,
			       st->path);
		md_add(out, "`\n");
		break;
	case UCPKI_STEP_APPEND:
		md_add(out, "**Append** the CA certificates of `%s` to `%s` (keep what is there; skip "
		            "those it already holds):\n   `cat %s/%s >> %s`\n",
		       st->file, st->path, f->dir, st->file, st->path);
		break;
	case UCPKI_STEP_RUN:
		md_add(out, "Run:\n   `");
		render(out, f, st->text);
		md_add(out, "`\n");
		break;
	case UCPKI_STEP_EDIT:
		md_add(out, "**Edit** `%s`: ", st->path);
		render(out, f, st->text);
		md_add(out, "\n");
		break;
	case UCPKI_STEP_UI:
		render(out, f, st->text);
		md_add(out, "\n");
		break;
	case UCPKI_STEP_IMPORT_KEY:
		import_key_text(out, f, st);
		break;
	case UCPKI_STEP_IMPORT_CA:
		import_ca_text(out, f, st);
		break;
	case UCPKI_STEP_FETCH_CA:
		fetch_ca_text(out, f, st);
		break;
	}
	free(rp.s);
}

int install_step_applies(const struct node_spec *s, const struct ucpki_profile *p,
                         const struct bundle *b, const struct ucpki_profile_step *st)
{
	if (!step_applies(s, st))
		return 0;
	if (st->file && st->kind != UCPKI_STEP_BACKUP && !file_written(b, p, st->file))
		return 0;
	if (st->input && !file_written(b, p, st->input))
		return 0;
	return 1;
}

void install_render_text(struct md *out, const struct node_spec *s, const struct material *m,
                         const struct ucpki_profile *p, const char *text)
{
	struct facts f;
	char template_dn[512];

	snprintf(template_dn, sizeof(template_dn), "%s",
	         s->n->subject ? s->n->subject : s->inv->def_subject);
	make_facts(&f, s, m, p, template_dn);
	render(out, &f, text);
}

int node_has_linux_host(const struct node_spec *s)
{
	for (int i = 0; i < s->n->n_products; i++)
		if (strcmp(s->n->products[i]->host_os, "linux") == 0)
			return 1;
	return 0;
}

static const char *node_keytool(const struct node_spec *s)
{
	for (int i = 0; i < s->n->n_products; i++)
		if (s->n->products[i]->keytool)
			return s->n->products[i]->keytool;
	return NULL;
}

/* How to run the steps: the script, and the shell variables the by-hand
 * commands use. */
static void steps_intro(struct md *out, const struct node_spec *s)
{
	int win = 0;

	for (int i = 0; i < s->n->n_products; i++)
		win |= strcmp(s->n->products[i]->host_os, "windows") == 0;
	if (node_has_linux_host(s)) {
		const char *kt = node_keytool(s);
		md_add(out, "On the Linux host, as root, from this directory: `sh install.sh "
		            "--dry-run` prints every command, `sh install.sh` does the steps below "
		            "(backups first, only what differs, one restart), `sh install.sh "
		            "--rollback` puts the backups back. By hand, run first, from this "
		            "directory:\n\n   `B=\"$(pwd)\"; KEYTOOL=");
		if (kt)
			md_add(out, "$(ls %s 2>/dev/null | tail -n 1); KEYTOOL=${KEYTOOL:-keytool}`\n\n", kt);
		else
			md_add(out, "keytool`\n\n");
	}
	if (win)
		md_add(out, "On the Windows host, open cmd in this directory and run first: "
		            "`set B=%%CD%%`\n\n");
}

/* Steps several products of a host share (the Xpressions services all
 * back up and install the same server.crt) are written once: a backup of
 * the same path, a copy of the same bytes to the same path. */
struct seen {
	char **v;
	int n;
};

static int seen_before(struct seen *sn, const struct facts *f, const struct bundle *b,
                       const struct ucpki_profile_step *st)
{
	struct md key = {0};
	int dup = 0;

	if (st->kind != UCPKI_STEP_BACKUP && st->kind != UCPKI_STEP_COPY)
		return 0;
	md_add(&key, "%d|", (int)st->kind);
	render(&key, f, st->path);
	for (int i = 0; st->kind == UCPKI_STEP_COPY && i < b->n; i++)
		if (b->f[i].product == f->p && b->f[i].spec && strcmp(b->f[i].spec->name, st->file) == 0) {
			char h[65];
			sha256_hex(b->f[i].data, b->f[i].len, h);
			md_add(&key, "|%s", h);
		}
	if (key.s == NULL)
		return 0;
	for (int i = 0; i < sn->n && !dup; i++)
		dup = strcmp(sn->v[i], key.s) == 0;
	if (!dup) {
		char **nv = realloc(sn->v, (size_t)(sn->n + 1) * sizeof(*nv));
		if (nv) {
			sn->v = nv;
			sn->v[sn->n++] = key.s;
			key.s = NULL;
		}
	}
	free(key.s);
	return dup;
}

static void seen_free(struct seen *sn)
{
	for (int i = 0; i < sn->n; i++)
		free(sn->v[i]);
	free(sn->v);
}

static void steps(struct md *out, const struct node_spec *s, const struct material *m,
                  const struct bundle *b, const char *template_dn)
{
	const struct inv_node *n = s->n;
	const char *restarts[16], *notes[16];
	int nr = 0, num = 1;
	struct seen sn = {0};

	md_add(out, "## Steps\n\n");
	steps_intro(out, s);
	/* every backup first, for all products of the host (R8) */
	for (int i = 0; i < n->n_products; i++) {
		struct facts f;
		make_facts(&f, s, m, n->products[i], template_dn);
		for (int j = 0; j < n->products[i]->n_steps; j++) {
			const struct ucpki_profile_step *st = &n->products[i]->steps[j];
			if (st->kind == UCPKI_STEP_BACKUP && step_applies(s, st) &&
			    !seen_before(&sn, &f, b, st))
				step_text(out, &f, st, num++);
		}
	}
	for (int i = 0; i < n->n_products; i++) {
		const struct ucpki_profile *p = n->products[i];
		struct facts f;
		make_facts(&f, s, m, p, template_dn);
		md_add(out, "\n### %s (guide %s)\n\n", p->name, p->guide);
		for (int j = 0; j < p->n_steps; j++) {
			const struct ucpki_profile_step *st = &p->steps[j];
			if (st->kind == UCPKI_STEP_BACKUP || !install_step_applies(s, p, b, st) ||
			    seen_before(&sn, &f, b, st))
				continue;
			step_text(out, &f, st, num++);
		}
		if (p->restart) {
			int dup = 0;
			for (int k = 0; k < nr; k++)
				if (strcmp(restarts[k], p->restart) == 0)
					dup = 1;
			if (!dup && nr < 16) {
				notes[nr] = p->restart_note;
				restarts[nr++] = p->restart;
			}
		}
	}
	if (nr) {
		md_add(out, "\n### Restart once, after all replacements on this host\n\n");
		for (int k = 0; k < nr; k++) {
			int command = restarts[k][0] == '/';
			md_add(out, command ? "%d. `%s`%s%s\n" : "%d. %s%s%s\n", num++, restarts[k],
			       notes[k] ? " - " : "", notes[k] ? notes[k] : "");
		}
	}
	seen_free(&sn);
}

/* The guide's Certificate Monitoring as a command: each TLS endpoint must
 * now present this certificate and pass the full check. */
static void post_check(struct md *out, const struct node_spec *s, const struct material *m)
{
	const char *host = s->n->n_fqdn ? s->n->fqdn[0] : s->n->n_ip ? s->n->ip[0] : NULL;
	char ref[160];
	int any = 0;

	if (m->cert == NULL || host == NULL)
		return;
	snprintf(ref, sizeof(ref), "%s", s->inv->pki);
	for (int i = 0; i < s->n->n_products; i++) {
		const struct ucpki_profile *p = s->n->products[i];
		for (int j = 0; j < p->n_endpoints; j++) {
			int port = s->n->port ? s->n->port : p->endpoints[j].port;
			if (!any) {
				md_add(out, "\n## Check after installing\n\nFrom the machine holding the "
				            "ucpki state (the guide's Certificate Monitoring), each endpoint "
				            "must present serial %s and pass the full check:\n\n"
				            "   `ucpki ca export %s/%s --out %s-root.pem`\n",
				       m->serial ? m->serial : "", s->inv->pki, s->inv->root.name, ref);
				any = 1;
			}
			md_add(out, "   `ucpki probe %s:%d --trust %s-root.pem --level full --servername %s`"
			            "   (%s)\n",
			       host, port, ref, host, p->endpoints[j].name ? p->endpoints[j].name : p->id);
		}
	}
}

static void header(struct md *out, const struct node_spec *s, const struct material *m,
                   const struct ucpki_inventory *inv)
{
	char when[32];
	const struct inv_node *n = s->n;

	md_add(out, "# %s: ", n->name);
	for (int i = 0; i < n->n_products; i++)
		md_add(out, "%s%s", i ? " + " : "", n->products[i]->name);
	md_add(out, "\n\nSolution %s, version %d. Made by ucpki %s.\n\n", inv->solution,
	       n->version, UCPKI_VERSION);
	if (m->cert) {
		char *subj = ucpki_dn_string(X509_get_subject_name(m->cert));
		md_add(out, "| certificate | |\n|---|---|\n");
		md_add(out, "| subject | %s |\n", subj ? subj : "");
		md_add(out, "| names (SAN) | %s |\n", s->san[0] ? s->san : "(none)");
		md_add(out, "| serial | %s |\n", m->serial ? m->serial : "");
		md_add(out, "| valid until | %s |\n", ucpki_time_string(m->not_after, when, sizeof(when)));
		md_add(out, "| key, signature | %s, %s |\n", s->key, s->hash);
		md_add(out, "| issued by | %s |\n\n", s->identity == UCPKI_IDENT_CA ? "the root CA"
		                                                                    : s->ca_ref);
		free(subj);
	} else {
		md_add(out, "These products receive CA certificates only.\n\n");
	}
	if (m->root && m->root_md5 && m->root_md5[0])
		md_add(out, "Root CA modulus MD5 (`openssl x509 -modulus -noout | openssl md5`, "
		            "guide 3.5.1): `%s`\n\n", m->root_md5);
	md_add(out, "Copy this directory to the host (or to the machine you administer it "
	            "from) and follow the steps from inside it. Passwords are in `secrets/` "
	            "(mode 0600); keep them out of tickets and mail.\n\n");
}

static void file_table(struct md *out, const struct node_spec *s, const struct material *m,
                       const struct bundle *b)
{
	md_add(out, "## Files\n\n| file | holds | install as | owner | mode |\n|---|---|---|---|---|\n");
	for (int i = 0; i < b->n; i++) {
		const struct out_file *f = &b->f[i];
		const char *rel = strchr(f->path, '/');
		char holds[128] = "";
		size_t at = 0;
		if (f->spec == NULL)
			continue;
		if (f->spec->copy_of)
			snprintf(holds, sizeof(holds), "copy of %s", f->spec->copy_of);
		for (int j = 0; !f->spec->copy_of && j < f->spec->n_content && at < sizeof(holds); j++)
			at += (size_t)snprintf(holds + at, sizeof(holds) - at, "%s%s", j ? ", " : "",
			                       ucpki_item_name(f->spec->content[j]));
		struct md where = {0};
		if (f->spec->install_path)
			install_render_text(&where, s, m, f->product, f->spec->install_path);
		md_add(out, "| %s | %s (%s%s) | %s | %s | %04o |\n", rel ? rel + 1 : f->path, holds,
		       ucpki_container_name(f->spec->container),
		       f->spec->encrypted ? ", key encrypted" : "",
		       where.s ? where.s : "see steps",
		       file_owner(f->product, f->spec) ? file_owner(f->product, f->spec) : "-",
		       file_mode(f->product, f->spec));
		free(where.s);
	}
	for (int i = 0; i < s->n_pw; i++)
		md_add(out, "| secrets/%s.pass | password '%s'%s | (not installed) | - | 0600 |\n",
		       s->pw[i].name, s->pw[i].name,
		       s->pw[i].product_default ? " (the product's default)" : "");
	md_add(out, "\n");
}

static void notes(struct md *out, const struct node_spec *s)
{
	int any = 0;

	for (int i = 0; i < s->n->n_products; i++)
		for (int j = 0; j < s->n->products[i]->n_notes; j++) {
			const char *note = s->n->products[i]->notes[j];
			int dup = 0;
			for (int k = 0; k < i && !dup; k++) /* products of a host share some */
				for (int l = 0; l < s->n->products[k]->n_notes && !dup; l++)
					dup = strcmp(s->n->products[k]->notes[l], note) == 0;
			if (dup)
				continue;
			if (!any)
				md_add(out, "\n## Notes\n\n");
			any = 1;
			md_add(out, "- %s\n", note);
		}
	if (s->warnings[0]) {
		char buf[sizeof(s->warnings)], *save = NULL, *tok;
		snprintf(buf, sizeof(buf), "%s", s->warnings);
		if (!any)
			md_add(out, "\n## Notes\n\n");
		for (tok = strtok_r(buf, "\n", &save); tok; tok = strtok_r(NULL, "\n", &save))
			md_add(out, "- Warning when issuing: %s\n", tok);
	}
}

int md_bundle_add(struct md *out, struct bundle *b, const char *path, mode_t mode,
                  struct ucpki_err *e)
{
	int rc;

	if (out->failed) {
		free(out->s);
		return ucpki_err_set(e, UCPKI_E_INTERNAL, "out of memory");
	}
	rc = bundle_add(b, path, NULL, NULL, out->s, out->len, mode, 0, e);
	free(out->s);
	return rc;
}

int package_install(const struct node_spec *s, const struct material *m, struct bundle *b,
                    struct ucpki_err *e)
{
	struct md out = {0};
	char path[512], template_dn[512];
	int rc = 0;

	snprintf(template_dn, sizeof(template_dn), "%s",
	         s->n->subject ? s->n->subject : s->inv->def_subject);
	header(&out, s, m, s->inv);
	file_table(&out, s, m, b);
	steps(&out, s, m, b, template_dn);
	notes(&out, s);
	post_check(&out, s, m);
	snprintf(path, sizeof(path), "%s/INSTALL.md", s->n->name);
	rc = md_bundle_add(&out, b, path, 0644, e);
	if (rc == 0 && node_has_linux_host(s))
		rc = package_install_script(s, m, b, e);
	for (int i = 0; rc == 0 && i < s->n_pw; i++) {
		char line[256];
		int l = snprintf(line, sizeof(line), "%s\n", s->pw[i].value);
		snprintf(path, sizeof(path), "%s/secrets/%s.pass", s->n->name, s->pw[i].name);
		rc = bundle_add(b, path, NULL, NULL, line, (size_t)l, 0600, 1, e);
		OPENSSL_cleanse(line, sizeof(line));
	}
	return rc;
}
