#ifndef CW_EMBEDDED_H
#define CW_EMBEDDED_H

#include <stddef.h>

/* A text file compiled into the program by core/embed.py. Arrays of these end
 * with an entry whose name is NULL. */
struct cw_embedded {
	const char *name;
	const char *text;
};

#endif
