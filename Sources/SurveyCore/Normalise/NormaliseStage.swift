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
  ///
  /// - Parameter normaliser: one already built from `reference` and `corrections`, to reuse its indexes and
  ///   caches across many small runs (the fuzzer's); by default a new one is built.
  @discardableResult
  public static func run(
    runDirectory: URL, reference: ReferenceData, corrections: Corrections, normaliser: RowNormaliser? = nil
  ) throws -> NormaliseSummary {
    try corrections.validate(against: reference)
    let ingestSummary = try StableJSON.read(
      IngestSummary.self, from: runDirectory.appendingPathComponent(ArtefactName.ingestSummary))
    let setAside = Set(ingestSummary.files.filter { $0.status == .setAside }.map(\.file))
    var counts: [String: NormaliseCounts] = [:]
    for file in ingestSummary.files { counts[file.file] = NormaliseCounts() }

    let normaliser = normaliser ?? RowNormaliser(reference: reference, corrections: corrections)
    let review = try CSVWriter(
      runDirectory.appendingPathComponent(ArtefactName.review), header: RowNormaliser.reviewHeader)
    var rejects: [[String]] = try keptRejects(runDirectory)
    var establishments: [Establishment] = []

    var columns = StagedColumns()
    try CSVFile.forEachRow(
      runDirectory.appendingPathComponent(ArtefactName.ingested),
      header: { header in
        var byName: [String: Int] = [:]
        for (index, name) in header.enumerated() { byName[name] = index }
        for required in ["source_file", "source_line", "name", "district", "commune", "enterprise_type"]
        where byName[required] == nil {
          throw PipelineError(
            .badInput, "column '\(required)' is missing: is this an ingested.csv?",
            at: InputLocation(file: ArtefactName.ingested, line: 1))
        }
        columns = StagedColumns(byName, needKeys: normaliser.needs.order)
      },
      row: { record in
        let fields = record.fields
        let file = columns.cell(fields, columns.sourceFile)
        guard let line = Int(columns.cell(fields, columns.sourceLine)) else {
          throw PipelineError(
            .badInput, "source_line is not a number", at: InputLocation(file: ArtefactName.ingested, line: record.line))
        }
        counts[file, default: NormaliseCounts()].rowsIn += 1
        if setAside.contains(file) {
          counts[file]!.rejected += 1
          rejects.append([file, String(line), "normalise", "the file was set aside by ingest", "", ""])
          return
        }
        switch normaliser.normalise(file: file, line: line, row: columns.stagedRow(fields)) {
        case .counted(let row):
          // The identity matters only to rows without a tax code.
          establishments.append(
            Establishment(
              cells: row.cells,
              dedup: DedupEntry(
                file: file, line: line, taxCode: row.taxCode.isEmpty ? nil : row.taxCode, date: row.date,
                identity: row.taxCode.isEmpty ? row.identity : ""),
              fuzzy: row.fuzzy, corrected: row.corrected))
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

/// Where the form's columns are in ingested.csv.
struct StagedColumns {
  var sourceFile = -1
  var sourceLine = -1
  private var taxCode = -1
  private var name = -1
  private var enterpriseType = -1
  private var district = -1
  private var commune = -1
  private var craftVillage = -1
  private var sector = -1
  private var employees = -1
  private var revenue = -1
  private var needMarks: [Int] = []
  private var needs = -1
  private var trainees = -1
  private var supportRequested = -1
  private var previouslySupported = -1
  private var surveyDate = -1
  private var notes = -1

  init() {}

  init(_ byName: [String: Int], needKeys: [String]) {
    func at(_ name: String) -> Int { byName[name] ?? -1 }
    sourceFile = at("source_file")
    sourceLine = at("source_line")
    taxCode = at("tax_code")
    name = at("name")
    enterpriseType = at("enterprise_type")
    district = at("district")
    commune = at("commune")
    craftVillage = at("craft_village")
    sector = at("sector")
    employees = at("employees")
    revenue = at("revenue")
    needMarks = needKeys.map { at("need_" + $0) }
    needs = at("needs")
    trainees = at("trainees")
    supportRequested = at("support_requested")
    previouslySupported = at("previously_supported")
    surveyDate = at("survey_date")
    notes = at("notes")
  }

  /// The trimmed cell at `index`, or "" where the column or the cell is missing.
  func cell(_ fields: [String], _ index: Int) -> String {
    index >= 0 && index < fields.count ? StagedText.trimmed(fields[index]) : ""
  }

  func stagedRow(_ fields: [String]) -> StagedRow {
    var row = StagedRow()
    row.taxCode = cell(fields, taxCode)
    row.name = cell(fields, name)
    row.enterpriseType = cell(fields, enterpriseType)
    row.district = cell(fields, district)
    row.commune = cell(fields, commune)
    row.craftVillage = cell(fields, craftVillage)
    row.sector = cell(fields, sector)
    row.employees = cell(fields, employees)
    row.revenue = cell(fields, revenue)
    row.needMarks = needMarks.map { cell(fields, $0) }
    row.needs = cell(fields, needs)
    row.trainees = cell(fields, trainees)
    row.supportRequested = cell(fields, supportRequested)
    row.previouslySupported = cell(fields, previouslySupported)
    row.surveyDate = cell(fields, surveyDate)
    row.notes = cell(fields, notes)
    return row
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
