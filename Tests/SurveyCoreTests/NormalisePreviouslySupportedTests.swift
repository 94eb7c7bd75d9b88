import Foundation
import Testing

@testable import SurveyCore

extension NormaliseTests {
  /// An answer to "Đã được hỗ trợ khuyến công" that is neither yes nor no ("Đang chờ xét duyệt", "?") is left blank
  /// and said in the row's problems, on the stage's byte path and on the String path it caches (`normalise(file:
  /// line:row:)`, the reference the byte path is checked against), which no file of the suite took with such an
  /// answer.
  @Suite struct NormalisePreviouslySupportedTests {
    static let file =
      "STT,Tên cơ sở,Loại hình,Huyện/Thành phố,Xã/Phường/Thị trấn,Số lao động,Đã được hỗ trợ khuyến công,"
      + "Ngày khảo sát\n"
      + "1,Cơ sở mây tre đan Phạm Văn Tùng,Hộ KD,Hưng Hà,Xã Minh Khai,12,Đang chờ xét duyệt,10/11/2025\n"
      + "2,HTX Dệt chiếu Hới,HTX,Hưng Hà,Xã Tân Lễ,35,Đã được hỗ trợ,10/11/2025\n"
      + "3,Cơ sở mộc Lê Văn Cường,Hộ KD,Hưng Hà,Thị trấn Hưng Nhân,6,?,11/11/2025\n"
      + "4,Cơ sở bánh cáy Nguyễn Thị Hoa,Hộ KD,Hưng Hà,Xã Tân Lễ,4,Chưa,11/11/2025\n"

    /// `establishments.csv` of the file normalised by the stage (`fast`) or row by row through the String path
    /// (`NormaliseStreamingTests.runHoldingEveryRow`), in English, the wording that helper writes.
    func establishments(fast: Bool) throws -> (bytes: Data, table: [[String: String]]) {
      var result: (Data, [[String: String]])?
      try TemporaryFolder.withInputAndRun("previously") { input, run in
        try Data(Self.file.utf8).write(to: input.file("hung-ha-2025-11.csv"))
        try IngestStage.run(
          files: try IngestStage.inputFiles(in: input.url), runDirectory: run.url, schema: try shippedSchema())
        let corrections = Corrections()
        if fast {
          try NormaliseStage.run(
            runDirectory: run.url, reference: try shippedReference(), corrections: corrections)
        } else {
          try NormaliseStreamingTests.runHoldingEveryRow(
            runDirectory: run.url, reference: try shippedReference(), corrections: corrections)
        }
        let url = run.file(ArtefactName.establishments)
        let table = try readArtefact(url)
        result = (try Data(contentsOf: url), table.rows.map { Dictionary(uniqueKeysWithValues: zip(table.header, $0)) })
      }
      return try #require(result)
    }

    @Test func anAnswerNotReadIsLeftBlankAndSaidOnBothPaths() throws {
      let slow = try establishments(fast: false)
      #expect(slow.table.map { $0["previously_supported"] } == ["", "yes", "", "no"], "\(slow.table)")
      #expect(
        slow.table.map { $0["problems"] } == [
          "previously_supported not read: Đang chờ xét duyệt", "", "previously_supported not read: ?", "",
        ], "\(slow.table)")
      let fast = try establishments(fast: true)
      let same = fast.bytes == slow.bytes
      #expect(same, "the stage: \(fast.table)")
    }
  }
}
