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
  }
}
