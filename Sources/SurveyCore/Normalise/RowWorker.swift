// One block's worth of the normalise stage's first pass: staged rows in,
// what became of each out (packed cells of counted rows in one buffer), for
// the stage's own thread to account for in input order. Workers that share a
// RowNormaliser (its caches) also share its numbering of source files, and are
// only ever worked on by one thread: workers of different threads share
// nothing while they run.

import Foundation

/// A row a worker counted: `cells` (and `facts.name`) are ranges of the worker's `chunk`; `file` is the worker's
/// own number for the source file.
struct PackedRow {
  var file: Int
  var line: Int
  var facts: PackedFacts
  var cells: Range<Int>
}

/// A row a worker did not count (review or rejected), with the worker's number for its file.
struct OtherRow {
  var file: Int
  var line: Int
  var outcome: NormalisedRow
}

/// Normalises rows into `counted`, `others` and `chunk` until the stage's thread has accounted for them
/// (`reset`). Counted rows and the others are kept apart, in plain arrays: an enum of both, copied out for each
/// row, cost its generic copy and tag functions in the serial accounting loop.
final class RowWorker: @unchecked Sendable {
  let normaliser: RowNormaliser
  /// Each row in input order: its index in `counted`, or, negative, -1 minus its index in `others`.
  @exclusivity(unchecked) private(set) var order: [Int] = []
  @exclusivity(unchecked) private(set) var counted: [PackedRow] = []
  @exclusivity(unchecked) private(set) var others: [OtherRow] = []
  /// A row that cannot be read, after the rows in `order`; nothing after it is worked on.
  @exclusivity(unchecked) private(set) var failure: (any Error)?
  @exclusivity(unchecked) private(set) var chunk = ByteBuffer(capacity: 1 << 20)
  /// The file numbering of the thread that works on this worker, shared with its other workers.
  private let files: SourceFiles
  /// `files.names` as they were when the rows were worked on (`seal()`): the stage's thread reads these, while
  /// the working thread may already be numbering new files for its next block.
  @exclusivity(unchecked) private var names: [String] = []
  /// The stage's number for each of the worker's file numbers, filled in on the stage's thread.
  @exclusivity(unchecked) private var global: [Int] = []
  @exclusivity(unchecked) private var stopped = false

  /// A worker with its own normaliser and file numbering.
  init(_ normaliser: RowNormaliser) {
    self.normaliser = normaliser
    files = SourceFiles(setAside: [])
  }

  /// A worker sharing `sibling`'s normaliser and file numbering, to be worked on by the same thread.
  init(sharing sibling: RowWorker) {
    normaliser = sibling.normaliser
    files = sibling.files
  }

  /// Takes note of the file names the rows worked on so far use: call on the working thread, before the stage's
  /// thread accounts for them.
  func seal() { names = files.names }

  deinit {
    chunk.deallocate()
  }

  /// Records `error` as the worker's failure (a block that cannot be read), after the rows worked on so far;
  /// nothing more is worked on until `reset`.
  func stop(_ error: any Error) {
    guard !stopped else { return }
    failure = error
    stopped = true
  }

  /// Normalises one staged row; after a row that cannot be read, does nothing until `reset`.
  func work(_ record: CSVRawRecord, columns: StagedColumns) {
    work(record, fileID: columns.fileID(record, files), columns: columns)
  }

  /// Rows normalised together by `work(block:columns:)`: enough for many loads to be under way at once in
  /// `warmPlaces`, few enough that what it reads stays in the processor's cache until the rows need it.
  static let groupSize = 32
  /// The file numbers of a group of rows, kept for its capacity.
  @exclusivity(unchecked) private var groupFiles: [Int] = []

