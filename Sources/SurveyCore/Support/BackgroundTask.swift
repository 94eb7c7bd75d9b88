/// Work handed to a thread of its own, for a stage to wait on later: a flush to disk beside the next step, or the
/// reference tables' digests beside the reading of the surveys.
import Foundation

/// Runs `work` on a new thread at once; `wait()` returns what it made when it has ended, or throws what it threw.
final class BackgroundTask<Value: Sendable>: @unchecked Sendable {
  private let condition = NSCondition()
  // Under `condition`.
  private var result: Result<Value, any Error>?

  init(name: String, _ work: @escaping @Sendable () throws -> Value) {
    let thread = Thread { [self] in
      let made = Result(catching: work)
      condition.lock()
      result = made
      condition.broadcast()
      condition.unlock()
    }
    thread.name = name
    thread.start()
  }

  /// Waits for the work to end; returns its value or throws its error, each time this is called.
  @discardableResult
  func wait() throws -> Value {
    condition.lock()
    while result == nil { condition.wait() }
    let result = result!
    condition.unlock()
    return try result.get()
  }
}

/// A value made on one thread and handed whole to the thread that waits for it (`BackgroundTask`), which alone
/// uses it afterwards: for a class that is not `Sendable` because it is not safe to share, only to hand over.
struct HandedOver<Value>: @unchecked Sendable {
  let value: Value
}
