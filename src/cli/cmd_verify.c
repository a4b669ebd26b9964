/* Command table of the verify group (see cli.h). */
#include "cli.h"

const struct cmd cmds_verify[] = {
	CMD_END,
};
