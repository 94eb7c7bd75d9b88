import Foundation
import PropertyBased
import Testing

@testable import SurveyCore

/// The accounting invariant over generated input folders: every row read ends up counted, merged as a
/// duplicate, in review, rejected or skipped, per file and in total, and the output files agree.
@Suite struct AccountingPropertyTests {
  enum RowKind: CaseIterable, Sendable {
    case valid, repeatedTaxCode, blank, totals, noName, badType, outsideProvince, unknownPlace, spanningCommune
    case extraCells, badBytes, controlCharacter, sameNameNoTaxCode
    /// Rows of a signature block, anywhere: titles (skipped), and signers' names (skipped at the end of a file,
    /// rejected by normalise when data follows).
    case signatureHeading, signerNames
  }

  enum FileKind: CaseIterable, Sendable {
    case normal, unterminatedQuote, binary, empty, headerOnly, utf16, windows1258
  }

  struct GeneratedFile: Sendable, CustomStringConvertible {
    var kind: FileKind
    var delimiter: Character
    var rows: [RowKind]
    var description: String { "\(kind) '\(delimiter)' \(rows)" }
  }

  static let fileGenerator = zip(
    Gen<FileKind>.case, Gen.element(of: [",", ";", "\t"] as [Character]),
    Gen<RowKind>.case.array(of: 0...20)
  ).map { GeneratedFile(kind: $0, delimiter: $1 ?? ",", rows: $2) }

  /// The bytes of one generated file.
  static func bytes(of file: GeneratedFile, index: Int) -> [UInt8] {
    let d = String(file.delimiter)
    func line(_ cells: [String]) -> String {
      cells.map { $0.contains(file.delimiter) || $0.contains("\"") ? CSVWriter.quoted($0) : $0 }
        .joined(separator: d) + "\r\n"
    }
    var text = line([
      "STT", "Mã số thuế", "Tên cơ sở", "Loại hình", "Huyện", "Xã/Phường/Thị trấn", "Số lao động",
      "Nhu cầu hỗ trợ", "Ngày khảo sát",
    ])
    if file.kind == .empty { return [] }
    var raw: [UInt8] = []
    for (n, row) in file.rows.enumerated() {
      let tax = String(1_000_000_000 + index * 1000 + n)
      var cells = [
        String(n + 1), tax, "Cơ sở \(index)-\(n)", "HTX", "Vũ Thư", "Xã Vũ Hội", "12", "SXSH; CCN", "15/10/2025",
      ]
      switch row {
      case .valid: break
      case .repeatedTaxCode: cells[1] = "1000000001"
      case .blank: cells = cells.map { _ in "" }
      case .totals: cells = ["Tổng cộng", "", "", "", "", "", "120", "", ""]
      case .noName: cells[2] = ""
      case .badType: cells[3] = "abc"
      case .outsideProvince: (cells[4], cells[5]) = ("Nam Định", "")
      case .unknownPlace: (cells[4], cells[5]) = ("Xyzzy", "Qwerty")
      case .spanningCommune: (cells[4], cells[5]) = ("", "Phường Trà Lý")
      case .extraCells: cells += ["", "spilled"]
      case .badBytes, .controlCharacter: cells[2] = "Cơ sở BAD\(n)"
      case .sameNameNoTaxCode: (cells[1], cells[2]) = ("", "Hộ Nguyễn Văn A")
      case .signatureHeading: cells = ["", "", "NGƯỜI LẬP BIỂU", "", "", "THỦ TRƯỞNG ĐƠN VỊ", "", "", ""]
      case .signerNames: cells = ["", "", "Nguyễn Văn An", "", "", "Trần Thị Bình", "", "", ""]
      }
      var rowBytes = Array(line(cells).utf8)
      if row == .badBytes, let at = rowBytes.firstIndex(of: UInt8(ascii: "B")) { rowBytes[at] = 0xFF }
      if row == .controlCharacter, let at = rowBytes.firstIndex(of: UInt8(ascii: "B")) { rowBytes[at] = 0x01 }
      raw += rowBytes
    }
    if file.kind == .headerOnly { raw = [] }
    if file.kind == .unterminatedQuote { raw += Array("99\(d)\"never closed\(d)HTX\r\n".utf8) }
    let all = Array(text.utf8) + raw
    text = ""
    switch file.kind {
    case .binary: return [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A, 0, 0, 0, 0x0D] + all
    case .utf16:
      // Bad bytes do not survive a UTF-16 round trip; write the text as it decodes.
      let decoded = String(decoding: all, as: UTF8.self)
      return [0xFF, 0xFE] + decoded.utf16.flatMap { [UInt8($0 & 0xFF), UInt8($0 >> 8)] }
    case .windows1258:
      // iconv decomposes into the code page's combining tone marks itself; it refuses NFD input.
      // A bad UTF-8 byte has no meaning in Windows-1258 either: write a plain letter in its place.
      let decoded = String(decoding: all, as: UTF8.self).replacingOccurrences(of: "\u{FFFD}", with: "y")
      guard let encoded = TestEncoding.windows1258(decoded) else {
        Issue.record("iconv could not write Windows-1258")
        return all
      }
      return encoded
    default: return all
    }
  }

