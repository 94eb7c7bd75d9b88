/// The fuzz target: arbitrary bytes through the ingest path (encoding and delimiter detection, libcsv,
/// header matching, row classification), then normalise on what ingest passed on, and through the text folding
/// and cell parsers the normaliser relies on.
///
/// Built by `scripts/fuzz` with `-sanitize=fuzzer,address -parse-as-library -DFUZZING`, libFuzzer drives
/// `LLVMFuzzerTestOneInput`. Built normally, this is a replay tool: `survey-fuzz FILE...` runs each file
/// through the same code once, which is how the test command smoke-tests the seed corpus and regressions.
import Foundation
import SurveyCore

/// The reference tables: `SURVEY_REFERENCE`, or the repository's own.
let referenceFolder: URL = {
  let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
    .deletingLastPathComponent()
  return URL(
    fileURLWithPath: ProcessInfo.processInfo.environment["SURVEY_REFERENCE"]
      ?? root.appendingPathComponent("input/reference").path)
}()

/// The shipped form schema, loaded once.
let fuzzSchema: FormSchema = {
  do {
    return try FormSchema.load(from: referenceFolder)
  } catch {
    fatalError("survey-fuzz: cannot load the reference tables at \(referenceFolder.path): \(error)")
  }
}()

/// A scratch folder in memory where possible, made once per process.
let fuzzFolder: URL = {
  let base = FileManager.default.fileExists(atPath: "/dev/shm") ? "/dev/shm" : NSTemporaryDirectory()
  let url = URL(fileURLWithPath: base).appendingPathComponent("survey-fuzz-\(getpid())")
  try? FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
  return url
}()

/// Runs one input through every fuzzed path; a crash or sanitizer report is the finding.
func fuzzOne(_ bytes: [UInt8]) {
  let input = fuzzFolder.appendingPathComponent("input.csv")
  _ = FileManager.default.createFile(atPath: input.path, contents: Data(bytes))
  let limits = IngestLimits(maxFileBytes: 1 << 20, csv: CSVLimits(maxFieldBytes: 1 << 16, maxFields: 256))
  do {
    let summary = try IngestStage.run(files: [input], runDirectory: fuzzFolder, schema: fuzzSchema, limits: limits)
    let file = summary.files[0]
    // The accounting invariant must hold whatever the bytes.
    precondition(
      file.rowsRead == file.rowsPassed + file.rowsSkippedBlank + file.rowsSkippedTotals
        + file.rowsSkippedSignature + file.rowsRejected,
      "row accounting broken: \(file)")
    FuzzExtraTargets.normalise(fuzzFolder, rowsPassed: file.rowsPassed)
  } catch {
    // Only the run folder failing may throw; anything else is a finding.
    fatalError("ingest threw on a single input file: \(error)")
  }
  let text = String(decoding: bytes, as: UTF8.self)
  let key = TextFolding.key(text)
  precondition(TextFolding.key(key) == key, "folding is not idempotent for \(bytes)")
  _ = TextFolding.keyWithDiacritics(text)
  _ = TextFolding.trim(TextFolding.nfc(text))
  _ = FormSchema.headerKey(text)
  // Cell-sized pieces for the parsers: a place name or a number is never a whole file.
  for piece in text.split(whereSeparator: { $0 == "," || $0 == ";" || $0 == "\t" || $0 == "\n" }).prefix(8) {
    FuzzExtraTargets.run(String(piece.prefix(120)))
  }
}

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzEntry(_ data: UnsafePointer<UInt8>, _ size: Int) -> Int32 {
  fuzzOne(Array(UnsafeBufferPointer(start: data, count: size)))
  return 0
}

#if FUZZING
  // SwiftPM links an executable's entry as `survey_fuzz_main` and points `main` at it, so libFuzzer's own
  // main is never linked: start libFuzzer's driver from here instead.
  @_silgen_name("LLVMFuzzerRunDriver")
  func runFuzzerDriver(
    _ argc: UnsafeMutablePointer<Int32>,
    _ argv: UnsafeMutablePointer<UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?>,
    _ callback: @convention(c) (UnsafePointer<UInt8>, Int) -> Int32
  ) -> Int32

  @_cdecl("survey_fuzz_main")
  public func fuzzMain(_ argc: Int32, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?) -> Int32 {
    var count = argc
    var arguments = argv
    return runFuzzerDriver(&count, &arguments) { data, size in fuzzEntry(data, size) }
  }
#else
  /// Replay: every file named on the command line, or every file in a folder named there.
  @main enum Replay {
    static func main() {
      var replayed = 0
      for argument in CommandLine.arguments.dropFirst() {
        var isFolder: ObjCBool = false
        _ = FileManager.default.fileExists(atPath: argument, isDirectory: &isFolder)
        let paths =
          isFolder.boolValue
          ? ((try? FileManager.default.subpathsOfDirectory(atPath: argument)) ?? []).sorted()
            .map { argument + "/" + $0 } : [argument]
        for path in paths {
          guard let data = FileManager.default.contents(atPath: path) else { continue }
          fuzzOne([UInt8](data))
          replayed += 1
        }
      }
      try? FileManager.default.removeItem(at: fuzzFolder)
      print("survey-fuzz: replayed \(replayed) inputs without a finding")
    }
  }
#endif
