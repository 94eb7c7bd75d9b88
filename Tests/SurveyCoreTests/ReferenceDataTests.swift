/// The department edits the reference tables by hand: a mistake that would quietly change the figures stops the
/// run with the table's file and line instead.
import Foundation
import Testing

@testable import SurveyCore

extension NormaliseTests {
  @Suite struct ReferenceDataTests {
    /// A copy of the shipped tables with `edit` applied to one of them; loads it.
    func load(_ table: String, _ edit: (String) -> String) throws -> ReferenceData {
      let folder = try TemporaryFolder("reference")
      defer { folder.cleanUp() }
      for name in try FileManager.default.contentsOfDirectory(atPath: referenceFolder.path) {
        try FileManager.default.copyItem(
          at: referenceFolder.appendingPathComponent(name), to: folder.url.appendingPathComponent(name))
      }
      let url = folder.file(table)
      try Data(edit(try String(contentsOf: url, encoding: .utf8)).utf8).write(to: url)
      return try ReferenceData.load(from: folder.url)
    }

    /// The error `load` stops with, as the stage prints it.
    func failure(_ table: String, _ edit: @escaping (String) -> String) -> String {
      do {
        _ = try load(table, edit)
        return "no error"
      } catch {
        return (error as? PipelineError)?.description ?? "\(error)"
      }
    }

    func lineCount(_ table: String) throws -> Int {
      try String(contentsOf: referenceFolder.appendingPathComponent(table), encoding: .utf8)
        .split(separator: "\n").count
    }

    @Test func theShippedTablesLoad() throws {
      let reference = try shippedReference()
      #expect(reference.needKeys.count == 9 && !reference.sectors.isEmpty && !reference.districtAliases.isEmpty)
    }

    @Test func additionsAsTheDepartmentWouldMakeThemAreTaken() throws {
      let reference = try load("enterprise-types.csv") { $0 + "household,Hộ kinh doanh,Household business,Hộ\n" }
      #expect(reference.enterpriseTypes.contains(Spelling(key: "household", written: "Hộ")))
      let sectors = try load("sectors.csv") { $0 + "incense,Làm hương,Incense,Hương;Làm hương nhang\n" }
      #expect(sectors.sectors.contains(Spelling(key: "incense", written: "Làm hương nhang")))
    }

    @Test func aSpellingForTwoKeysStopsTheRunWithItsLine() throws {
      let sectorLines = try lineCount("sectors.csv")
      let sector = failure("sectors.csv") { $0 + "incense,Làm hương,Incense,Hương;Dệt may\n" }
      #expect(
        sector.hasPrefix("sectors.csv:\(sectorLines + 1): \"Dệt may\" is written for textiles on line 2"), "\(sector)")
      let need = failure("needs.csv") {
        $0.replacingOccurrences(of: "Khởi sự doanh nghiệp;", with: "Khởi sự doanh nghiệp;Đào tạo nghề;")
      }
      #expect(need.contains("\"Đào tạo nghề\" is written for training on line 2 and for management here"), "\(need)")
      let alias = failure("district-aliases.csv") { $0 + "KX,343\nkx,344\n" }
      #expect(alias.contains("\"kx\" is written for 343 on line"), "\(alias)")
    }

    @Test func aKeyOnTwoRowsOrOutsideTheFormStopsTheRun() {
      let twice = failure("sectors.csv") { $0 + "textiles,Dệt,Weaving,Dệt thổ cẩm\n" }
      #expect(twice.contains("key \"textiles\" is already on line 2"), "\(twice)")
      let typo = failure("enterprise-types.csv") { $0 + "houshold,Hộ nhỏ,Small household,Hộ nhỏ\n" }
      #expect(typo.contains("key \"houshold\" is not one of the form's types"), "\(typo)")
    }

    @Test func aShortRowAnUnknownCodeOrABlankCellStopsTheRunWithItsLine() throws {
      let short = failure("enterprise-types.csv") { $0 + "household,Hộ kinh doanh,Hộ nhỏ\n" }
      #expect(short.contains("the row has 3 cells and the header 4"), "\(short)")
      let aliasLines = try lineCount("district-aliases.csv")
      let unknown = failure("district-aliases.csv") { $0 + "XYZ,999\n" }
      #expect(
        unknown == "district-aliases.csv:\(aliasLines + 1): alias \"XYZ\" names district code 999, which districts.csv "
          + "does not have", "\(unknown)")
      let blank = failure("district-aliases.csv") { $0 + "XYZ,\n" }
      #expect(blank.contains("district_code is blank"), "\(blank)")
    }

    @Test func oneThingSettledTwoWaysInCorrectionsStopsTheRun() throws {
      let folder = try TemporaryFolder("corrections")
      defer { folder.cleanUp() }
      let url = folder.file("corrections.csv")
      let header = "column,written,means,source_file,note\n"
      try Data((header + "district,Dong Hung cu,340,,\ndistrict,dong hung cu,341,,\n").utf8).write(to: url)
      let message = (#expect(throws: PipelineError.self) { try Corrections.load(from: url) })?.description
      #expect(
        message?.hasPrefix("corrections.csv:3: district \"dong hung cu\" is settled on line 2 as \"340\"") == true)
      // The same decision twice, or for two files, is no conflict.
      try Data(
        (header + "district,Dong Hung cu,340,,\ndistrict,Dong Hung cu,340,,\ndistrict,Dong Hung cu,341,b.csv,\n")
          .utf8
      ).write(to: url)
      #expect(try Corrections.load(from: url).all.count == 3)
    }

    @Test func aMissingHandKeptTableIsRestoredNotRegenerated() throws {
      let folder = try TemporaryFolder("reference")
      defer { folder.cleanUp() }
      for name in try FileManager.default.contentsOfDirectory(atPath: referenceFolder.path)
      where name != "enterprise-types.csv" {
        try FileManager.default.copyItem(
          at: referenceFolder.appendingPathComponent(name), to: folder.url.appendingPathComponent(name))
      }
      let message = (#expect(throws: PipelineError.self) { try ReferenceData.load(from: folder.url) })?.description
      #expect(message?.contains("restore it from the repository") == true, "\(message ?? "")")
    }
  }
}
