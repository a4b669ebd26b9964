/* ucpki init, pki create, pki list */
#include <string.h>
#include <time.h>

#include "cli.h"

int cmd_init(struct cli *c, int argc, char **argv)
{
	static const struct opt opts[] = {OPT_END};
	struct ucpki_state_opts o;
	char **pos;
	int npos, done, created, rc;

	rc = cli_parse(c, cli_cmd("init"), opts, NULL, argc, argv, &pos, &npos, 0, 0, &done);
	if (done)
		return rc;
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
