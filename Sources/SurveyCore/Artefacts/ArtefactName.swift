/// The names of the files a run writes, in one place.
import Foundation

/// Every artefact of a run folder, by the stage that writes it.
public enum ArtefactName {
  /// ingest → normalise: one row per passed-on data row, raw values per form column.
  public static let ingested = "ingested.csv"
  /// ingest → normalise: where each record and field of `ingested.csv` lies (`StagedRows`), so that it is read
  /// without parsing while fresh; `scripts/run-pipeline` deletes it once the report is written.
  public static let ingestedRows = "ingested.rows"
  /// ingest: what was found in each input file and how its rows were accounted for.
  public static let ingestSummary = "ingest-summary.json"
  /// Every row or file not passed on, from any stage, with its reason.
  public static let rejects = "rejects.csv"
  /// normalise: one row per counted establishment.
  public static let establishments = "establishments.csv"
  /// normalise: rows an analyst must settle (ambiguous or unknown places, possible duplicates).
  public static let review = "review.csv"
  /// normalise: superseded rows and the row kept for each.
  public static let duplicates = "duplicates.csv"
  /// normalise: its per-file counts.
  public static let normaliseSummary = "normalise-summary.json"
  /// aggregate: needs by district (one row per district × need), with province totals.
  public static let aggregates = "aggregates.csv"
  /// aggregate: needs by enterprise type.
  public static let aggregatesByType = "aggregates-by-type.csv"
  /// aggregate: needs by sector.
  public static let aggregatesBySector = "aggregates-by-sector.csv"
  /// report (recommend step): ranked support actions.
  public static let recommendations = "recommendations.csv"
  /// report: the Markdown report that goes round by email.
  public static let report = "report.md"
  /// run-pipeline: inputs, counts, timings and status of the run.
  public static let manifest = "manifest.json"

  /// The header of `rejects.csv`.
  public static let rejectsHeader = ["source_file", "source_line", "stage", "reason", "column", "value"]
}

/// JSON encoding with sorted keys, so the same summary gives the same bytes.
public enum StableJSON {
  public static func encode(_ value: some Encodable) throws -> String {
    let encoder = JSONEncoder()
    encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
    let data = try encoder.encode(value)
    return String(decoding: data, as: UTF8.self) + "\n"
  }

  public static func write(_ value: some Encodable, to url: URL) throws {
    try AtomicFileWriter.write(try encode(value), to: url)
  }

  public static func read<T: Decodable>(_ type: T.Type, from url: URL) throws -> T {
    guard let data = FileManager.default.contents(atPath: url.path) else {
      throw PipelineError(.missingInput, "cannot read \(url.path): run the earlier stage first")
    }
    do {
      return try JSONDecoder().decode(type, from: data)
    } catch {
      throw PipelineError(.badInput, "\(url.lastPathComponent) is not a valid summary: \(error)")
    }
  }
}
