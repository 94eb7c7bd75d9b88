import Foundation

/// The place answers normalise's two threads have made, for each to take up the other's (`RowNormaliser.place`).
///
/// Each thread reads its own table of answers (`PackedCaches.places`), without a lock, by a key that numbers the
/// file; a key its table lacks is looked up here, under a lock, before the thread resolves the spellings itself.
/// Each thread had resolved nearly every distinct district and commune pair of the survey: at 100,000 rows of the
/// benchmark's survey, 28,608 answers made for 15,327 distinct keys, at about 29,500 instructions each (callgrind),
/// 42% of the stage. An answer depends only on what this key holds: the two spellings as written, the file's name
/// when corrections name files (a district or commune entry may be limited to one file), and whether the row's
/// survey date is before the 2025 reform, where that played a part (`PlaceResolver.lastAnswerReadTheDate`; in
/// that survey, each pair of spellings came with dates on both sides of it). So which thread made it changes
/// nothing in what either writes, as long as both normalisers are made from the same reference tables,
/// corrections and wording.
///
/// An answer's bytes are kept as they were made: the byte a thread keeps there of the rows without a tax code it
/// saw at the place (`Place.uncodedMark`) is 0 here, as in a new answer, and each thread sets it in its own table.
final class SharedPlaceAnswers: @unchecked Sendable {  // every use of `answers` is under `lock`
  struct Answer: Sendable {
    /// `PackedCaches.PlaceCell.bytes`, as made.
    let bytes: [UInt8]
    let cell: PackedCaches.PlaceCell
  }

  private let lock = NSLock()
  /// At most `NormaliseCache.limit` answers, as the threads' own tables (it starts again when full).
  private let answers = BytesTable<Answer>(limit: NormaliseCache.limit)

  init() {}

  /// The answer stored under `key` (`RowNormaliser.appendSharedPlaceKey`), if either thread has made it.
  func answer(_ key: UnsafeRawBufferPointer) -> Answer? {
    lock.withLock { answers.value(key) }
  }

  /// Stores the answer a thread made for `key`, unless the other thread stored it meanwhile.
  func store(_ key: UnsafeRawBufferPointer, _ answer: Answer) {
    lock.withLock {
      if answers.entry(key) == nil { answers.insert(key, answer) }
    }
  }
}
