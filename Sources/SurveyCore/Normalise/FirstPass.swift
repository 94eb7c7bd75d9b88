// Normalise's first pass over the blocks of ingested.rows, on two threads.
//
// Normalising a block's rows is most of the work and needs only the
// thread's own normaliser; accounting for them (counts, establishments.csv,
// scratch file, dedup index, review and rejects) must be done in input order
// on the stage's thread. A second thread normalises blocks; the stage's
// thread accounts for every block that is ready, in order, and normalises a
// block itself whenever nothing is ready, so neither core waits for the
// other while there is work.

import Foundation

/// Runs the first pass over a companion's blocks with the stage's thread and one more.
final class FirstPass: @unchecked Sendable {
  /// Blocks taken and not yet accounted for at which the second thread waits rather than run further ahead
  /// (the stage's thread stops taking blocks at twice as many), so memory stays at a few blocks.
  static let ahead = 4

  private let condition = NSCondition()
  private let columns: StagedColumns
  private let makeNormaliser: () -> RowNormaliser
  // Under `condition`: the reader's functions, the next block's number, what has been normalised, and the
  // workers free for each thread.
  private var next: (() throws -> StagedRowsBlock?)?
  private var recycle: ((StagedRowsBlock) -> Void)?
  private var handedOut = 0
  private var exhausted = false
  private var readFailure: (any Error)?
  private var ready: [Int: (worker: RowWorker, block: StagedRowsBlock)] = [:]
  private var working = 0
  private var stopping = false
  private var helperDone = false
  private var spares: [[RowWorker]] = [[], []]

  private init(
    columns: StagedColumns, makeNormaliser: @escaping () -> RowNormaliser,
    next: @escaping () throws -> StagedRowsBlock?, recycle: @escaping (StagedRowsBlock) -> Void
  ) {
    self.columns = columns
    self.makeNormaliser = makeNormaliser
    self.next = next
    self.recycle = recycle
  }

  /// Normalises every block `next` reads, on the stage's thread (with `worker`, and workers sharing its
  /// normaliser) and a second thread (with a normaliser `makeNormaliser` builds there, when there is a second
  /// block), and calls `account` on the stage's thread with each block's worker, in the blocks' order.
  ///
  /// A block that cannot be read is accounted for up to its trouble (the worker's `failure`); an error from
  /// `next` or `account` stops both threads and is thrown once the second has stopped.
  static func run(
    next: () throws -> StagedRowsBlock?, recycle: (StagedRowsBlock) -> Void, columns: StagedColumns,
    worker: RowWorker, makeNormaliser: @escaping () -> RowNormaliser, account: (RowWorker) throws -> Void
  ) throws {
    try withoutActuallyEscaping(next) { next in
      try withoutActuallyEscaping(recycle) { recycle in
        let pass = FirstPass(columns: columns, makeNormaliser: makeNormaliser, next: next, recycle: recycle)
        pass.spares[1] = [worker]
        let helper = Thread { pass.help() }
        helper.name = "normalise rows"
        helper.start()
        defer { pass.stop() }  // the helper has stopped before `next` and `recycle` go out of reach
        try pass.lead(sibling: worker, account)
      }
    }
  }

  /// The next block and its number, or nil when there are no more (or the pass is stopping); under the lock.
  private func take() -> (Int, StagedRowsBlock)? {
    guard !exhausted, !stopping else { return nil }
    do {
      guard let block = try next!() else {
        exhausted = true
        return nil
      }
      handedOut += 1
      working += 1
      return (handedOut - 1, block)
    } catch {
      readFailure = error
      exhausted = true
      return nil
    }
  }

  /// A worker for thread `lane`: a spare, or a new one sharing the lane's normaliser; under the lock.
  private func worker(_ lane: Int, sibling: RowWorker?) -> RowWorker? {
    if let spare = spares[lane].popLast() { return spare }
    return sibling.map(RowWorker.init(sharing:))
  }

  private func work(_ worker: RowWorker, _ block: StagedRowsBlock) {
    let columns = columns
    do {
      try worker.work(block: block, columns: columns)
    } catch {
      worker.stop(error)
    }
    worker.seal()
  }

  /// The second thread: normalises blocks while there are any and it is not too far ahead.
  private func help() {
    var sibling: RowWorker?
    condition.lock()
    while true {
      while ready.count + working >= Self.ahead && !stopping { condition.wait() }
      guard let (number, block) = take() else { break }
      var worker = self.worker(0, sibling: sibling)
      condition.unlock()
      if worker == nil {
        worker = RowWorker(makeNormaliser())  // built here, beside the stage's thread's work
        sibling = worker
      }
      work(worker!, block)
      condition.lock()
      ready[number] = (worker!, block)
      working -= 1
      condition.broadcast()
    }
    helperDone = true
    condition.broadcast()
    condition.unlock()
  }

  /// The stage's thread: accounts for every block ready in order, and normalises one itself when none is.
  private func lead(sibling: RowWorker, _ account: (RowWorker) throws -> Void) throws {
    var nextToAccount = 0
    condition.lock()
    defer { condition.unlock() }
    while true {
      if let (worker, block) = ready.removeValue(forKey: nextToAccount) {
        condition.unlock()
        let lane = worker.normaliser === sibling.normaliser ? 1 : 0
        do {
          try account(worker)
        } catch {
          condition.lock()
          throw error
        }
        condition.lock()
        recycle!(block)
        spares[lane].append(worker)
        nextToAccount += 1
        condition.broadcast()
        continue
      }
      if nextToAccount == handedOut && (exhausted || stopping) {
        if let readFailure { throw readFailure }
        return
      }
      // Nothing to account for yet: the block awaited is being normalised on the second thread. Normalise the
      // next one here meanwhile, unless there are none, or enough are waiting to be accounted for already.
      if ready.count + working < Self.ahead * 2, let (number, block) = take() {
        let worker = self.worker(1, sibling: sibling)!
        condition.unlock()
        work(worker, block)
        condition.lock()
        ready[number] = (worker, block)
        working -= 1
        continue
      }
      condition.wait()
    }
  }

  /// Stops the second thread, waits for it, and lets go of the reader's functions (which must not outlive
  /// `run`, though the thread's closure may hold this pass a moment longer).
  private func stop() {
    condition.lock()
    stopping = true
    condition.broadcast()
    while !helperDone { condition.wait() }
    next = nil
    recycle = nil
    condition.unlock()
  }
}
