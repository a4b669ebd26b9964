/* Profile sets: loading directories, lookup, version rules, names. */
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "profiles/profiles_internal.h"
#include "ucpki/file.h"

/* Profile files are small; anything bigger is not a profile. */
#define PROFILE_FILE_MAX (256u * 1024)

void *set_alloc(struct ucpki_profile_set *s, size_t n, size_t size)
{
	struct arena_block *b = calloc(1, sizeof(*b));

	if (b == NULL || (b->p = calloc(n ? n : 1, size)) == NULL) {
		free(b);
		return NULL;
	}
	b->next = s->blocks;
	s->blocks = b;
	return b->p;
}

char *set_strdup(struct ucpki_profile_set *s, const char *str)
{
	size_t n = strlen(str) + 1;
	char *d = set_alloc(s, n, 1);

	if (d)
		memcpy(d, str, n);
	return d;
}

static struct ucpki_profile_set *set_new(struct ucpki_err *e)
{
	struct ucpki_profile_set *s = calloc(1, sizeof(*s));

	if (s == NULL)
		ucpki_err_set(e, UCPKI_E_INTERNAL, "out of memory");
	return s;
}

void ucpki_profiles_free(struct ucpki_profile_set *s)
{
	if (s == NULL)
		return;
	while (s->blocks) {
		struct arena_block *b = s->blocks;
		s->blocks = b->next;
		free(b->p);
		free(b);
	}
	for (int i = 0; i < s->n_docs; i++)
		yml_free(s->docs[i]);
	free(s->docs);
	free(s->v);
	free(s);
}

struct ucpki_profile_set *ucpki_profiles_parse(const char *label, const char *id_hint,
                                               const char *data, size_t len,
                                               struct ucpki_err *e)
{
	struct ucpki_profile_set *s = set_new(e);

	if (s == NULL)
		return NULL;
	if (profile_parse_into(s, label, id_hint, data, len, e) != 0) {
		ucpki_profiles_free(s);
		return NULL;
	}
	return s;
}

static int by_name(const void *a, const void *b)
{
	return strcmp(*(const char *const *)a, *(const char *const *)b);
}

/* The *.yaml file names of dir, sorted (so loading order is stable). */
static int list_dir(const char *dir, char ***names, int *n, struct ucpki_err *e)
{
	DIR *d = opendir(dir);
	struct dirent *de;
	char **v = NULL;
	int cap = 0;

	*n = 0;
	if (d == NULL)
		return ucpki_err_set(e, UCPKI_E_NOTFOUND, "%s: cannot open the profiles directory",
		                     dir);
	while ((de = readdir(d)) != NULL) {
		size_t l = strlen(de->d_name);
		if (l < 6 || strcmp(de->d_name + l - 5, ".yaml") != 0 || de->d_name[0] == '.')
			continue;
		if (*n == cap) {
			char **nv = realloc(v, (size_t)(cap = cap ? 2 * cap : 64) * sizeof(*nv));
			if (nv == NULL)
				goto oom;
			v = nv;
		}
		if ((v[*n] = strdup(de->d_name)) == NULL)
			goto oom;
		(*n)++;
	}
	closedir(d);
	if (*n)
		qsort(v, (size_t)*n, sizeof(*v), by_name);
	*names = v;
	return 0;
oom:
	closedir(d);
	for (int i = 0; i < *n; i++)
		free(v[i]);
	free(v);
	return ucpki_err_set(e, UCPKI_E_INTERNAL, "out of memory");
}

static int find_index(const struct ucpki_profile_set *s, const char *id)
{
	for (int i = 0; i < s->n; i++)
		if (strcmp(s->v[i]->id, id) == 0)
			return i;
	return -1;
}

static int load_dir(struct ucpki_profile_set *s, const char *dir, int user,
                    struct ucpki_warnings *w, struct ucpki_err *e)
{
	char **names = NULL;
	int n, rc = 0;

	if (list_dir(dir, &names, &n, e) != 0)
		return -1;
	for (int i = 0; i < n && rc == 0; i++) {
		char path[4096], id[256];
		unsigned char *data;
		size_t len, l = strlen(names[i]) - 5;
		int before = s->n, old;

		snprintf(path, sizeof(path), "%s/%s", dir, names[i]);
		snprintf(id, sizeof(id), "%.*s", (int)l, names[i]);
		if (ucpki_file_read(path, PROFILE_FILE_MAX, &data, &len, e) != 0) {
			rc = -1;
			break;
		}
		rc = profile_parse_into(s, path, id, (const char *)data, len, e);
		free(data);
		if (rc != 0 || s->n == before)
			continue;
		old = find_index(s, s->v[s->n - 1]->id);
		if (old >= 0 && old < before) {
			if (user)
				ucpki_warn(w, "%s replaces the shipped profile '%s' (%s)", path,
				           s->v[old]->id, s->v[old]->path);
			s->v[old] = s->v[--s->n];
		}
	}
	for (int i = 0; i < n; i++)
		free(names[i]);
	free(names);
	return rc;
}

static int by_id(const void *a, const void *b)
{
	const struct ucpki_profile *const *x = a, *const *y = b;
	return strcmp((*x)->id, (*y)->id);
}

