/* Command table of the server group (see cli.h). */
#include "cli.h"

const struct cmd cmds_server[] = {
	CMD_END,
};
