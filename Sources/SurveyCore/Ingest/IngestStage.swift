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
      throw cannotList(directory)
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

  /// Why the input folder could not be listed: there is none, it is a file, or (a folder entered but not read,
  /// mode 711) the run's account may not read it.
  static func cannotList(_ directory: URL) -> PipelineError {
    var isDirectory: ObjCBool = false
    guard FileManager.default.fileExists(atPath: directory.path, isDirectory: &isDirectory) else {
      return PipelineError(
        .missingInput,
        "the input folder \(directory.path) does not exist: check the path, and that its share is mounted")
    }
    guard isDirectory.boolValue else {
      return PipelineError(
        .missingInput, "\(directory.path) is a file, not a folder: give the folder the survey files are dropped in")
    }
    return PipelineError(
      .missingInput,
      "cannot list the input folder \(directory.path): check its permissions for the account the run runs as "
        + "(ls -ld shows its owner and mode)")
  }

  /// The folders inside the input folder that hold a file, by name: their files are not read (a district's
  /// exports dropped in a folder of their own would be left out unsaid). The reference folder, hidden folders and
  /// empty ones are passed over.
  public static func foldersNotRead(in directory: URL, reference: URL?) -> [String] {
    let names = (try? FileManager.default.contentsOfDirectory(atPath: directory.path)) ?? []
    let referencePath = reference?.resolvingSymlinksInPath().standardizedFileURL.path
    return names.filter { name in
      guard !name.hasPrefix(".") else { return false }
      let url = directory.appendingPathComponent(name, isDirectory: true)
      var info = stat()
      guard stat(url.path, &info) == 0, info.st_mode & S_IFMT == S_IFDIR,
        url.resolvingSymlinksInPath().standardizedFileURL.path != referencePath
      else { return false }
      let inside = (try? FileManager.default.contentsOfDirectory(atPath: url.path)) ?? []
      return inside.contains { !$0.hasPrefix(".") }
    }
    .sorted { $0.utf8.lexicographicallyPrecedes($1.utf8) }
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
    let (_, left) = check.partition(settleChecked(files, previouslyRead: previouslyRead))
    return (taken(files, leaving: left), left)
  }

  /// The files `settle` checks: those ingest would read, and of files named alike only the one to read.
  private static func settleChecked(_ files: [URL], previouslyRead: Set<[UInt8]>) -> [URL] {
    let read = readOfNamesAlike(files, previouslyRead: previouslyRead)
    return files.filter { url in
      InputFileCheck.problem(with: url) == nil
        && (read[nameKey(url.lastPathComponent)].map { $0.path.utf8.elementsEqual(url.path.utf8) } ?? true)
    }
  }

  /// `files` but those named in `left`, in their order.
  private static func taken(_ files: [URL], leaving left: [UnsettledFile]) -> [URL] {
    let waiting = Set(left.map { Array($0.file.utf8) })
    return files.filter { !waiting.contains(Array($0.lastPathComponent.utf8)) }
  }

  /// `settle` and `read` at once: the files changed within the window are left at the first look, `read` reads the
  /// others straight away, and the probe's second look comes once it is done (or once the probe's time has
  /// passed, whichever is later), so that the probe's quarter second is spent reading rather than waiting.
  ///
  /// A file the second look finds moved that `read` did not already leave (`changed`) was read while still being
  /// written: the files are read again without it, as `settle` would have left it before the reading. That costs
  /// a second reading on the rare night a file is being copied as the run starts; any other night reads once.
  ///
  /// - Parameter read: ingests the files to take (`taken`), told which are left for the next run and why (`left`:
  ///   `run` is to be told their files as `waiting`), handing each file that changed while it was read to
  ///   `leaveChanged` (as `run` does).
  /// - Returns: what the last `read` returned, the files left for the next run (in the order of `files`), and those
  ///   the last `read` left because they changed while it read them.
  public static func settleWhileReading(
    _ files: [URL], with check: SettleCheck, previouslyRead: Set<[UInt8]> = [],
    read: (_ taken: [URL], _ left: [UnsettledFile], _ leaveChanged: @escaping (UnsettledFile) -> Void) throws
      -> IngestSummary
  ) throws -> (summary: IngestSummary, left: [UnsettledFile], changed: [UnsettledFile]) {
    let checked = settleChecked(files, previouslyRead: previouslyRead)
    let first = check.look(checked)
    final class Changed: @unchecked Sendable { var files: [UnsettledFile] = [] }
    func reading(leaving left: [UnsettledFile]) throws -> (IngestSummary, [UnsettledFile]) {
      let changed = Changed()
      let summary = try read(taken(files, leaving: left), left) { changed.files.append($0) }
      return (summary, changed.files)
    }
    let (readNow, byWindow) = check.byWindow(first)
    let (summary, changed) = try reading(leaving: byWindow)
    let leftWhileRead = Set(changed.map { Array($0.file.utf8) })
    let moving = check.moved(since: first, among: readNow)
    let late = moving.filter { !leftWhileRead.contains(Array($0.file.utf8)) }
    guard !late.isEmpty else { return (summary, byWindow, changed) }
    // Read again without them; the files that changed while read the first time stay out, with that reason.
    let left = SettleCheck.inOrder(checked, byWindow + late + changed)
    let (again, changedAgain) = try reading(leaving: left)
    return (again, SettleCheck.inOrder(checked, byWindow + late), changed + changedAgain)
  }

  /// A file name as the later stages and corrections.csv tell files apart: lower case, NFC ("Hưng Hà.csv" from a
  /// Mac is NFD).
  static func nameKey(_ name: String) -> String { name.precomposedStringWithCanonicalMapping.lowercased() }

  /// Of files whose names are alike (`nameKey`), the one to read: the one the last complete run read, so that a
  /// newcomer named like a file read every night never pushes it out (a copy's time tells nothing: `cp -p` and
  /// Explorer keep the original's); else the one changed longest ago; on a tie, the first in byte order. Only
  /// files ingest can open take part, so a link is never the one read (it is set aside as a link); only names
  /// alike are keys.
  static func readOfNamesAlike(_ files: [URL], previouslyRead: Set<[UInt8]> = []) -> [String: URL] {
    let groups = Dictionary(grouping: files.filter { InputFileCheck.problem(with: $0) == nil }) {
      nameKey($0.lastPathComponent)
    }.filter { $0.value.count > 1 }
    return groups.mapValues { urls in
      let before = urls.filter { previouslyRead.contains(Array($0.lastPathComponent.utf8)) }
      if before.count == 1 { return before[0] }
      return urls.min {
        let (a, b) = (modified($0), modified($1))
        return a != b ? a < b : $0.lastPathComponent.utf8.lexicographicallyPrecedes($1.lastPathComponent.utf8)
      }!
    }
  }

  /// When the file at `url` was last modified, in seconds; infinitely late when it cannot be read. Of files named
  /// alike, the one modified first is read (`readOfNamesAlike`).
  static func modified(_ url: URL) -> Double {
    var info = stat()
    guard lstat(url.path, &info) == 0 else { return .infinity }
    return Double(info.st_mtim.tv_sec) + Double(info.st_mtim.tv_nsec) / 1e9
  }

  /// The size and last change of a file set aside as a copy and of the file read, which look alike in a file
  /// manager; nil when either cannot be read.
  static func twinStamps(_ copy: URL, _ other: URL) -> FileProblem.TwinStamps? {
    let format = DateFormatter()
    format.locale = Locale(identifier: "en_US_POSIX")
    format.dateFormat = "dd/MM/yyyy HH:mm"
    format.timeZone = RunID.vietnam  // what the analysts' file manager shows, whatever the server's zone
    func stamp(_ url: URL) -> (Int, String)? {
      var info = stat()
      guard lstat(url.path, &info) == 0 else { return nil }
      return (Int(info.st_size), format.string(from: Date(timeIntervalSince1970: Double(info.st_mtim.tv_sec))))
    }
    guard let (thisBytes, thisChanged) = stamp(copy), let (otherBytes, otherChanged) = stamp(other) else { return nil }
    return FileProblem.TwinStamps(
      thisBytes: thisBytes, thisChanged: thisChanged, otherBytes: otherBytes, otherChanged: otherChanged)
  }

  /// The files a run chose to read, by the bytes of their names: those it read, those it set aside for their own
  /// trouble (a malformed file, not the copy of another), and those it left for the next run (`unsettled.json`).
  /// Of files named alike, the one chosen stays chosen through a night it was being copied again or could not be
  /// read, so that a stale copy never takes its place. Nil when the run's summary cannot be read (damaged, or gone):
  /// which of the files named alike it read is then not known, and the cron log says so (`choiceNotKnown`).
  public static func filesRead(byRun folder: URL) -> Set<[UInt8]>? {
    let url = folder.appendingPathComponent(ArtefactName.ingestSummary)
    guard let summary = try? StableJSON.read(IngestSummary.self, from: url) else { return nil }
    var chosen = Set(
      summary.files.filter { file in
        if case .sameName = file.problemDetail { return false }
        return file.status != .setAside || file.problemDetail != nil
      }.map { Array($0.file.utf8) })
    if let waiting = UnsettledList.read(in: folder) {
      for file in waiting.files { chosen.insert(Array(file.file.utf8)) }
    }
    return chosen
  }

  /// The lines for the cron log when the previous run's summary (`unreadSummary`) could not be read: for each file
  /// this run chose among files named alike (those in `summary` set aside as its copies, `sameName`), that the
  /// previous choice was not known, which file was chosen and why (`readOfNamesAlike`'s rule without it). Without
  /// them a damaged summary silently let an older copy push out the file read every night. None without such files.
  public static func choiceNotKnown(in summary: IngestSummary, input: URL, unreadSummary: URL) -> [String] {
    var copies: [String: [String]] = [:]
    var order: [String] = []
    for file in summary.files {
      guard case .sameName(let chosen, _) = file.problemDetail else { continue }
      if copies[chosen] == nil { order.append(chosen) }
      copies[chosen, default: []].append(file.file)
    }
    return order.map { chosen in
      let others = copies[chosen] ?? []
      let time = modified(input.appendingPathComponent(chosen))
      let oldest = time < .infinity && others.allSatisfy { modified(input.appendingPathComponent($0)) > time }
      let why =
        oldest
        ? "the one changed longest ago" : "changed no later than the others, and first of them by name"
      return "\(unreadSummary.path) cannot be read, so which of the files named alike the previous run read is not "
        + "known: \(chosen) was chosen, \(why), and \(others.joined(separator: ", ")) set aside; if \(chosen) is not "
        + "the one to read, move it out of \(input.path)"
    }
  }

  /// More files that are no survey export and no workbook (scans of paper forms, photos) than this are counted
  /// together in the report, the cron log and the operator's line, rather than named one by one.
  public static let otherFilesListed = 5
  /// How many of the files counted together a message names, before "and N more".
  public static let otherFilesNamed = 3

  /// `items` as a list of files shows them: those named one by one, and those counted together (`isOtherFile`),
  /// which are none unless there are more than `otherFilesListed`. Each keeps its order.
  public static func countingOtherFiles<Item>(_ items: [Item], name: (Item) -> String) -> (
    named: [Item], counted: [Item]
  ) {
    let counted = items.filter { isOtherFile(named: name($0)) }
    guard counted.count > otherFilesListed else { return (items, []) }
    return (items.filter { !isOtherFile(named: name($0)) }, counted)
  }

  /// True for a file whose name ends as a scan, a photo, a document or an archive does (`otherEndings`). Ingest
  /// sets such a file aside; many of them are counted together. Any other file set aside is always named: a
  /// workbook holds a district's answers, and a name with no ending or an odd one (`.cvs`, `.csv.bak`, `.csv `
  /// with a space) may be a survey export misnamed.
  public static func isOtherFile(named name: String) -> Bool {
    otherEndings.contains(InputFileCheck.ending(of: name))
  }

  /// Endings of files that are no survey export and that analysts may drop by the dozen: scans of paper forms,
  /// photos, documents, archives.
  static let otherEndings: Set<String> = [
    ".jpg", ".jpeg", ".png", ".gif", ".bmp", ".tif", ".tiff", ".heic", ".heif", ".webp", ".pdf", ".doc", ".docx",
    ".rtf", ".odt", ".ppt", ".pptx", ".zip", ".rar", ".7z", ".mp4", ".mov", ".m4a", ".mp3",
  ]

  /// How many of `names` (files `isOtherFile` takes) have each ending, the commonest first (then by ending), as
  /// `.jpg: 12, .pdf: 2`. `number` writes a count.
  public static func endingCounts(_ names: [String], _ number: (Int) -> String = { String($0) }) -> String {
    var counts: [String: Int] = [:]
    for name in names { counts[InputFileCheck.ending(of: name), default: 0] += 1 }
    return counts.sorted { a, b in a.value != b.value ? a.value > b.value : a.key < b.key }
      .map { "\($0.key): \(number($0.value))" }
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
  ///   - reference: the reference folder, whose tables' digests and stray files the summary records.
  ///   - input: the input folder, whose folders holding files the summary records (`foldersNotRead`).
  ///   - leaveChanged: when given, a file whose size or change time moved while it was read (a copy begun after
  ///     the settle probe) has its rows taken back out and is handed to it, left for the next run as a file still
  ///     being written is; without it, such a file is read as it was found.
  ///   - state: a file's size and change time (tests stand in for the file system).
  @discardableResult
  public static func run(
    files: [URL], runDirectory: URL, schema: FormSchema, limits: IngestLimits = IngestLimits(),
    wording: RowWording = .english, previouslyRead: Set<[UInt8]> = [], waiting: [URL] = [], reference: URL? = nil,
    input: URL? = nil, leaveChanged: ((UnsettledFile) -> Void)? = nil, state: (URL) -> FileState? = FileState.of
  ) throws -> IngestSummary {
    // The reference tables' digests are read beside the surveys: at the end, they were a few milliseconds with
    // one core idle, in every run (the tables do not change with the surveys read).
    let referenceSurvey = reference.map { folder in
      BackgroundTask(name: "reference digests") { ReferenceTable.survey(folder) }
    }
    let ingested = try StagedOutput(runDirectory: runDirectory)
    let rejects = try CSVWriter(
      runDirectory.appendingPathComponent(ArtefactName.rejects), header: ArtefactName.rejectsHeader, style: .rowList)
    let ingester = FileIngester(schema: schema, limits: limits, wording: wording)
    var summaries: [IngestFileSummary] = []
    let read = readOfNamesAlike(files + waiting, previouslyRead: previouslyRead)
    for url in files {
      // Compared by bytes: URL and String equality take an NFD name for its NFC twin.
      let other = read[nameKey(url.lastPathComponent)].flatMap { $0.path.utf8.elementsEqual(url.path.utf8) ? nil : $0 }
      let before = leaveChanged == nil ? nil : state(url)
      let mark = ingested.mark()
      let result = try ingester.ingest(
        url, into: ingested, sameNameAs: other.map { ($0.lastPathComponent, twinStamps(url, $0)) })
      if let leaveChanged, let before, let after = state(url), after != before {
        try ingested.rollBack(to: mark)
        leaveChanged(
          UnsettledFile(
            file: url.lastPathComponent, bytes: after.bytes,
            reason: "changed while it was read: \(before.bytes) bytes, then \(after.bytes) bytes"))
        continue
      }
      for row in result.rejects { try rejects.write(row) }
      summaries.append(result.summary)
    }
    var summary = IngestSummary(files: summaries)
    if let referenceSurvey {
      let (digests, notRead) = try referenceSurvey.wait()
      summary.referenceTables = digests
      summary.referenceFilesNotRead = notRead.isEmpty ? nil : notRead
    }
    if let input {
      let folders = foldersNotRead(in: input, reference: reference)
      summary.foldersNotRead = folders.isEmpty ? nil : folders
    }
    try ingested.commit()
    try rejects.commit()
    try StableJSON.write(summary, to: runDirectory.appendingPathComponent(ArtefactName.ingestSummary))
    return summary
  }
}
