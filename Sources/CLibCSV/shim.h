// libcsv (Debian's libcsv-dev): the one C dependency of the pipeline.
#include <csv.h>
