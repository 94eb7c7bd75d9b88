// prctl(PR_SET_PDEATHSIG) for the stages, so that they end with scripts/run-pipeline even when it is SIGKILLed.
#include "process_control.h"

#include <errno.h>
#ifdef __linux__
#include <sys/prctl.h>
#endif

int survey_signal_on_parent_death(int signal) {
#ifdef __linux__
  return prctl(PR_SET_PDEATHSIG, (unsigned long)signal, 0UL, 0UL, 0UL);
#else
  (void)signal;
  errno = ENOSYS;
  return -1;
#endif
}