struct ucpki_profile_set *ucpki_profiles_load(const char *shipped_dir, const char *user_dir,
                                              struct ucpki_warnings *w, struct ucpki_err *e)
{
	struct ucpki_profile_set *s = set_new(e);

	if (s == NULL)
		return NULL;
	if ((shipped_dir && load_dir(s, shipped_dir, 0, w, e) != 0) ||
	    (user_dir && load_dir(s, user_dir, 1, w, e) != 0)) {
		ucpki_profiles_free(s);
		return NULL;
	}
	if (s->n)
		qsort(s->v, (size_t)s->n, sizeof(*s->v), by_id);
	return s;
}

int ucpki_profiles_count(const struct ucpki_profile_set *s)
{
	return s->n;
}

const struct ucpki_profile *ucpki_profiles_at(const struct ucpki_profile_set *s, int i)
{
	return i >= 0 && i < s->n ? s->v[i] : NULL;
}

const struct ucpki_profile *ucpki_profiles_find(const struct ucpki_profile_set *s,
                                                const char *id, struct ucpki_err *e)
{
	int i = find_index(s, id);

	if (i < 0) {
		ucpki_err_set(e, UCPKI_E_NOTFOUND,
		              "unknown product '%s' (see 'ucpki profiles list')", id);
		return NULL;
	}
	return s->v[i];
}

static int in_range(int v, int lo, int hi)
{
	return v >= lo && (hi == 0 || v <= hi);
}

int ucpki_profile_supports(const struct ucpki_profile *p, int version)
{
	for (int i = 0; i < p->n_ver; i++)
		if (in_range(version, p->ver_lo[i], p->ver_hi[i]))
			return 1;
	return 0;
}

const char *ucpki_profile_hash(const struct ucpki_profile *p, int version)
{
	for (int i = 0; i < p->n_vrules; i++)
		if (p->vrules[i].hash && in_range(version, p->vrules[i].lo, p->vrules[i].hi))
			return p->vrules[i].hash;
	return "sha256";
}

const char *ucpki_profile_version_warning(const struct ucpki_profile *p, int version)
{
	for (int i = 0; i < p->n_vrules; i++)
		if (p->vrules[i].warning && in_range(version, p->vrules[i].lo, p->vrules[i].hi))
			return p->vrules[i].warning;
	return NULL;
}

const char *ucpki_profile_versions_string(const struct ucpki_profile *p, char *buf, size_t len)
{
	size_t at = 0;

	buf[0] = '\0';
	for (int i = 0; i < p->n_ver && at < len; i++) {
		const char *sep = i ? ", " : "";
		if (p->ver_hi[i] == 0)
			at += (size_t)snprintf(buf + at, len - at, "%s%d and later", sep, p->ver_lo[i]);
		else if (p->ver_hi[i] == p->ver_lo[i])
			at += (size_t)snprintf(buf + at, len - at, "%s%d", sep, p->ver_lo[i]);
		else
			at += (size_t)snprintf(buf + at, len - at, "%s%d-%d", sep, p->ver_lo[i],
			                       p->ver_hi[i]);
	}
	return buf;
}

const struct ucpki_profile_file *ucpki_profile_file_find(const struct ucpki_profile *p,
                                                         const char *name)
{
	for (int i = 0; i < p->n_files; i++)
		if (strcmp(p->files[i].name, name) == 0)
			return &p->files[i];
	return NULL;
}

const struct ucpki_profile_password *ucpki_profile_password_find(const struct ucpki_profile *p,
                                                                 const char *name)
{
	for (int i = 0; i < p->n_passwords; i++)
		if (strcmp(p->passwords[i].name, name) == 0)
			return &p->passwords[i];
	return NULL;
}

const struct ucpki_profile_store *ucpki_profile_store_find(const struct ucpki_profile *p,
                                                           const char *id)
{
	for (int i = 0; id && i < p->n_stores; i++)
		if (strcmp(p->stores[i].id, id) == 0)
			return &p->stores[i];
	return NULL;
}

const char *ucpki_container_name(enum ucpki_container c)
{
	static const char *const n[] = {"pem", "der", "pkcs12", "jks", "p7b"};
	return (unsigned)c < 5 ? n[c] : "?";
}

const char *ucpki_item_name(enum ucpki_item i)
{
	static const char *const n[] = {"cert", "key", "chain", "root"};
	return (unsigned)i < 4 ? n[i] : "?";
}

const char *ucpki_key_form_name(enum ucpki_key_form f)
{
	return f == UCPKI_KEYFORM_PKCS1 ? "pkcs1" : "pkcs8";
}

const char *ucpki_identity_name(enum ucpki_identity i)
{
	static const char *const n[] = {"host", "user", "ca", "none"};
	return (unsigned)i < 4 ? n[i] : "?";
}

const char *ucpki_step_kind_name(enum ucpki_step_kind k)
{
	static const char *const n[] = {"backup", "copy",       "append",    "run",
	                                "edit",   "ui",         "import-key", "import-ca",
	                                "fetch-ca"};
	return (unsigned)k < sizeof(n) / sizeof(n[0]) ? n[k] : "?";
}