  /// Normalises every row of `block` as `work(_:columns:)` does, a group at a time, reading the place answers of
  /// each group ahead together (`RowNormaliser.warmPlaces`).
  func work(block: StagedRowsBlock, columns: StagedColumns) throws {
    try block.forEachGroup(of: Self.groupSize) { group in
      guard !stopped else { return }
      groupFiles.removeAll(keepingCapacity: true)
      for record in group { groupFiles.append(columns.fileID(record, files)) }
      normaliser.warmPlaces(group, fileIDs: groupFiles, columns: columns)
      for (index, record) in group.enumerated() {
        work(record, fileID: groupFiles[index], columns: columns, warmed: index)
      }
    }
  }

  /// - Parameter warmed: the row's place in the group last given to `RowNormaliser.warmPlaces`, if it was.
  private func work(_ record: CSVRawRecord, fileID: Int, columns: StagedColumns, warmed: Int? = nil) {
    guard !stopped else { return }
    guard let line = columns.line(record) else {
      failure = PipelineError(
        .badInput, "source_line is not a number", at: InputLocation(file: ArtefactName.ingested, line: record.line))
      stopped = true
      return
    }
    let file = files.names[fileID]
    let start = chunk.count
    // Packed straight into the chunk: a counted row's cells are not copied again.
    switch normaliser.normalise(
      fileID: fileID, file: file, line: line, record: record, columns: columns, packed: &chunk, warmed: warmed)
    {
    case .counted(let facts):
      order.append(counted.count)
      // The cells end where the place of a row with a tax code begins.
      let end = facts.identityPlace.isEmpty ? chunk.count : facts.identityPlace.lowerBound
      counted.append(PackedRow(file: fileID, line: line, facts: facts, cells: start..<end))
    case .other(.counted(let row)):
      // Counted by the String path: packed here as the byte path packs its rows.
      var encoded: [UInt8] = []
      StagedText.appendFields(row.cells, to: &encoded)
      let start = chunk.count
      encoded.withUnsafeBytes { chunk.append($0) }
      var name = start..<start
      StagedText.forEachField(UnsafeRawBufferPointer(rebasing: chunk.bytes[start...])) { index, field in
        guard index == 3, let base = chunk.bytes.baseAddress, let at = field.baseAddress else { return }
        name = (at - base)..<(at - base + field.count)
      }
      let tax = row.taxCode.isEmpty ? 0 : TaxKey.pack(row.taxCode)!
      let cellsEnd = chunk.count
      if tax != 0 { Array(row.identityPlace(normaliser.folding).utf8).withUnsafeBytes { chunk.append($0) } }
      let facts = PackedFacts(
        tax: tax, date: row.date?.packed ?? 0, fuzzy: row.fuzzy, decisions: row.decisions.isEmpty ? nil : row.decisions,
        remarkSettled: row.remarkSettled,
        remarked: StagedText.lastFieldIsFilled(UnsafeRawBufferPointer(rebasing: chunk.bytes[start...])),
        identity: tax == 0 ? row.identity(normaliser.folding) : nil, name: name,
        district: normaliser.districtOrdinal(row.districtCode), identityPlace: cellsEnd..<chunk.count,
        dateAfterRun: row.dateAfterRun)
      order.append(counted.count)
      counted.append(PackedRow(file: fileID, line: line, facts: facts, cells: start..<cellsEnd))
    case .other(let outcome):
      order.append(-1 - others.count)
      others.append(OtherRow(file: fileID, line: line, outcome: outcome))
    }
  }

  /// The stage's number for the worker's file `local` (on the stage's thread, after the worker has run).
  func globalID(_ local: Int, in stageFiles: SourceFiles) -> Int {
    while global.count <= local { global.append(stageFiles.id(of: names[global.count])) }
    return global[local]
  }

  /// Forgets the rows accounted for; the file numbers stay.
  func reset() {
    order.removeAll(keepingCapacity: true)
    counted.removeAll(keepingCapacity: true)
    others.removeAll(keepingCapacity: true)
    failure = nil
    chunk.removeAll()
    stopped = false
  }
}
