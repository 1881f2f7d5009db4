/* Replays files through a fuzz harness without libFuzzer (gcc builds, make check): every file
 * named on the command line, or every file in the folders named. Exit 0 when none crashed. */
#include <dirent.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static int run_file(const char *path)
{
    struct stat sb;
    FILE *f;
    uint8_t *buf;
    long len;
    if (stat(path, &sb) != 0 || !S_ISREG(sb.st_mode) || sb.st_size > (1L << 24))
        return 0; /* folders are walked by main, not read */
    f = fopen(path, "rb");
    if (!f)
        return 0;
    len = (long)sb.st_size;
    buf = malloc((size_t)len + 1);
    if (buf && fread(buf, 1, (size_t)len, f) == (size_t)len)
        LLVMFuzzerTestOneInput(buf, (size_t)len);
    free(buf);
    fclose(f);
    return 1;
}

int main(int argc, char **argv)
{
    int i, n = 0;
    for (i = 1; i < argc; i++) {
        struct stat sb;
        if (stat(argv[i], &sb) == 0 && S_ISDIR(sb.st_mode)) {
            DIR *d = opendir(argv[i]);
            struct dirent *e;
            while (d && (e = readdir(d))) {
                char path[4096];
                if (e->d_name[0] == '.')
                    continue;
                snprintf(path, sizeof(path), "%s/%s", argv[i], e->d_name);
                n += run_file(path);
            }
            if (d)
                closedir(d);
        } else {
            n += run_file(argv[i]);
        }
    }
    printf("replayed %d inputs\n", n);
    return 0;
}
