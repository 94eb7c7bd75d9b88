/// The ingest stage: every survey CSV in the input folder into one staged file, every row accounted for.
import Foundation

/// Stage 1: reads every `*.csv` directly in the input folder, in file-name order.
public enum IngestStage {
  /// The `*.csv` files (any case of the extension) directly in `directory`, in byte order of their names.
  public static func inputFiles(in directory: URL) throws -> [URL] {
    let names: [String]
    do {
      names = try FileManager.default.contentsOfDirectory(atPath: directory.path)
    } catch {
      throw PipelineError(.missingInput, "cannot list the input folder \(directory.path): check that it exists")
    }
    return names.filter { $0.lowercased().hasSuffix(".csv") && !$0.hasPrefix(".") }
      .sorted { $0.utf8.lexicographicallyPrecedes($1.utf8) }
      .map { directory.appendingPathComponent($0) }
  }

  /// Ingests `files` into `runDirectory`: `ingested.csv` with its companion `ingested.rows`, `rejects.csv` and
  /// `ingest-summary.json`.
  ///
  /// A bad file is set aside with its reason and never stops the others. Throws only when the run folder
  /// cannot be written or the reference tables cannot be read. `wording` gives the reasons in rejects.csv.
  @discardableResult
  public static func run(
    files: [URL], runDirectory: URL, schema: FormSchema, limits: IngestLimits = IngestLimits(),
    wording: RowWording = .english
  ) throws -> IngestSummary {
    let ingested = try StagedOutput(runDirectory: runDirectory)
    let rejects = try CSVWriter(
      runDirectory.appendingPathComponent(ArtefactName.rejects), header: ArtefactName.rejectsHeader, style: .rowList)
    let ingester = FileIngester(schema: schema, limits: limits, wording: wording)
    var summaries: [IngestFileSummary] = []
    for url in files {
      let result = try ingester.ingest(url, into: ingested)
      for row in result.rejects { try rejects.write(row) }
      summaries.append(result.summary)
    }
    let summary = IngestSummary(files: summaries)
    try ingested.commit()
    try rejects.commit()
    try StableJSON.write(summary, to: runDirectory.appendingPathComponent(ArtefactName.ingestSummary))
    return summary
  }
}
