/* el_status: the error codes of etslink, their messages, and the caller-owned ElError.
 * One X-macro list defines codes, messages and CLI exit codes so that they never drift apart. */
#ifndef EL_STATUS_H
#define EL_STATUS_H

#include <stdarg.h>
#include <stddef.h>

/* X(code, exit code of the CLI, message). Values are stable: never reuse a retired one. */
#define EL_STATUS_LIST(X)                                              \
    X(EL_OK, 0, "success")                                             \
    X(EL_ERR_NOMEM, 7, "out of memory")                                \
    X(EL_ERR_IO, 5, "file could not be read or written")               \
    X(EL_ERR_XML, 3, "input is not well-formed XML")                   \
    X(EL_ERR_SCHEMA, 3, "input does not follow the scenario schema")   \
    X(EL_ERR_INPUT, 3, "input is well-formed but invalid")             \
    X(EL_ERR_SETTINGS, 3, "a setting is unknown or out of range")      \
    X(EL_ERR_NO_EQUILIBRIUM, 4, "the scenario has no equilibrium")     \
    X(EL_ERR_LP, 6, "the LP backend failed")                           \
    X(EL_ERR_NUMERIC, 6, "numerical failure in the equilibrium solve") \
    X(EL_ERR_USAGE, 2, "invalid command line")                         \
    X(EL_ERR_INTERNAL, 1, "internal error (a bug)")

typedef enum {
#define EL_X_ENUM(code, exitcode, text) code,
    EL_STATUS_LIST(EL_X_ENUM)
#undef EL_X_ENUM
    EL_STATUS_COUNT
} el_status;

/** Error detail, owned by the caller and passed (nullable) as the last argument of actions. */
typedef struct {
    el_status code;
    char msg[512];
} ElError;

/** Static message for a status code; never NULL. */
const char *el_strerror(el_status st);

/** The CLI exit code documented for a status (docs/cli.md). */
int el_status_exit_code(el_status st);

/** Symbolic name of a status, e.g. "EL_ERR_INPUT"; never NULL. */
const char *el_status_name(el_status st);

/** Record code and a printf-style message in err (if not NULL); returns code so that callers can
 * write `return el_error_set(err, EL_ERR_INPUT, "...")`. */
el_status el_error_set(ElError *err, el_status code, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

/** Text of the system error errnum (an errno value) in buf of size bytes, which is returned.
 * Thread-safe (POSIX strerror_r, never strerror's shared buffer); EL_ERRNO_TEXT_SIZE bytes are
 * always enough. An unknown value gives "error N". */
#define EL_ERRNO_TEXT_SIZE 128
const char *el_errno_text(int errnum, char *buf, size_t size);

/** Reset err to EL_OK with an empty message (no-op on NULL). */
void el_error_clear(ElError *err);

#endif
