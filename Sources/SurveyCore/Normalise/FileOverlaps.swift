// Files that share most of their rows with another file, or repeat their own:
// the mark of a survey sent again under a new name while the old file stays
// in input/, or of a sheet pasted twice. Tax-code rows are merged anyway, but
// rows without a tax code are only listed as possible duplicates and counted
// twice, so the report says so and what to do.

/// Counts, per pair of files, the duplicate links between their rows, as normalise writes duplicates.csv.
struct FileOverlaps {
  private struct Pair: Hashable {
    var file: String
    var other: String
  }

  /// Links per pair (names in byte order, or one file twice): all of them, and the possible duplicates.
  private var links: [Pair: (rows: Int, possible: Int)] = [:]

  /// Fewest shared rows worth a remark: two rows in common are an establishment surveyed twice, not a file.
  static let minimumRows = 3

  /// Records one row of duplicates.csv: the row of `file` merged into, or listed beside, a row of `kept`.
  mutating func add(file: String, kept: String, possible: Bool) {
    let pair =
      file.utf8.lexicographicallyPrecedes(kept.utf8) ? Pair(file: file, other: kept) : Pair(file: kept, other: file)
    links[pair, default: (0, 0)].rows += 1
    if possible { links[pair, default: (0, 0)].possible += 1 }
  }

  /// The pairs where the shared rows are at least half of the smaller file's rows that reached deduplication
  /// (counted or merged), and at least `minimumRows`, each said of the smaller file (of two the same size, the
  /// later in name order, the likelier to be the copy); in byte order of file, then other.
  func found(rows: (String) -> Int) -> [FileOverlap] {
    var result: [FileOverlap] = []
    for (pair, count) in links where count.rows >= Self.minimumRows {
      let first = rows(pair.file)
      let second = rows(pair.other)
      let (file, other, of) = first < second ? (pair.file, pair.other, first) : (pair.other, pair.file, second)
      guard count.rows * 2 >= of else { continue }
      result.append(FileOverlap(file: file, other: other, rows: count.rows, of: of, countedTwice: count.possible))
    }
    return result.sorted {
      $0.file != $1.file
        ? $0.file.utf8.lexicographicallyPrecedes($1.file.utf8) : $0.other.utf8.lexicographicallyPrecedes($1.other.utf8)
    }
  }
}
