import Foundation
import Testing

@testable import SurveyCore

@Suite struct TextFoldingTests {
  @Test func asciiWhiteSpaceIsWhatFoundationTrims() {
    for byte in UInt8(0)..<0x80 {
      let scalar = Unicode.Scalar(byte)
      #expect(TextFolding.isSpaceByte(byte) == CharacterSet.whitespacesAndNewlines.contains(scalar), "\(byte)")
      let trimmed = ("a" + String(scalar)).trimmingCharacters(in: .whitespacesAndNewlines) == "a"
      #expect(TextFolding.isSpaceByte(byte) == trimmed, "\(byte)")
    }
  }

  @Test func foldsCaseDiacriticsDAndPunctuation() {
    #expect(TextFolding.key("  Huyện  Đông-Hưng ") == "huyen dong hung")
    #expect(TextFolding.key("ĐÔNG HƯNG") == "dong hung")
    #expect(TextFolding.key("Đông Hưng".decomposedStringWithCanonicalMapping) == "dong hung")
  }

  /// `key` folds ASCII and precomposed Latin text a scalar at a time; it must give what Unicode decomposition and
  /// properties give, for every such scalar alone and beside others, and for any text.
  @Test func keyFoldsLatinScalarsAsUnicodeDoes() {
    let latin = (0x20..<0x250).map { Unicode.Scalar($0)! } + (0x1E00..<0x1F00).map { Unicode.Scalar($0)! }
    for scalar in latin {
      for text in ["\(scalar)", "A\(scalar)b", "\(scalar) \(scalar)x", "Đ\(scalar)\(scalar)ệ", "\(scalar)\u{301}"] {
        #expect(TextFolding.key(text) == TextFolding.keyByUnicode(text), "\(text.unicodeScalars.map(\.value))")
      }
    }
    var random = SplitMix64(state: 9)
    for _ in 0..<3000 {
      let text = String(decoding: AwkwardText.cell(&random, validOnly: true), as: UTF8.self)
      #expect(TextFolding.key(text) == TextFolding.keyByUnicode(text), "\(text.unicodeScalars.map(\.value))")
    }
    #expect(TextFolding.key("Cơ sở sản xuất Trần Thị Ánh, xã Đông Á") == "co so san xuat tran thi anh xa dong a")
  }

  @Test func keyWithDiacriticsKeepsToneMarksApart() {
    #expect(TextFolding.keyWithDiacritics("Đông Thành") != TextFolding.keyWithDiacritics("Đông Thạnh"))
    #expect(TextFolding.key("Đông Thành") == TextFolding.key("Đông Thạnh"))
    #expect(TextFolding.keyWithDiacritics("Đông Thành".decomposedStringWithCanonicalMapping) == "đông thành")
  }

  @Test func nfcComposesCombiningMarks() {
    let nfd = "Tiền Hải".decomposedStringWithCanonicalMapping
    #expect(nfd.unicodeScalars.count > "Tiền Hải".unicodeScalars.count)
    #expect(
      Array(TextFolding.nfc(nfd).unicodeScalars)
        == Array("Tiền Hải".precomposedStringWithCanonicalMapping.unicodeScalars))
  }

  @Test func bracketsAreRemovedFromHeaders() {
    #expect(FormSchema.headerKey("Doanh thu năm (triệu đồng)") == "doanh thu nam")
    #expect(FormSchema.headerKey("Số lao động\n(người)") == "so lao dong")
  }
}
