import Foundation
import Testing

@testable import SurveyCore

extension NormaliseTests {
  /// The reasons and remarks of rows, in Vietnamese: the language a nightly run writes `review.csv` and
  /// `establishments.csv`'s problems in unless `--lang en` is asked for. The other suites read them in English, so a
  /// Vietnamese wording of the place notes below was never written by any test.
  @Suite struct NormaliseVietnameseReasonsTests {
    static let header =
      "STT,Mã số thuế,Tên cơ sở,Loại hình,Huyện/Thành phố,Xã/Phường/Thị trấn,Ngành nghề chính,Số lao động,"
      + "Doanh thu năm (triệu đồng),Nhu cầu hỗ trợ,Ngày khảo sát\n"

    /// Ingests `body` (after the header) as one file and normalises it in Vietnamese.
    func run(_ body: String, corrections: [Correction] = []) throws -> TemporaryFolder {
      let input = try TemporaryFolder("normalise-in")
      defer { input.cleanUp() }
      let run = try TemporaryFolder("normalise-run")
      try Data((Self.header + body).utf8).write(to: input.file("vu-thu.csv"))
      try IngestStage.run(
        files: try IngestStage.inputFiles(in: input.url), runDirectory: run.url, schema: try shippedSchema(),
        wording: .vietnamese)
      try NormaliseStage.run(
        runDirectory: run.url, reference: try shippedReference(), corrections: Corrections(corrections),
        wording: .vietnamese)
      return run
    }

    func rows(_ run: TemporaryFolder, _ name: String) throws -> [[String: String]] {
      let table = try readArtefact(run.file(name))
      return table.rows.map { Dictionary(uniqueKeysWithValues: zip(table.header, $0)) }
    }

    /// A commune written in the district cell, a bare "Thái Bình" read as the province, a district named in the
    /// commune cell, a commune of three districts, an amount no establishment has: each remark of a counted row in
    /// Vietnamese, as an analyst reading the problems column sees it.
    @Test func theRemarksOfCountedRowsAreInVietnamese() throws {
      let body =
        "1,,Cơ sở A,Hộ KD,Xã Tiên Hưng,Vũ Hội,,5,,,\n"  // settled below: Vũ Hội is Vũ Thư's
        + "2,,Cơ sở B,Hộ KD,Thái Bình,Vũ Hội,,5,,,\n"  // the province: the commune decides
        + "3,,Cơ sở C,Hộ KD,Hưng Hà,\"Huyện Đông Hưng, Vũ Phúc\",,5,,,\n"  // another district in the commune cell
        + "4,,Cơ sở D,Hộ KD,TP Thái Bình,Minh Tân,,5,,,\n"  // the city stands: Minh Tân lies in three others
        + "5,,Cơ sở E,Hộ KD,Vũ Thư,Vũ Hội,,5,-5,,\n"  // a negative revenue
      let run = try run(body, corrections: [correction("commune", "Vũ Hội", "344")])
      defer { run.cleanUp() }
      let counted = try rows(run, ArtefactName.establishments)
      #expect(
        counted.map { $0["problems"]! } == [
          "ô huyện ghi tên xã/phường: Xã Tiên Hưng",
          "ô huyện ghi “Thái Bình”, hiểu là tên tỉnh: huyện lấy theo xã/phường",
          "xã/phường Huyện Đông Hưng, Vũ Phúc thuộc Thành phố Thái Bình (336) hoặc Huyện Vũ Thư (344); "
            + "ô xã/phường ghi Huyện Đông Hưng (340)",
          "xã/phường Minh Tân thuộc Huyện Hưng Hà (339), Huyện Đông Hưng (340) hoặc Huyện Kiến Xương (343)",
          "để trống doanh thu năm -5: số âm, hoặc lớn hơn mức một cơ sở có thể có (kiểm tra lại đơn vị)",
        ])
    }
  }
}
