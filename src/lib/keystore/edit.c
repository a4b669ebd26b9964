/*
 * Editing a store file as one locked read-modify-write (ucpki/keystore.h):
 * lock, load or create, change, save atomically with STORE.bak, unlock.
 * The lock covers the load, so two writers never both start from the same
 * contents and one never drops what the other added.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "ucpki/file.h"
#include "ucpki/keystore.h"

struct edit {
	const char *path;
	const struct ucpki_ksedit_opts *o;
	struct ucpki_lock *lock;
	struct ucpki_keystore *ks;
	int created;
};

static void edit_end(struct edit *ed)
{
	ucpki_keystore_free(ed->ks);
	ucpki_lock_release(ed->lock);
	ed->ks = NULL;
	ed->lock = NULL;
}

static int edit_begin(struct edit *ed, const char *path, const struct ucpki_ksedit_opts *o,
                      struct ucpki_err *e)
{
	memset(ed, 0, sizeof(*ed));
	ed->path = path;
	ed->o = o;
	if (o->storepass == NULL)
		return ucpki_err_set(e, UCPKI_E_PASSWORD, "%s: the store password is needed", path);
	if ((ed->lock = ucpki_lock_acquire(path, o->lock_timeout_ms, e)) == NULL)
		return -1;
	ucpki_file_remove_temps(path);
	if (o->create && access(path, F_OK) != 0 && errno == ENOENT) {
		enum ucpki_kstype t = o->type ? o->type : ucpki_kstype_for_path(path);
		if (t == UCPKI_KS_JCEKS)
			return ucpki_err_set(e, UCPKI_E_INPUT, "%s: JCEKS keystores are read-only", path);
		ed->created = 1;
		if ((ed->ks = ucpki_keystore_new(t)) == NULL)
			return ucpki_err_set(e, UCPKI_E_INTERNAL, "out of memory");
		return 0;
	}
	if ((ed->ks = ucpki_keystore_load(path, o->storepass, o->keypass, e)) == NULL)
		return -1;
	if (o->warn) {
		const struct ucpki_warnings *w = ucpki_keystore_warnings(ed->ks);
		for (int i = 0; i < w->n; i++)
			ucpki_warn(o->warn, "%s", w->msg[i]);
	}
	if (o->type && o->type != ucpki_keystore_type(ed->ks))
		return ucpki_err_set(e, UCPKI_E_INPUT, "%s: is %s, not %s", path,
		                     ucpki_kstype_name(ucpki_keystore_type(ed->ks)),
		                     ucpki_kstype_name(o->type));
	if (ucpki_keystore_type(ed->ks) == UCPKI_KS_JCEKS)
		return ucpki_err_set(e, UCPKI_E_INPUT,
		                     "%s: JCEKS keystores are read-only here: import its entries "
		                     "into a new JKS or PKCS#12 keystore and edit that one",
		                     path);
	return 0;
}

/* Mode for a rewritten store: keep the file's own, else 0600 with keys and
 * 0644 for a truststore. */
static unsigned store_mode(const char *path, const struct ucpki_keystore *ks)
{
	struct stat st;

	if (stat(path, &st) == 0)
		return st.st_mode & 07777;
	for (int i = 0; i < ucpki_keystore_count(ks); i++)
		if (ucpki_keystore_entry(ks, i)->type != UCPKI_KSE_TRUSTED)
			return 0600;
	return 0644;
}

static int edit_commit(struct edit *ed, const char *storepass, const char *keypass,
                       struct ucpki_ksedit_result *r, struct ucpki_err *e)
{
	struct ucpki_p12_opts p12 = {.legacy = ed->o->legacy};
	int rc = ucpki_keystore_save(ed->ks, ed->path, storepass, keypass, &p12,
	                             store_mode(ed->path, ed->ks),
	                             ed->created ? 0 : UCPKI_WRITE_BACKUP, e);

	if (rc != 0 && e && e->code == UCPKI_E_POLICY) {
		size_t used = strlen(e->msg);
		snprintf(e->msg + used, sizeof(e->msg) - used, ": the store is left unchanged");
	}
	if (rc == 0 && r) {
		r->created = ed->created;
		r->entries = ucpki_keystore_count(ed->ks);
		r->type = ucpki_keystore_type(ed->ks);
	}
	return rc;
}

static void prefix_path(struct ucpki_err *e, const char *path)
{
	/* Messages of the entry operations do not name the file yet. */
	if (e && strncmp(e->msg, path, strlen(path)) != 0)
		ucpki_err_prefix(e, "%s: ", path);
}

int ucpki_keystore_edit_import_ca(const char *store, const struct ucpki_ksedit_opts *o,
                                  STACK_OF(X509) *certs, const char *alias,
                                  struct ucpki_ksedit_result *r, struct ucpki_err *e)
{
	struct edit ed;
	int n = sk_X509_num(certs), rc = -1;

