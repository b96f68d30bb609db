/* The floor for reading observations.csv: read the file through a 256 kB
 * window (as the engine does) and split every line into its fields, doing
 * nothing with them. Prints the rows and fields seen.
 *
 *   cc -O2 -o scan bench/scan.c && ./scan bench/out/national/observations.csv
 */
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

int main(int argc, char **argv)
{
    if (argc != 2) {
        fprintf(stderr, "usage: scan FILE\n");
        return 2;
    }
    int fd = open(argv[1], O_RDONLY);
    if (fd < 0) {
        perror(argv[1]);
        return 1;
    }
    static char buf[(256 << 10) + 1];
    size_t have = 0, rows = 0, fields = 0;
    for (;;) {
        ssize_t n = read(fd, buf + have, sizeof buf - 1 - have);
        if (n < 0) {
            perror(argv[1]);
            return 1;
        }
        have += (size_t)n;
        const char *p = buf, *end = buf + have;
        for (;;) {
            const char *nl = memchr(p, '\n', (size_t)(end - p));
            if (!nl) break;
            for (const char *c = p; (c = memchr(c, ',', (size_t)(nl - c))) != NULL; c++) fields++;
            fields++;
            rows++;
            p = nl + 1;
        }
        have = (size_t)(end - p);
        memmove(buf, p, have);
        if (n == 0) break;
    }
    if (have) rows++, fields++;
    close(fd);
    printf("%zu rows, %zu fields\n", rows, fields);
    return 0;
}
