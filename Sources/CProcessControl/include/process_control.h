// Process control Swift cannot call itself: prctl(2) is variadic, and Swift imports no variadic C function.
#ifndef SURVEY_PROCESS_CONTROL_H
#define SURVEY_PROCESS_CONTROL_H

// Asks the kernel to send `signal` to this process when the thread that started it (its parent) ends, however
// it ends; returns 0, or -1 with errno set, and -1 always where there is no PR_SET_PDEATHSIG (not Linux).
int survey_signal_on_parent_death(int signal);

#endif
