import Foundation
import Testing

@testable import SurveyCore

extension NormaliseTests {
  @Suite struct TaxCodeTests {
    @Test(arguments: [
      ("1000123456", "1000123456"), ("1000 123 456", "1000123456"), ("1000.123.456", "1000123456"),
      ("1000123456-001", "1000123456-001"), ("1000123456 - 001", "1000123456-001"), ("1000123456001", "1000123456-001"),
      ("0101234567", "0101234567"),
    ])
    func validCodes(_ written: String, _ expected: String) {
      #expect(TaxCode.read(written) == .valid(expected))
    }

    @Test(arguments: ["", "-", "không", "Không có"])
    func blanks(_ written: String) {
      #expect(TaxCode.read(written) == .blank)
    }

    @Test(arguments: ["101234567", "12345", "1000123456-01", "MST 1000123456 ABC", "1000123456-001-002"])
    func invalidCodesAreNotGuessed(_ written: String) {
      #expect(TaxCode.read(written) == .invalid(written))
    }

    /// Ten times one digit, as a surveyor fills a cell that must not stay blank: never a code that merges surveys.
    @Test(arguments: [
      "0000000000", "1111111111", "9999999999", "0000000000-001", "0000000000000", "000 000 0000", "11111.11111",
    ])
    func placeholdersAreNotCodes(_ written: String) {
      #expect(TaxCode.read(written) == .placeholder(written))
      #expect(TaxCode.readGenerally(written) == .placeholder(written))
    }

    /// Codes that only look alike: one digit other, or two digits taking turns.
    @Test(arguments: ["0000000001", "1000000000", "0101010101", "1111111112-001", "0000000010000"])
    func codesNearAPlaceholderAreCodes(_ written: String) {
      guard case .valid = TaxCode.read(written) else {
        Issue.record("\(written) read as \(TaxCode.read(written))")
        return
      }
      #expect(TaxCode.read(written) == TaxCode.readGenerally(written))
    }
  }
}
