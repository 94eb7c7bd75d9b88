/// A command started by `scripts/run-pipeline` ends when the script does, however the script ends.
import CProcessControl
import Foundation
import SurveyCore

#if canImport(Glibc)
  import Glibc
#endif

/// Ties a stage to the `scripts/run-pipeline` that started it.
///
/// The script stops its stages when it is stopped by SIGTERM, SIGINT or SIGHUP, but SIGKILL (`kill -9` by an
/// operator, the out-of-memory killer) cannot be caught: the stage ran on alone, without the script's lock, beside
/// the next night's run. On Linux the kernel sends a signal when the parent dies if asked (`PR_SET_PDEATHSIG`).
/// The script names itself in `SURVEY_PIPELINE_PID`, so a command run by hand from a shell is left as it was.
enum PipelineParent {
  /// The environment variable `scripts/run-pipeline` sets to its own process id for the commands it starts.
  static let variable = "SURVEY_PIPELINE_PID"

  /// Asks for SIGTERM when the script dies, and sends it at once if the script died before that was asked.
  ///
  /// - Parameter runDirectory: the run folder a stage writes into: on SIGTERM, what this process was writing there
  ///   is removed before it dies, as the script removes it when it stops a stage itself. Nil for a command that
  ///   keeps its own SIGTERM handling (the mail program's).
  static func tie(removingTemporaryFilesIn runDirectory: URL? = nil) {
    guard let text = ProcessInfo.processInfo.environment[variable], let pipeline = pid_t(text), pipeline > 1 else {
      return
    }
    if let runDirectory { removeTemporaryFilesOnTermination(in: runDirectory) }
    guard survey_signal_on_parent_death(SIGTERM) == 0 else { return }
    // The script may have died between starting this process and the request above: the kernel then sends
    // nothing, this process having been handed to another parent already. A wrapper between the two (a test's
    // shell script) is a parent too, so the script itself is asked after.
    if getppid() != pipeline && !isRunning(pipeline) {
      kill(getpid(), SIGTERM)
    }
  }

  /// True while `process` runs: it exists and is no zombie. A script killed while its own parent is gone stays a
  /// zombie until someone reaps it, which a container's init may never do, and a zombie answers `kill(pid, 0)`.
  static func isRunning(_ process: pid_t) -> Bool {
    guard let stat = try? String(contentsOfFile: "/proc/\(process)/stat", encoding: .utf8) else {
      // No procfs to ask (or no such process): the signal's answer is all there is.
      return kill(process, 0) == 0 || errno != ESRCH
    }
    // `pid (name) state ...`: the name may hold spaces and brackets, so the state follows the last ')'.
    guard let close = stat.lastIndex(of: ")") else { return true }
    let state = stat[stat.index(after: close)...].first { $0 != " " }
    return state != "Z" && state != "X"
  }

  /// On SIGTERM, removes this process's temporary files (`AtomicFileWriter`'s `.NAME.tmp-PID`, and the like) from the
  /// run folder, then dies of the signal, so that the script and the manifest see a stage stopped by SIGTERM.
  ///
  /// The signal is blocked here and waited for on a thread of its own, so the removal is ordinary code rather
  /// than a signal handler; threads the stage starts later inherit the block.
  static func removeTemporaryFilesOnTermination(in runDirectory: URL) {
    var terminate = terminationSet()
    pthread_sigmask(SIG_BLOCK, &terminate, nil)
    let suffix = ".tmp-\(getpid())"
    let thread = Thread {
      var waited = terminationSet()
      var received: Int32 = 0
      guard sigwait(&waited, &received) == 0 else { return }
      // No temporary file is created after this: one made by another thread after the listing below stayed.
      TemporaryFileGate.close()
      let names = (try? FileManager.default.contentsOfDirectory(atPath: runDirectory.path)) ?? []
      // `.NAME.tmp-PID`, and normalise's tentative `.establishments.tmp-PID.csv` and its companion.
      for name in names where name.hasPrefix(".") && (name.hasSuffix(suffix) || name.contains(suffix + ".")) {
        unlink(runDirectory.appendingPathComponent(name).path)
      }
      signal(SIGTERM, SIG_DFL)
      pthread_sigmask(SIG_UNBLOCK, &waited, nil)
      raise(SIGTERM)
    }
    thread.start()
  }

  /// The signal set of SIGTERM alone.
  private static func terminationSet() -> sigset_t {
    var set = sigset_t()
    sigemptyset(&set)
    sigaddset(&set, SIGTERM)
    return set
  }
}
