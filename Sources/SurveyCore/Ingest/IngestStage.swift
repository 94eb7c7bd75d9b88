/// The ingest stage: every survey export in the input folder into one staged file, every row accounted for.
import Foundation

/// Stage 1: reads every survey export directly in the input folder, in file-name order.
public enum IngestStage {
  /// The files of `directory` that ingest takes, in byte order of their names: the exports it reads (`.csv`, and
  /// `.txt` and `.tsv`, the names Excel's "Unicode Text" and Google Sheets' tab-separated download give, in any
  /// case), and any other file, which ingest sets aside with what to do (an `.xlsx` dropped as it came must not
  /// be left out of the night's figures unsaid). Not taken: hidden files, Excel's lock files (`~$…`), Windows'
  /// `Thumbs.db` and `desktop.ini`, and folders (or links to folders) not named like an export (`reference/`, an
  /// archive).
  public static func inputFiles(in directory: URL) throws -> [URL] {
    let names: [String]
    do {
      names = try FileManager.default.contentsOfDirectory(atPath: directory.path)
    } catch {
      throw PipelineError(.missingInput, "cannot list the input folder \(directory.path): check that it exists")
    }
    return names.filter { name in
      guard !name.hasPrefix("."), !name.hasPrefix("~$"), !["thumbs.db", "desktop.ini"].contains(name.lowercased())
      else { return false }
      if readsExtension(of: name) { return true }
      // A folder, or a link to one (`reference/` linked from elsewhere), is passed over; a link to anything
      // else is taken, and set aside as a link.
      var info = stat()
      return stat(directory.appendingPathComponent(name).path, &info) != 0 || info.st_mode & S_IFMT != S_IFDIR
    }
    .sorted { $0.utf8.lexicographicallyPrecedes($1.utf8) }
    .map { directory.appendingPathComponent($0) }
  }

  /// The file name endings of the exports ingest reads.
  static let exportExtensions: Set<String> = ["csv", "txt", "tsv"]

  /// True when a file of this name is read as an export (its ending, in any case, is one of `exportExtensions`).
  static func readsExtension(of name: String) -> Bool {
    guard let dot = name.lastIndex(of: "."), dot != name.startIndex else { return false }
    return exportExtensions.contains(name[name.index(after: dot)...].lowercased())
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
    /// The files read so far, by their names in lower case and NFC ("Hưng Hà.csv" from a Mac is NFD).
    var names: [String: String] = [:]
    for url in files {
      let key = url.lastPathComponent.precomposedStringWithCanonicalMapping.lowercased()
      let result = try ingester.ingest(url, into: ingested, sameNameAs: names[key])
      if names[key] == nil { names[key] = url.lastPathComponent }
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
