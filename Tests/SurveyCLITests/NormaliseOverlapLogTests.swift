/// A survey sent again under a new name while the old file stays in the input folder (README: "the cron log and
/// report say so"): `survey-normalise` puts the overlap on standard error, which cron mails, when rows without a tax
/// code are counted in both files; an overlap its tax codes merged whole is news only with -v.
import Foundation
import Testing

@Suite struct NormaliseOverlapLogTests {
  static let header =
    "STT,Mã số thuế,Tên cơ sở,Loại hình,Huyện/Thành phố,Xã/Phường/Thị trấn,Số lao động,Nhu cầu hỗ trợ\n"

  /// Vũ Thư's list: four households without a tax code, or with one each when `coded`.
  static func vuThu(coded: Bool) -> String {
    let names = ["Cơ sở mây tre Hồng Lý", "Cơ sở chiếu cói Minh Lãng", "Cơ sở mộc Nguyên Xá", "Cơ sở dệt Song An"]
    let communes = ["Xã Hồng Lý", "Xã Minh Lãng", "Xã Nguyên Xá", "Xã Song An"]
    return header
      + (0..<4).map { index in
        "\(index + 1),\(coded ? "10012345\(index)\(index)" : ""),\(names[index]),Hộ kinh doanh,Huyện Vũ Thư,"
          + "\(communes[index]),\(5 + index),Đào tạo nghề\n"
      }.joined()
  }

  @Test func rowsCountedInBothFilesAreALineOfTheCronLog() throws {
    try withInputAndRun("cli-overlap") { input, run in
      try Data(Self.vuThu(coded: false).utf8).write(to: input.appendingPathComponent("vu-thu.csv"))
      try Data(Self.vuThu(coded: false).utf8).write(to: input.appendingPathComponent("vu-thu (1).csv"))
      #expect(try execute("survey-ingest", ["--input", input.path, "--run-dir", run.path]).0 == 0)
      let (status, output, errors) = try execute("survey-normalise", ["--run-dir", run.path])
      #expect(status == 0 && output.isEmpty, "\(output)")
      let line: String =
        "survey-normalise: vu-thu.csv: 4 of its 4 rows are also in vu-thu (1).csv (same tax code, or same name and "
        + "place); 4 of them have no tax code and are counted in both files: if one file is the other sent again, "
        + "move the old one out of the input folder"
      #expect(errors.split(separator: "\n").map(String.init) == [line])
    }
  }

  @Test func anOverlapMergedByTaxCodesIsSaidOnlyWhenAsked() throws {
    try withInputAndRun("cli-overlap") { input, run in
      try Data(Self.vuThu(coded: true).utf8).write(to: input.appendingPathComponent("vu-thu.csv"))
      try Data(Self.vuThu(coded: true).utf8).write(to: input.appendingPathComponent("vu-thu (1).csv"))
      #expect(try execute("survey-ingest", ["--input", input.path, "--run-dir", run.path]).0 == 0)
      let quiet = try execute("survey-normalise", ["--run-dir", run.path])
      #expect(quiet.0 == 0 && quiet.1.isEmpty && quiet.2.isEmpty, "\(quiet)")
      let (status, output, errors) = try execute("survey-normalise", ["--run-dir", run.path, "-v"])
      #expect(status == 0 && errors.isEmpty, "\(errors)")
      let line: String =
        "survey-normalise: vu-thu.csv: 4 of its 4 rows are also in vu-thu (1).csv (same tax code, or same name and "
        + "place); all are merged by their tax code, so none is counted twice: if one file is the other sent again, "
        + "move the old one out of the input folder"
      let said = output.split(separator: "\n").map(String.init).filter { $0.contains("also in") }
      #expect(said == [line], "\(output)")
    }
  }
}
