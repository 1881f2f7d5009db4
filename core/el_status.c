/* Status codes, messages and the ElError helper. Generated from EL_STATUS_LIST. */
#include "el_status.h"

#include <stdio.h>
#include <string.h>

static const char *const messages[] = {
#define EL_X_MSG(code, exitcode, text) text,
    EL_STATUS_LIST(EL_X_MSG)
#undef EL_X_MSG
};

static const char *const names[] = {
#define EL_X_NAME(code, exitcode, text) #code,
    EL_STATUS_LIST(EL_X_NAME)
#undef EL_X_NAME
};

static const int exit_codes[] = {
#define EL_X_EXIT(code, exitcode, text) exitcode,
    EL_STATUS_LIST(EL_X_EXIT)
#undef EL_X_EXIT
};

const char *el_strerror(el_status st)
{
    if ((int)st < 0 || st >= EL_STATUS_COUNT)
        return "unknown status";
    return messages[st];
}

const char *el_status_name(el_status st)
{
    if ((int)st < 0 || st >= EL_STATUS_COUNT)
        return "EL_UNKNOWN";
    return names[st];
}

int el_status_exit_code(el_status st)
{
    if ((int)st < 0 || st >= EL_STATUS_COUNT)
        return 1;
    return exit_codes[st];
}

el_status el_error_set(ElError *err, el_status code, const char *fmt, ...)
{
    if (err) {
        va_list ap;
        err->code = code;
        va_start(ap, fmt);
        vsnprintf(err->msg, sizeof(err->msg), fmt, ap);
        va_end(ap);
    }
    return code;
}

/* The XSI strerror_r (int result): -D_POSIX_C_SOURCE=200809L and no _GNU_SOURCE in this file. */
const char *el_errno_text(int errnum, char *buf, size_t size)
{
    if (!buf || size == 0)
        return "";
    buf[0] = '\0';
    if (strerror_r(errnum, buf, size) != 0 || buf[0] == '\0')
        snprintf(buf, size, "error %d", errnum);
    return buf;
}

void el_error_clear(ElError *err)
{
    if (err) {
        err->code = EL_OK;
        err->msg[0] = '\0';
    }
}
