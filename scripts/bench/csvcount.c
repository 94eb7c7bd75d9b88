/* csvcount: the benchmark's floor. Parses a CSV file with libcsv (strict mode, as the pipeline's reader
 * does) and only counts records and fields; prints "records fields". Whatever the pipeline does around
 * libcsv costs on top of this.
 *
 * Build: cc -O2 -o csvcount csvcount.c -lcsv
 * Usage: csvcount FILE
 */
#include <csv.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

static unsigned long long fields, records;

static void on_field(void *data, size_t len, void *user) {
  (void)data, (void)len, (void)user;
  fields++;
}

static void on_record(int terminator, void *user) {
  (void)terminator, (void)user;
  records++;
}

int main(int argc, char **argv) {
  if (argc != 2) {
    fprintf(stderr, "usage: csvcount FILE\n");
    return 64;
  }
  int fd = open(argv[1], O_RDONLY);
  if (fd < 0) {
    fprintf(stderr, "csvcount: %s: %s\n", argv[1], strerror(errno));
    return 66;
  }
  struct csv_parser parser;
  if (csv_init(&parser, CSV_STRICT | CSV_STRICT_FINI) != 0) return 70;
  static char buffer[1 << 20];
  ssize_t got;
  while ((got = read(fd, buffer, sizeof buffer)) > 0) {
    if (csv_parse(&parser, buffer, (size_t)got, on_field, on_record, NULL) != (size_t)got) {
      fprintf(stderr, "csvcount: %s: %s\n", argv[1], csv_strerror(csv_error(&parser)));
      return 65;
    }
  }
  if (got < 0 || csv_fini(&parser, on_field, on_record, NULL) != 0) {
    fprintf(stderr, "csvcount: %s: read or parse error at the end\n", argv[1]);
    return 65;
  }
  csv_free(&parser);
  close(fd);
  printf("%llu %llu\n", records, fields);
  return 0;
}
