// Files that share most of their rows with another file, or repeat their own:
// the mark of a survey sent again under a new name while the old file stays
// in input/, of a compilation that holds a district's file, or of a sheet
// pasted twice. Tax-code rows are merged anyway, but rows without a tax code
// are only listed as possible duplicates and counted in both files, so the
// report says so and what to do.

/// Gathers duplicates.csv's groups (a row that stands or is listed first, and the rows merged into it or listed
/// beside it) and counts, per pair of files, the establishments both hold.
struct FileOverlaps {
  /// The row that stands (any key naming it once: a scratch offset, an entry index), and whether the group is of
  /// rows listed beside it, which are counted too. A row with a tax code can head both: the rows of its code merged
  /// into it, and rows without a tax code of its name and place listed beside it.
  private struct Group: Hashable {
    var kept: UInt64
    var possible: Bool
  }

  /// The files of each group's rows, the row that stands first.
  private var groups: [Group: [String]] = [:]

  /// Fewest shared rows worth a remark: two rows in common are an establishment surveyed twice, not a file.
  static let minimumRows = 3

  /// Records one row of duplicates.csv, of `file`, merged into or listed beside the row `kept` of `keptFile`.
  /// Merges an analyst decided are left out: those rows are settled.
  mutating func add(file: String, kept: UInt64, keptFile: String, possible: Bool) {
    groups[Group(kept: kept, possible: possible), default: [keptFile]].append(file)
  }

  /// The files whose establishments are at least half in another file (or twice in themselves), and at least
  /// `minimumRows`: each pair said of the smaller file (of two the same size, the later in name order, the
  /// likelier to be the copy), in byte order of file, then other. `rows` gives a file's rows that reached
  /// deduplication (counted or merged).
  func found(rows: (String) -> Int) -> [FileOverlap] {
    struct Pair: Hashable {
      var file: String
      var other: String
    }
    var shared: [Pair: (rows: Int, possible: Int)] = [:]
    for (group, groupFiles) in groups {
      var counts: [String: Int] = [:]
      for file in groupFiles { counts[file, default: 0] += 1 }
      let files = counts.keys.sorted { $0.utf8.lexicographicallyPrecedes($1.utf8) }
      for (index, file) in files.enumerated() {
        let own = counts[file]!
        // Establishments a file holds more than once, and those it shares with each later file.
        var pairs: [(Pair, Int)] = own > 1 ? [(Pair(file: file, other: file), own - 1)] : []
        for other in files[(index + 1)...] { pairs.append((Pair(file: file, other: other), min(own, counts[other]!))) }
        for (pair, count) in pairs {
          shared[pair, default: (0, 0)].rows += count
          if group.possible { shared[pair, default: (0, 0)].possible += count }
        }
      }
    }
    var result: [FileOverlap] = []
    for (pair, count) in shared where count.rows >= Self.minimumRows {
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