  @Test func everyRowIsAccountedForInEveryGeneratedFolder() async throws {
    let schema = try shippedSchema()
    let reference = try ReferenceData.load(from: referenceFolder)
    await propertyCheck(count: 60, input: Self.fileGenerator.array(of: 1...4)) { files in
      do {
        try Self.check(files, schema: schema, reference: reference)
      } catch {
        Issue.record("a stage threw: \(error)")
      }
    }
  }

  static func check(_ files: [GeneratedFile], schema: FormSchema, reference: ReferenceData) throws {
    let input = try TemporaryFolder("prop-in")
    let run = try TemporaryFolder("prop-run")
    defer {
      input.cleanUp()
      run.cleanUp()
    }
    // Some names start with a space or a tab: the counts must still meet ingest's summary at the exact name.
    let names = ["f0.csv", " f1.csv", "\tf2.csv", "f3 \t.csv"]
    for (index, file) in files.enumerated() {
      try Data(bytes(of: file, index: index)).write(to: input.file(names[index % names.count]))
    }
    let ingest = try IngestStage.run(
      files: try IngestStage.inputFiles(in: input.url), runDirectory: run.url, schema: schema)
    let normalise = try NormaliseStage.run(runDirectory: run.url, reference: reference, corrections: Corrections())

    for file in ingest.files {
      #expect(
        file.rowsRead == file.rowsPassed + file.rowsSkippedBlank + file.rowsSkippedTotals + file.rowsSkippedSignature
          + file.rowsRejected)
      let counts = normalise.files.first { $0.file == file.file }?.counts ?? NormaliseCounts()
      #expect(counts.rowsIn == file.rowsPassed, "\(file.file)")
      #expect(counts.rowsIn == counts.counted + counts.duplicates + counts.review + counts.rejected, "\(file.file)")
    }
    #expect(Set(normalise.files.map(\.file)) == Set(ingest.files.map(\.file)))
    let totals = normalise.totals
    #expect(
      ingest.rowsRead == totals.counted + totals.duplicates + totals.review + totals.rejected
        + ingest.rowsRejected + ingest.rowsSkipped)

    // The output files hold exactly the rows the summaries count.
    let rejects = try readArtefact(run.file(ArtefactName.rejects)).rows
    #expect(rejects.filter { $0[2] == "ingest" }.count == ingest.rowsRejected + ingest.filesSetAside)
    #expect(rejects.filter { $0[2] == "normalise" }.count == totals.rejected)
    #expect(try readArtefact(run.file(ArtefactName.establishments)).rows.count == totals.counted)
    #expect(try readArtefact(run.file(ArtefactName.review)).rows.count == totals.review)
    let duplicates = try readArtefact(run.file(ArtefactName.duplicates)).rows
    #expect(duplicates.filter { $0[4] == "duplicate" }.count == totals.duplicates)

    // manifest.json's totals, built from the run folder as run-pipeline builds them, match the files too.
    let stages = ["ingest", "normalise"].map { StageRecord(name: $0, exitCode: 0, milliseconds: 1) }
    let manifest = try ManifestBuilder.build(
      RunFacts(runDirectory: run.url, startedAt: Date(), finishedAt: Date(), stages: stages))
    let m = manifest.totals
    #expect(m.rowsRead == ingest.rowsRead)
    #expect(m.rejected == rejects.count - ingest.filesSetAside)
    let counted = try readArtefact(run.file(ArtefactName.establishments)).rows.count
    let review = try readArtefact(run.file(ArtefactName.review)).rows.count
    #expect(m.counted == counted)
    #expect(m.review == review)
    #expect(m.duplicates == duplicates.filter { $0[4] == "duplicate" }.count)
    #expect(m.filesSetAside == ingest.filesSetAside)
    #expect(m.rowsRead == (m.counted ?? 0) + (m.duplicates ?? 0) + (m.review ?? 0) + m.rejected + m.rowsSkipped)
  }
}

/// Encodings the tests write with the system's iconv, as older Excel would.
enum TestEncoding {
  static func windows1258(_ text: String) -> [UInt8]? {
    let process = Process()
    process.executableURL = URL(fileURLWithPath: "/usr/bin/iconv")
    process.arguments = ["-f", "UTF-8", "-t", "WINDOWS-1258"]
    let input = Pipe()
    let output = Pipe()
    process.standardInput = input
    process.standardOutput = output
    process.standardError = FileHandle.nullDevice
    guard (try? process.run()) != nil else { return nil }
    input.fileHandleForWriting.write(Data(text.utf8))
    try? input.fileHandleForWriting.close()
    let data = output.fileHandleForReading.readDataToEndOfFile()
    process.waitUntilExit()
    return process.terminationStatus == 0 ? [UInt8](data) : nil
  }
}
