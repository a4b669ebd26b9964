/*
 * solution probe: connect to every node's TLS endpoint and tell whether it
 * presents the certificate ucpki issued for it, when that expires, and
 * whether the node's clients would accept it at their verification level
 * (the product profile's, guide 3.12.2.3).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "solution/solution_internal.h"
#include "ucpki/verify.h"

#define DEFAULT_TIMEOUT_MS 3000

struct ca_names {
	const char *pki;
	char **refs;
	int n, cap;
};

static int collect_ca(void *arg, const struct ucpki_ca_summary *s)
{
	struct ca_names *c = arg;
	char ref[160], **nv;

	if (strcmp(s->pki, c->pki) != 0)
		return 0;
	if (c->n == c->cap) {
		int ncap = c->cap ? c->cap * 2 : 8;
		if ((nv = realloc(c->refs, (size_t)ncap * sizeof(*nv))) == NULL)
			return -1;
		c->refs = nv;
		c->cap = ncap;
	}
	snprintf(ref, sizeof(ref), "%s/%s", s->pki, s->name);
	if ((c->refs[c->n] = strdup(ref)) == NULL)
		return -1;
	c->n++;
	return 0;
}

/* Every CA of the solution's PKI (and the chain above imported ones) is a
 * trust anchor, as the devices load them. */
static struct ucpki_verifier *solution_verifier(struct ucpki_state *st,
                                                const struct ucpki_inventory *inv,
                                                struct ucpki_err *e)
{
	struct ucpki_verify_opts vo = {0};
	struct ca_names c = {inv->pki, NULL, 0, 0};
	struct ucpki_verifier *v = ucpki_verifier_new(&vo, e);
	int rc = 0;

	if (v == NULL)
		return NULL;
	if (ucpki_ca_list(st, collect_ca, &c, e) != 0)
		rc = -1;
	for (int i = 0; rc == 0 && i < c.n; i++) {
		struct ucpki_ca *ca = ucpki_ca_open(st, c.refs[i], e);
		STACK_OF(X509) *chain = ca ? ucpki_ca_chain(ca) : NULL;
		if (ca == NULL)
			rc = -1;
		for (int j = 0; rc == 0 && j < sk_X509_num(chain); j++)
			rc = ucpki_verifier_add_trust(v, sk_X509_value(chain, j), e);
		ucpki_ca_free(ca);
	}
	for (int i = 0; i < c.n; i++)
		free(c.refs[i]);
	free(c.refs);
	if (rc == 0 && c.n == 0)
		rc = ucpki_err_set(e, UCPKI_E_NOTFOUND,
		                   "PKI '%s' has no CA in this state: run 'ucpki solution issue' first",
		                   inv->pki);
	if (rc != 0) {
		ucpki_verifier_free(v);
		return NULL;
	}
	return v;
}

/* The product whose endpoint the node is probed on: the first with one. */
static const struct ucpki_profile *probed_product(const struct inv_node *n,
                                                  const struct ucpki_profile_endpoint **ep)
{
	for (int i = 0; i < n->n_products; i++)
		if (n->products[i]->n_endpoints > 0) {
			*ep = &n->products[i]->endpoints[0];
			return n->products[i];
		}
	*ep = NULL;
	return n->n_products ? n->products[0] : NULL;
}

static void judge(struct ucpki_node_probe *r, const struct ucpki_endpoint_report *rep,
                  time_t now)
{
	r->reached = 1;
	r->live_serial = rep->leaf_serial;
	r->live_subject = rep->leaf_subject;
	r->not_after = rep->leaf_not_after;
	r->expires_in_days = (int)((rep->leaf_not_after - now) / 86400);
	r->ours = r->issued_serial[0] && strcmp(rep->leaf_serial, r->issued_serial) == 0;
	r->accepted = rep->verdict && rep->verdict->accepted;
	r->verdict = rep->verdict == NULL ? "not judged"
	             : rep->verdict->accepted ? "accepted" : rep->verdict->reason;
}

static int probe_node(const struct ucpki_inventory *inv, const struct inv_node *n,
                      const struct old_manifest *m, struct ucpki_verifier *v,
                      const struct ucpki_solution_probe_opts *o, ucpki_probe_cb cb, void *arg,
                      int *failures, struct ucpki_err *e)
{
	const struct ucpki_profile_endpoint *ep;
	const struct ucpki_profile *pr = probed_product(n, &ep);
	const struct old_node *old = manifest_find(m, n->name);
	struct ucpki_endpoint_opts eo = {0};
	struct ucpki_endpoint_report *rep = NULL;
	struct ucpki_node_probe r = {0};
	struct ucpki_err pe = {0};
	struct node_spec s;
	int rc;

	if (node_spec_make(inv, n, 0, &s, e) != 0)
		return -1;
	r.name = n->name;
	r.products = s.products;
	r.issued_serial = old ? old->serial : "";
	r.host = n->n_fqdn ? n->fqdn[0] : n->n_ip ? n->ip[0] : "";
	r.port = n->port ? n->port : ep ? ep->port : 0;
	r.endpoint = ep ? ep->name : "";
	r.level = pr && pr->verify_level ? pr->verify_level : "trusted";
	if (s.identity == UCPKI_IDENT_NONE)
		r.skipped = "CA certificates only";
	else if (r.port == 0)
		r.skipped = "no TLS endpoint in its profile (set port: in the inventory)";
	else if (r.host[0] == '\0')
		r.skipped = "no FQDN or IP";
	if (r.skipped == NULL) {
		eo.host = r.host;
		eo.port = r.port;
		eo.servername = n->n_fqdn ? n->fqdn[0] : NULL;
		eo.connect_timeout_ms = eo.handshake_timeout_ms =
		    o->timeout_ms > 0 ? o->timeout_ms : DEFAULT_TIMEOUT_MS;
		if (ucpki_level_parse(r.level, &eo.level, &pe) != 0)
			eo.level = UCPKI_LEVEL_TRUSTED;
		if (ucpki_probe_endpoint(&eo, v, &rep, &pe) != 0)
			r.error = pe.msg;
		else
			judge(&r, rep, time(NULL));
		if (!r.reached || !r.ours || !r.accepted)
			(*failures)++;
	}
	rc = cb(arg, &r);
	ucpki_endpoint_report_free(rep);
	node_spec_clear(&s);
	return rc < 0 ? -1 : 0;
}

int ucpki_solution_probe(struct ucpki_state *st, const struct ucpki_inventory *inv,
                         const struct ucpki_solution_probe_opts *o, ucpki_probe_cb cb, void *arg,
                         int *failures, struct ucpki_err *e)
{
	struct ucpki_verifier *v;
	struct old_manifest m;
	int rc = 0, found = 0;

	*failures = 0;
	if (st == NULL)
		return ucpki_err_set(e, UCPKI_E_NOTFOUND,
		                     "no state: run 'ucpki solution issue' before probing");
	if (manifest_read(o->out_dir, &m, e) != 0)
		return -1;
	if ((v = solution_verifier(st, inv, e)) == NULL) {
		manifest_clear(&m);
		return -1;
	}
	for (int i = 0; i < inv->n_nodes && rc == 0; i++) {
		if (o->node && strcmp(o->node, inv->nodes[i].name) != 0)
			continue;
		found = 1;
		rc = probe_node(inv, &inv->nodes[i], &m, v, o, cb, arg, failures, e);
	}
	if (rc == 0 && o->node && !found)
		rc = ucpki_err_set(e, UCPKI_E_NOTFOUND, "no node '%s' in %s", o->node, inv->label);
	ucpki_verifier_free(v);
	manifest_clear(&m);
	return rc;
}
