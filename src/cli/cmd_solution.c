/* Command table of the solution group (see cli.h). */
#include "cli.h"

const struct cmd cmds_solution[] = {
	CMD_END,
};
