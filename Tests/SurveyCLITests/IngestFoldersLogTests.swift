/// Districts' exports dropped in folders of their own beside the survey files (README, Ingest: "a folder holding
/// files ... is named in the cron log and the report"): `survey-ingest` reads the files and names each such folder
/// on standard error, in name order, so that their establishments are not left out of the figures unsaid.
import Foundation
import SurveyCore
import Testing

@Suite struct IngestFoldersLogTests {
  @Test func eachFolderHoldingFilesBesideTheSurveysIsALineOfTheCronLog() throws {
    try withInputAndRun("cli-folders-beside") { input, run in
      let header = "STT,Tên cơ sở,Loại hình,Huyện/Thành phố,Xã/Phường/Thị trấn,Số lao động,Nhu cầu hỗ trợ\n"
      try Data((header + "1,Cơ sở gốm Bình,Hộ kinh doanh,Huyện Hưng Hà,Xã Tân Lễ,6,Đào tạo nghề\n").utf8)
        .write(to: input.appendingPathComponent("hung-ha.csv"))
      for (folder, file) in [("Vũ Thư", "vu-thu.csv"), ("Hưng Hà đợt 2", "hung-ha-2.csv"), (".cu", "old.csv")] {
        let url = input.appendingPathComponent(folder)
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        try Data(header.utf8).write(to: url.appendingPathComponent(file))
      }
      // An empty folder holds nothing to leave out.
      try FileManager.default.createDirectory(
        at: input.appendingPathComponent("trống"), withIntermediateDirectories: true)
      let (status, _, errors) = try execute("survey-ingest", ["--input", input.path, "--run-dir", run.path])
      #expect(status == 0, "\(errors)")
      let lines = errors.split(separator: "\n").map(String.init)
      let expected = ["Hưng Hà đợt 2", "Vũ Thư"].map { name in
        "survey-ingest: \(input.appendingPathComponent(name).path) is a folder: files inside folders are not read; "
          + "move the survey exports up into \(input.path)"
      }
      #expect(lines == expected)
      let summary = try StableJSON.read(
        IngestSummary.self, from: run.appendingPathComponent(ArtefactName.ingestSummary))
      #expect(summary.foldersNotRead == ["Hưng Hà đợt 2", "Vũ Thư"])
      #expect(summary.files.map(\.file) == ["hung-ha.csv"] && summary.files.map(\.rowsPassed) == [1])
    }
  }
}
