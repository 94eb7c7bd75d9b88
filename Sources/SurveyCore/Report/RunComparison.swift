/// What changed since the previous complete run: input files, establishments, and the top recommendations.
import Foundation

/// The differences between this run and the previous one, for the top of the report.
public struct RunComparison: Sendable, Equatable {
  /// Files present now and not before; changed (other SHA-256); present before and not now. Sorted by name.
  public var newFiles: [String] = []
  public var changedFiles: [String] = []
  public var removedFiles: [String] = []
  /// Establishments counted now and not before, and the reverse (by tax code, else by file and line).
  public var added: [CountedEstablishment] = []
  public var removedCount = 0
  /// The previous rank of every action the previous run recommended, by `Recommendation.actionKey`.
  public var previousRanks: [String: Int] = [:]
  /// Previous actions by key: title parts to name those that left the top.
  public var previousActions: [String: Recommendation] = [:]
  /// Artefacts the previous run lacks or that could not be read, so that part of the comparison is left out.
  public var missing: [String] = []
  /// Why an artefact of `missing` could not be read, when it was there.
  public var unreadable: [String: String] = [:]

  public init() {}

  /// Compares the previous run's folder with this run's ingest summary, establishments and ranking.
  ///
  /// A previous artefact that is missing, or that cannot be read (an older run's format, a damaged file), leaves
  /// its part of the comparison out and is named with the reason: the report says so rather than failing the
  /// night's run over last night's files.
  public static func compare(
    previousRun: URL, ingest: IngestSummary, establishments: [CountedEstablishment]
  ) -> RunComparison {
    var result = RunComparison()
    if let before = result.read(
      previousRun, ArtefactName.ingestSummary, { try StableJSON.read(IngestSummary.self, from: $0) })
    {
      let old = Dictionary(before.files.map { ($0.file, $0.sha256 ?? "") }, uniquingKeysWith: { a, _ in a })
      let now = Dictionary(ingest.files.map { ($0.file, $0.sha256 ?? "") }, uniquingKeysWith: { a, _ in a })
      result.newFiles = sorted(now.keys.filter { old[$0] == nil })
      result.changedFiles = sorted(now.keys.filter { old[$0] != nil && (old[$0] != now[$0] || now[$0] == "") })
      result.removedFiles = sorted(old.keys.filter { now[$0] == nil })
    }
    if let before = result.read(previousRun, ArtefactName.establishments, identities(in:)) {
      let now = Set(establishments.map(\.identity))
      result.added = establishments.filter { !before.contains($0.identity) }
      result.removedCount = before.subtracting(now).count
    }
    if let actions = result.read(previousRun, ArtefactName.recommendations, RecommendationsTable.read) {
      for action in actions {
        result.previousRanks[action.actionKey] = action.rank
        result.previousActions[action.actionKey] = action
      }
    }
    return result
  }

  /// Reads one previous artefact, or records why it could not be read and returns nil.
  private mutating func read<T>(_ folder: URL, _ name: String, _ reader: (URL) throws -> T) -> T? {
    let url = folder.appendingPathComponent(name)
    guard FileManager.default.fileExists(atPath: url.path) else {
      missing.append(name)
      return nil
    }
    do {
      return try reader(url)
    } catch {
      missing.append(name)
      unreadable[name] = (error as? PipelineError)?.description ?? "\(error)"
      return nil
    }
  }

  /// The identities (tax code, else `file:line`) of the establishments in an `establishments.csv`.
  static func identities(in url: URL) throws -> Set<String> {
    var columns: [Int] = []
    var result: Set<String> = []
    try CSVFile.forEachRow(
      url,
      header: { header in
        columns = try ["source_file", "source_line", "tax_code"].map { name in
          guard let index = header.firstIndex(of: name) else {
            throw PipelineError(
              .badInput, "the previous run's establishments.csv lacks \(name)",
              at: InputLocation(file: url.lastPathComponent, line: 1))
          }
          return index
        }
      },
      row: { record in
        let cells = columns.map {
          $0 < record.fields.count ? record.fields[$0].trimmingCharacters(in: .whitespaces) : ""
        }
        result.insert(cells[2].isEmpty ? "\(cells[0]):\(cells[1])" : cells[2])
      })
    return result
  }

  private static func sorted(_ names: some Sequence<String>) -> [String] {
    names.sorted { $0.utf8.lexicographicallyPrecedes($1.utf8) }
  }
}
