/// Work handed to a thread of its own, for a stage to wait on later: a flush to disk beside the next step.
import Foundation

/// Runs `work` on a new thread at once; `wait()` returns when it has ended, throwing what it threw.
final class BackgroundTask: @unchecked Sendable {
  private let condition = NSCondition()
  // Under `condition`.
  private var ended = false
  private var failure: (any Error)?

  init(name: String, _ work: @escaping @Sendable () throws -> Void) {
    let thread = Thread { [self] in
      var thrown: (any Error)?
      do { try work() } catch { thrown = error }
      condition.lock()
      (ended, failure) = (true, thrown)
      condition.broadcast()
      condition.unlock()
    }
    thread.name = name
    thread.start()
  }

  /// Waits for the work to end; throws its error, each time this is called.
  func wait() throws {
    condition.lock()
    while !ended { condition.wait() }
    let failure = failure
    condition.unlock()
    if let failure { throw failure }
  }
}
