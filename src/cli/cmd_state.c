/* ucpki init, pki create, pki list */
#include <string.h>
#include <time.h>

#include "cli.h"

int cmd_init(struct cli *c, int argc, char **argv)
{
	static const struct opt opts[] = {OPT_END};
	struct ucpki_state_opts o;
	char **pos;
	int npos, done, created, rc, ms;

	rc = cli_parse(c, cli_cmd("init"), opts, NULL, argc, argv, &pos, &npos, 0, 0, &done);
	if (done)
		return rc;
	if (cli_lock_timeout_ms(c, &ms) != 0)
		return 2;
	cli_state_opts(c, &o);
	if (ucpki_state_init(&o, &created, &c->warn, &c->err) != 0)
		return cli_fail(c);
	if (c->json) {
		json_object_set_new(cli_json_obj(c), "state", json_string(o.dir));
		json_object_set_new(cli_json_obj(c), "created", json_boolean(created));
	} else if (!c->quiet) {
		printf(created ? "initialised state in %s\n" : "state in %s already exists\n", o.dir);
	}
	cli_emit(c);
	return 0;
}

struct pki_create_args {
	const char *desc;
};

int cmd_pki_create(struct cli *c, int argc, char **argv)
{
	static const struct opt opts[] = {
		{"desc", OPT_STR, offsetof(struct pki_create_args, desc), "TEXT", "description"},
		OPT_END,
	};
	struct pki_create_args a = {0};
	char **pos;
	int npos, done, rc;

	rc = cli_parse(c, cli_cmd("pki create"), opts, &a, argc, argv, &pos, &npos, 1, 1, &done);
	if (done)
		return rc;
	if (cli_state(c) == NULL || ucpki_pki_create(c->st, pos[0], a.desc, &c->err) != 0)
		return cli_fail(c);
	if (c->json)
		json_object_set_new(cli_json_obj(c), "pki", json_string(pos[0]));
	else if (!c->quiet)
		printf("created PKI %s\n", pos[0]);
	cli_emit(c);
	return 0;
}

static int list_pki(void *arg, const struct ucpki_pki_rec *r)
{
	struct cli *c = arg;
	char when[32];

	ucpki_time_string((time_t)r->created, when, sizeof(when));
	if (c->json) {
		json_t *o = json_object();
		json_object_set_new(o, "name", json_string(r->name));
		json_object_set_new(o, "description", json_string(r->description));
		json_object_set_new(o, "created", json_string(when));
		json_array_append_new(c->out, o);
	} else {
		printf("%-20s %-20s %s\n", r->name, when, r->description);
	}
	return 0;
}

int cmd_pki_list(struct cli *c, int argc, char **argv)
{
	static const struct opt opts[] = {OPT_END};
	char **pos;
	int npos, done, rc;

	rc = cli_parse(c, cli_cmd("pki list"), opts, NULL, argc, argv, &pos, &npos, 0, 0, &done);
	if (done)
		return rc;
	if (cli_state(c) == NULL)
		return cli_fail(c);
	if (c->json)
		c->out = json_array();
	else
		printf("%-20s %-20s %s\n", "PKI", "CREATED", "DESCRIPTION");
	if (ucpki_store_pki_list(ucpki_state_store(c->st), list_pki, c, &c->err) != 0)
		return cli_fail(c);
	cli_emit(c);
	return 0;
}

static int print_problem(void *arg, const struct ucpki_state_problem *p)
{
	struct cli *c = arg;

	if (c->json) {
		json_t *o = json_object();
		json_object_set_new(o, "kind", json_string(p->kind));
		json_object_set_new(o, "ca", json_string(p->ca));
		json_object_set_new(o, "serial", cli_serial_json(p->serial));
		json_object_set_new(o, "message", json_string(p->message));
		json_array_append_new(json_object_get(c->out, "problems"), o);
	} else if (strcmp(p->kind, "undelivered") == 0) {
		printf("%s (ucpki revoke --ca %s %s)\n", p->message, p->ca, p->serial);
	} else {
		printf("%s\n", p->message);
	}
	return 0;
}

int cmd_state_check(struct cli *c, int argc, char **argv)
{
	static const struct opt opts[] = {OPT_END};
	struct ucpki_state_counts n;
	char **pos;
	int npos, done, rc;

	rc = cli_parse(c, cli_cmd("state check"), opts, NULL, argc, argv, &pos, &npos, 0, 0, &done);
	if (done)
		return rc;
	if (cli_state(c) == NULL)
		return cli_fail(c);
	if (c->json)
		json_object_set_new(cli_json_obj(c), "problems", json_array());
	if (ucpki_state_check(c->st, print_problem, c, &n, &c->err) != 0)
		return cli_fail(c);
	if (c->json) {
		json_t *o = cli_json_obj(c);
		json_object_set_new(o, "state", json_string(cli_state_dir(c)));
		json_object_set_new(o, "ok", json_boolean(n.problems == 0));
		json_object_set_new(o, "cas", json_integer(n.cas));
		json_object_set_new(o, "certificates", json_integer(n.certs));
		json_object_set_new(o, "crls", json_integer(n.crls));
		json_object_set_new(o, "undelivered", json_integer(n.undelivered));
	} else if (n.problems == 0) {
		printf("state check: ok (%d CA%s, %d certificate%s, %d CRL%s)\n", n.cas,
		       n.cas == 1 ? "" : "s", n.certs, n.certs == 1 ? "" : "s", n.crls,
		       n.crls == 1 ? "" : "s");
	} else {
		printf("state check: %d problem%s (%d CA%s, %d certificate%s, %d CRL%s)\n", n.problems,
		       n.problems == 1 ? "" : "s", n.cas, n.cas == 1 ? "" : "s", n.certs,
		       n.certs == 1 ? "" : "s", n.crls, n.crls == 1 ? "" : "s");
	}
	cli_emit(c);
	return n.problems == 0 ? 0 : 1;
}

struct backup_args {
	int force;
};

int cmd_state_backup(struct cli *c, int argc, char **argv)
{
	static const struct opt opts[] = {
		{"force", OPT_FLAG, offsetof(struct backup_args, force), NULL, "replace FILE"},
		OPT_END,
	};
	struct backup_args a = {0};
	char **pos;
	int npos, done, rc;

	rc = cli_parse(c, cli_cmd("state backup"), opts, &a, argc, argv, &pos, &npos, 1, 1, &done);
	if (done)
		return rc;
	if (cli_state(c) == NULL || ucpki_state_backup(c->st, pos[0], a.force, &c->err) != 0)
		return cli_fail(c);
	if (c->json) {
		json_object_set_new(cli_json_obj(c), "state", json_string(cli_state_dir(c)));
		json_object_set_new(cli_json_obj(c), "backup", json_string(pos[0]));
	} else if (!c->quiet) {
		printf("backed up %s to %s\n", cli_state_dir(c), pos[0]);
	}
	cli_emit(c);
	return 0;
}
