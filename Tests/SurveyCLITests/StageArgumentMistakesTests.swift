/// Arguments an operator gets wrong when running a stage or the bookkeeping by hand (after a failed night, or
/// when trying the cron line): each is refused with a usage error (exit 64) naming the option, before anything is
/// read or written, rather than running with a setting nobody meant.
import Foundation
import Testing

@Suite struct StageArgumentMistakesTests {
  /// A negative settle window would leave out every file changed "in the last -1 seconds": said, and nothing is
  /// read. Written `--skip-unsettled -1`, ArgumentParser used to take -1 for an option and say the value was
  /// missing; the option now takes the next word whatever it looks like.
  @Test(arguments: [["--skip-unsettled=-1"], ["--skip-unsettled", "-1"]])
  func aNegativeSettleWindowIsRefusedBeforeAnyFileIsRead(written: [String]) throws {
    try withInputAndRun("cli-settle") { input, run in
      try FileManager.default.copyItem(
        at: repositoryRoot.appendingPathComponent("input/2025-10-thai-thuy.csv"),
        to: input.appendingPathComponent("2025-10-thai-thuy.csv"))
      let (status, output, errors) = try execute(
        "survey-ingest", ["--input", input.path, "--run-dir", run.path] + written)
      #expect(status == 64, "\(output)\(errors)")
      #expect(errors.hasPrefix("Error: --skip-unsettled takes a number of seconds, 0 or more\n"), "\(errors)")
      #expect(try FileManager.default.contentsOfDirectory(atPath: run.path).isEmpty)
      // 0 is a window: every file is taken, and unsettled.json says none waited.
      let (settled, _, settledErrors) = try execute(
        "survey-ingest", ["--input", input.path, "--run-dir", run.path, "--skip-unsettled=0"])
      #expect(settled == 0, "\(settledErrors)")
      #expect(FileManager.default.fileExists(atPath: run.appendingPathComponent("unsettled.json").path))
    }
  }

  /// A negative count written as its own word: each option says what it takes, where ArgumentParser took the
  /// number for an option and said the value was missing. Nothing is written.
  @Test(arguments: [
    (["survey-report", "--top", "-1"], "--top must be at least 1"),
    (["survey-report", "--per-district", "-3"], "--per-district and --shortlist must be ≥ 0"),
    (["survey-report", "--shortlist", "-5"], "--per-district and --shortlist must be ≥ 0"),
    (["survey-report", "--min-establishments", "-2"], "--min-establishments must be at least 1"),
    (["survey-run", "prune", "--keep", "-2"], "--keep must be 1 or more: the latest run is always kept"),
  ])
  func aNegativeCountSaysWhatTheOptionTakes(command: [String], said: String) throws {
    let folder = try temporaryFolder("cli-negative")
    defer { try? FileManager.default.removeItem(at: folder) }
    let place = command[0] == "survey-run" ? ["--output", folder.path] : ["--run-dir", folder.path]
    let (status, _, errors) = try execute(command[0], Array(command.dropFirst()) + place, in: folder)
    #expect(status == 64, "\(errors)")
    #expect(errors.hasPrefix("Error: \(said)\n"), "\(errors)")
    #expect(try FileManager.default.contentsOfDirectory(atPath: folder.path).isEmpty)
  }

  /// `survey-run manifest` typed by hand without its run folder, or with one that is not there (a run id
  /// mistyped): refused with the option named, and no manifest.json is written anywhere.
  @Test func theManifestWithoutAnExistingRunFolderIsRefused() throws {
    let folder = try temporaryFolder("cli-manifest")
    defer { try? FileManager.default.removeItem(at: folder) }
    let (status, _, errors) = try execute(
      "survey-run", ["manifest", "--started", "1796004000.25", "--stage", "ingest:0:812"], in: folder)
    #expect(status == 64, "\(errors)")
    #expect(errors.hasPrefix("Error: Missing expected argument '--run-dir <run-dir>'\n"), "\(errors)")

    let mistyped = folder.appendingPathComponent("runs/20261130T020000Z").path
    let (missing, _, missingErrors) = try execute(
      "survey-run", ["manifest", "--run-dir", mistyped, "--started", "1796004000.25"], in: folder)
    #expect(missing == 64, "\(missingErrors)")
    #expect(missingErrors.hasPrefix("Error: --run-dir \(mistyped) is not an existing folder\n"), "\(missingErrors)")
    #expect(try FileManager.default.contentsOfDirectory(atPath: folder.path).isEmpty)
  }
}
