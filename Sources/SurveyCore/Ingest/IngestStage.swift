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

  /// `files` split for a run that leaves files still being written for the next one (`check`): the files to take
  /// now, in their order, and those left. Only a file ingest would read, and of files named alike only the one
  /// to read (`readOfNamesAlike`, with the same `previouslyRead` as `run`), is checked. Any other is taken now, to
  /// be set aside with what to do: an `.xlsx`, a link, a name that is not UTF-8, and the copy of a file named
  /// like it (left for the next run, the report would say the next run reads it, and the next run would only
  /// set it aside). When the file to read waits, `run` must be told (`waiting`), so that its copies are not
  /// read in its place.
  public static func settle(
    _ files: [URL], with check: SettleCheck, previouslyRead: Set<[UInt8]> = []
  ) -> (taken: [URL], left: [UnsettledFile]) {
    let readable = files.filter { InputFileCheck.problem(with: $0) == nil }
    let read = readOfNamesAlike(readable, previouslyRead: previouslyRead)
    let checked = readable.filter { url in
      read[nameKey(url.lastPathComponent)].map { $0.utf8.elementsEqual(url.lastPathComponent.utf8) } ?? true
    }
    let (_, left) = check.partition(checked)
    let waiting = Set(left.map { Array($0.file.utf8) })
    return (files.filter { !waiting.contains(Array($0.lastPathComponent.utf8)) }, left)
  }

  /// A file name as the later stages and corrections.csv tell files apart: lower case, NFC ("Hưng Hà.csv" from a
  /// Mac is NFD).
  static func nameKey(_ name: String) -> String { name.precomposedStringWithCanonicalMapping.lowercased() }

  /// Of files whose names are alike (`nameKey`), the one to read: the one the last complete run read, so that a
  /// newcomer named like a file read every night never pushes it out (a copy's time tells nothing: `cp -p` and
  /// Explorer keep the original's); else the one changed longest ago; on a tie, the first in byte order. Only
  /// names alike are keys.
  static func readOfNamesAlike(_ files: [URL], previouslyRead: Set<[UInt8]> = []) -> [String: String] {
    let groups = Dictionary(grouping: files) { nameKey($0.lastPathComponent) }.filter { $0.value.count > 1 }
    return groups.mapValues { urls in
      let before = urls.filter { previouslyRead.contains(Array($0.lastPathComponent.utf8)) }
      if before.count == 1 { return before[0].lastPathComponent }
      func changed(_ url: URL) -> Double {
        var info = stat()
        guard lstat(url.path, &info) == 0 else { return .infinity }
        return Double(info.st_mtim.tv_sec) + Double(info.st_mtim.tv_nsec) / 1e9
      }
      return urls.min {
        let (a, b) = (changed($0), changed($1))
        return a != b ? a < b : $0.lastPathComponent.utf8.lexicographicallyPrecedes($1.lastPathComponent.utf8)
      }!.lastPathComponent
    }
  }

  /// The files a run read (its ingest summary's files not set aside), by the bytes of their names; none when it has
  /// no readable summary.
  public static func filesRead(byRun folder: URL) -> Set<[UInt8]> {
    let url = folder.appendingPathComponent(ArtefactName.ingestSummary)
    guard let summary = try? StableJSON.read(IngestSummary.self, from: url) else { return [] }
    return Set(summary.files.filter { $0.status == .ingested }.map { Array($0.file.utf8) })
  }

  /// More files that are no survey export and no workbook (scans of paper forms, photos) than this are counted
  /// together in the report, the cron log and the operator's line, rather than named one by one.
  public static let otherFilesListed = 5

  /// True for a file named as no survey export and no workbook: a scan, a photo, a document. Ingest sets such a
  /// file aside; many of them are counted together, while a workbook, which holds a district's answers, and a
  /// survey file that could not be read are always named.
  public static func isOtherFile(named name: String) -> Bool {
    !readsExtension(of: name) && !FileProblem.workbookEndings.contains(InputFileCheck.ending(of: name))
  }

  /// How many of `names` have each ending, the commonest first (then by ending), as `.jpg: 12, .pdf: 2`; a name
  /// without one counts as `–`. `number` writes a count.
  public static func endingCounts(_ names: [String], _ number: (Int) -> String = { String($0) }) -> String {
    var counts: [String: Int] = [:]
    for name in names { counts[InputFileCheck.ending(of: name), default: 0] += 1 }
    return counts.sorted { a, b in a.value != b.value ? a.value > b.value : a.key < b.key }
      .map { "\($0.key.isEmpty ? "–" : $0.key): \(number($0.value))" }
      .joined(separator: ", ")
  }

  /// The file name endings of the exports ingest reads.
  static let exportExtensions: Set<String> = ["csv", "txt", "tsv"]

  /// True when a file of this name is read as an export (its ending, in any case, is one of `exportExtensions`).
  static func readsExtension(of name: String) -> Bool {
    exportExtensions.contains(String(InputFileCheck.ending(of: name).dropFirst()))
  }

  /// Ingests `files` into `runDirectory`: `ingested.csv` with its companion `ingested.rows`, `rejects.csv` and
  /// `ingest-summary.json`.
  ///
  /// A bad file is set aside with its reason and never stops the others. Throws only when the run folder
  /// cannot be written or the reference tables cannot be read. `wording` gives the reasons in rejects.csv.
  ///
  /// - Parameters:
  ///   - previouslyRead: the names (exact bytes) of the files the last complete run read: of two files named
  ///     alike, the one read then is read again (`readOfNamesAlike`).
  ///   - waiting: the files `settle` left for the next run; a file named like one of them that would be read is
  ///     set aside as its copy, not read in its place.
  @discardableResult
  public static func run(
    files: [URL], runDirectory: URL, schema: FormSchema, limits: IngestLimits = IngestLimits(),
    wording: RowWording = .english, previouslyRead: Set<[UInt8]> = [], waiting: [URL] = []
  ) throws -> IngestSummary {
    let ingested = try StagedOutput(runDirectory: runDirectory)
    let rejects = try CSVWriter(
      runDirectory.appendingPathComponent(ArtefactName.rejects), header: ArtefactName.rejectsHeader, style: .rowList)
    let ingester = FileIngester(schema: schema, limits: limits, wording: wording)
    var summaries: [IngestFileSummary] = []
    let read = readOfNamesAlike(files + waiting, previouslyRead: previouslyRead)
    for url in files {
      let key = nameKey(url.lastPathComponent)
      // Compared by bytes: String equality takes an NFD name for its NFC twin.
      let earlier = read[key].flatMap { $0.utf8.elementsEqual(url.lastPathComponent.utf8) ? nil : $0 }
      let result = try ingester.ingest(url, into: ingested, sameNameAs: earlier)
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
