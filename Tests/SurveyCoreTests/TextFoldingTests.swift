import Foundation
import Testing

@testable import SurveyCore

@Suite struct TextFoldingTests {
  @Test func foldsCaseDiacriticsDAndPunctuation() {
    #expect(TextFolding.key("  Huyện  Đông-Hưng ") == "huyen dong hung")
    #expect(TextFolding.key("ĐÔNG HƯNG") == "dong hung")
    #expect(TextFolding.key("Đông Hưng".decomposedStringWithCanonicalMapping) == "dong hung")
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