	if (r)
		memset(r, 0, sizeof(*r));
	if (n <= 0)
		return ucpki_err_set(e, UCPKI_E_INPUT, "%s: no certificate to import", store);
	if (edit_begin(&ed, store, o, e) != 0)
		goto out;
	if ((rc = ucpki_keystore_add_trusted_certs(ed.ks, certs, alias, e)) != 0) {
		prefix_path(e, store);
		goto out;
	}
	if ((rc = edit_commit(&ed, o->storepass, o->keypass, r, e)) == 0 && r)
		r->changed = n;
out:
	edit_end(&ed);
	return rc;
}

int ucpki_keystore_edit_import(const char *store, const struct ucpki_ksedit_opts *o,
                               struct ucpki_keystore *src, const char *src_label,
                               const char *src_alias, const char *dest_alias,
                               const char *src_keypass, struct ucpki_ksedit_result *r,
                               struct ucpki_err *e)
{
	struct edit ed;
	int only = -1, copied = 0, rc = -1;

	if (r)
		memset(r, 0, sizeof(*r));
	if (src_alias && (only = ucpki_keystore_find(src, src_alias)) < 0)
		return ucpki_err_set(e, UCPKI_E_NOTFOUND, "%s: alias '%s' does not exist", src_label,
		                     src_alias);
	/* Open the source keys before taking the destination's lock. */
	for (int i = 0; i < ucpki_keystore_count(src); i++)
		if ((only < 0 || i == only) && ucpki_keystore_unlock(src, i, src_keypass, e) != 0) {
			prefix_path(e, src_label);
			return -1;
		}
	if (edit_begin(&ed, store, o, e) != 0)
		goto out;
	for (int i = 0; i < ucpki_keystore_count(src); i++) {
		if (only >= 0 && i != only)
			continue;
		if (ucpki_keystore_add_copy(ed.ks, ucpki_keystore_entry(src, i), dest_alias, e) != 0) {
			if (e && e->code == UCPKI_E_POLICY)
				ucpki_err_prefix(e, "%s: ", src_label);
			else
				prefix_path(e, store);
			goto out;
		}
		copied++;
	}
	if ((rc = edit_commit(&ed, o->storepass, o->keypass, r, e)) == 0 && r)
		r->changed = copied;
out:
	edit_end(&ed);
	return rc;
}

int ucpki_keystore_edit_delete(const char *store, const struct ucpki_ksedit_opts *o,
                               const char *alias, struct ucpki_ksedit_result *r,
                               struct ucpki_err *e)
{
	struct edit ed;
	int rc = -1;

	if (r)
		memset(r, 0, sizeof(*r));
	if (edit_begin(&ed, store, o, e) != 0)
		goto out;
	if (ucpki_keystore_delete(ed.ks, alias, e) != 0) {
		prefix_path(e, store);
		goto out;
	}
	if ((rc = edit_commit(&ed, o->storepass, o->keypass, r, e)) == 0 && r)
		r->changed = 1;
out:
	edit_end(&ed);
	return rc;
}

int ucpki_keystore_edit_passwd(const char *store, const struct ucpki_ksedit_opts *o,
                               const char *new_storepass, const char *new_keypass,
                               struct ucpki_ksedit_result *r, struct ucpki_err *e)
{
	struct edit ed;
	int rc = -1;

	if (r)
		memset(r, 0, sizeof(*r));
	if (new_storepass == NULL)
		return ucpki_err_set(e, UCPKI_E_PASSWORD, "%s: the new store password is needed", store);
	if (edit_begin(&ed, store, o, e) != 0)
		goto out;
	for (int i = 0; i < ucpki_keystore_count(ed.ks); i++) {
		const struct ucpki_ksentry *en = ucpki_keystore_entry(ed.ks, i);

		/* What ucpki keeps as stored stays sealed under the old password;
		 * writing it under a new one would leave it unreadable. */
		if (en->type == UCPKI_KSE_OPAQUE && strcmp(new_storepass, o->storepass) != 0) {
			ucpki_err_set(e, UCPKI_E_POLICY,
			              "%s: entry '%s' is %s, which ucpki cannot rewrite under a new "
			              "password: the store is left unchanged",
			              store, en->alias, en->kind ? en->kind : "of an unknown kind");
			goto out;
		}
		/* Every key must be open to be sealed again under the new password. */
		if (ucpki_keystore_unlock(ed.ks, i, o->keypass, e) != 0) {
			prefix_path(e, store);
			goto out;
		}
	}
	rc = edit_commit(&ed, new_storepass, new_keypass, r, e);
out:
	edit_end(&ed);
	return rc;
}
