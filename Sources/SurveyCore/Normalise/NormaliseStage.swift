// The normalise stage: ingested.csv → establishments.csv, review.csv,
// duplicates.csv, normalise-summary.json, and its own rows in rejects.csv.
//
// Every row ingest passed on ends up counted, a duplicate, in review, or
// rejected. Countable rows are held (as encoded CSV lines) until duplicates are
// known; everything else streams.

import Foundation

/// Stage 2: canonical values, districts and duplicates.
public enum NormaliseStage {
  public static let duplicatesHeader = [
    "source_file", "source_line", "kept_file", "kept_line", "kind", "tax_code", "name", "reason",
  ]

  /// Normalises the run folder's `ingested.csv`.
  @discardableResult
  public static func run(runDirectory: URL, reference: ReferenceData, corrections: Corrections) throws
    -> NormaliseSummary
  {
    try corrections.validate(against: reference)
    let ingestSummary = try StableJSON.read(
      IngestSummary.self, from: runDirectory.appendingPathComponent(ArtefactName.ingestSummary))
    let setAside = Set(ingestSummary.files.filter { $0.status == .setAside }.map(\.file))
    var counts: [String: NormaliseCounts] = [:]
    for file in ingestSummary.files { counts[file.file] = NormaliseCounts() }

    let normaliser = RowNormaliser(reference: reference, corrections: corrections)
    let review = try CSVWriter(
      runDirectory.appendingPathComponent(ArtefactName.review), header: RowNormaliser.reviewHeader)
    var rejects: [[String]] = try keptRejects(runDirectory)
    var establishments: [Establishment] = []

    var columns: [String: Int] = [:]
    try CSVFile.forEachRow(
      runDirectory.appendingPathComponent(ArtefactName.ingested),
      header: { header in
        for (index, name) in header.enumerated() { columns[name] = index }
        for required in ["source_file", "source_line", "name", "district", "commune", "enterprise_type"]
        where columns[required] == nil {
          throw PipelineError(
            .badInput, "column '\(required)' is missing: is this an ingested.csv?",
            at: InputLocation(file: ArtefactName.ingested, line: 1))
        }
      },
      row: { record in
        func value(_ key: String) -> String {
          guard let index = columns[key], index < record.fields.count else { return "" }
          return record.fields[index].trimmingCharacters(in: .whitespacesAndNewlines)
        }
        let file = value("source_file")
        guard let line = Int(value("source_line")) else {
          throw PipelineError(
            .badInput, "source_line is not a number", at: InputLocation(file: ArtefactName.ingested, line: record.line))
        }
        counts[file, default: NormaliseCounts()].rowsIn += 1
        if setAside.contains(file) {
          counts[file]!.rejected += 1
          rejects.append([file, String(line), "normalise", "the file was set aside by ingest", "", ""])
          return
        }
        switch normaliser.normalise(file: file, line: line, value) {
        case .counted(let row):
          establishments.append(row)
          if row.fuzzy { counts[file]!.fuzzyMatches += 1 }
          if row.corrected { counts[file]!.correctionsApplied += 1 }
        case .review(let cells, let fuzzy, let corrected):
          try review.write(cells)
          counts[file]!.review += 1
          if fuzzy { counts[file]!.fuzzyMatches += 1 }
          if corrected { counts[file]!.correctionsApplied += 1 }
        case .rejected(let reason, let column, let written, let corrected):
          rejects.append([file, String(line), "normalise", reason, column, written])
          counts[file]!.rejected += 1
          if corrected { counts[file]!.correctionsApplied += 1 }
        }
      })

    // Sorted by source file (byte order, as ingest reads them), then line.
    establishments.sort {
      $0.dedup.file != $1.dedup.file
        ? $0.dedup.file.utf8.lexicographicallyPrecedes($1.dedup.file.utf8) : $0.dedup.line < $1.dedup.line
    }
    let links = Deduplicator.links(establishments.map(\.dedup), corrections: corrections)
    let duplicates = try CSVWriter(
      runDirectory.appendingPathComponent(ArtefactName.duplicates), header: duplicatesHeader)
    var superseded = Set<Int>()
    for link in links {
      let row = establishments[link.row].dedup
      let kept = establishments[link.kept].dedup
      try duplicates.write([
        row.file, String(row.line), kept.file, String(kept.line), link.kind.rawValue,
        establishments[link.row].cells[2], establishments[link.row].cells[3], link.reason,
      ])
      switch link.kind {
      case .duplicate:
        superseded.insert(link.row)
        counts[row.file]!.duplicates += 1
        if link.byCorrection { counts[row.file]!.correctionsApplied += 1 }
      case .possibleDuplicate:
        counts[row.file]!.possibleDuplicates += 1
      }
    }
    let output = try CSVWriter(
      runDirectory.appendingPathComponent(ArtefactName.establishments), header: Establishment.header)
    for (index, row) in establishments.enumerated() where !superseded.contains(index) {
      try output.write(row.cells)
      counts[row.dedup.file]!.counted += 1
    }

    let rejectsWriter = try CSVWriter(
      runDirectory.appendingPathComponent(ArtefactName.rejects), header: ArtefactName.rejectsHeader)
    for row in rejects { try rejectsWriter.write(row) }

    let files = counts.keys.sorted { $0.utf8.lexicographicallyPrecedes($1.utf8) }
      .map { NormaliseFileSummary(file: $0, counts: counts[$0]!) }
    var totals = NormaliseCounts()
    for file in files { totals.add(file.counts) }
    let summary = NormaliseSummary(files: files, totals: totals)
    try output.commit()
    try review.commit()
    try duplicates.commit()
    try rejectsWriter.commit()
    try StableJSON.write(summary, to: runDirectory.appendingPathComponent(ArtefactName.normaliseSummary))
    return summary
  }

  /// The rows of rejects.csv written by other stages; normalise's own are rewritten.
  static func keptRejects(_ runDirectory: URL) throws -> [[String]] {
    let url = runDirectory.appendingPathComponent(ArtefactName.rejects)
    guard FileManager.default.fileExists(atPath: url.path) else { return [] }
    let table = try CSVFile.readTable(url)
    let stage = try table.index(of: "stage")
    let width = ArtefactName.rejectsHeader.count
    return table.rows.filter { table.value($0, stage) != "normalise" }.map { record in
      (0..<width).map { $0 < record.fields.count ? record.fields[$0] : "" }
    }
  }
}

extension NormaliseCounts {
  /// Adds another file's counts (for the run's totals).
  mutating func add(_ other: NormaliseCounts) {
    rowsIn += other.rowsIn
    counted += other.counted
    duplicates += other.duplicates
    review += other.review
    rejected += other.rejected
    possibleDuplicates += other.possibleDuplicates
    fuzzyMatches += other.fuzzyMatches
    correctionsApplied += other.correctionsApplied
  }
}
