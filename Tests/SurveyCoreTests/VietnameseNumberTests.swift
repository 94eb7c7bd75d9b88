import Foundation
import Testing

@testable import SurveyCore

extension NormaliseTests {
  @Suite struct VietnameseNumberTests {
    @Test(arguments: [
      ("1.250", "1250"), ("2,5", "2.5"), ("1.250.000", "1250000"), ("1.250,5", "1250.5"), ("2.5", "2.5"),
      ("1,250,000", "1250000"), ("1,250.5", "1250.5"), ("0", "0"), ("12", "12"), ("-3", "-3"), ("0,75", "0.75"),
    ])
    func separators(_ written: String, _ expected: String) {
      #expect(VietnameseNumber.parse(written)?.text == expected, "\(written)")
    }

    @Test(arguments: ["1.25.0", "abc", "1..2", ",5", "5,", "1.2345,6"])
    func notNumbers(_ written: String) {
      #expect(VietnameseNumber.parse(written) == nil, "\(written)")
    }

    @Test(arguments: [
      ("120 tr", "120"), ("120tr", "120"), ("120 triệu", "120"), ("1,5 tỷ", "1500"), ("2 tỷ đồng", "2000"),
      ("150.000.000 đ", "150"), ("150.000.000 đồng", "150"), ("1.250", "1250"), ("2,5", "2.5"), ("80 triệu đồng", "80"),
    ])
    func amountsInMillionVND(_ written: String, _ expected: String) {
      #expect(VietnameseNumber.millionVND(written)?.text == expected, "\(written)")
    }

    @Test(arguments: [
      ("15 người", "15"), ("15", "15"), ("1.250", "1250"), ("20 lao động", "20"), ("7 LĐ", "7"), ("15,0", "15"),
      ("2.000", "2000"), ("1,250,000", "1250000"), ("15,00", "15"),
    ])
    func countsOfPeople(_ written: String, _ expected: String) {
      #expect(VietnameseNumber.count(written)?.text == expected, "\(written)")
    }

    /// `2,000` and `1,000 người`: two thousand in a sheet in English, two by the decimal comma; read as 2, it
    /// counted two workers with no remark. A comma with one or two decimals after it still reads (`15,0`).
    @Test(arguments: ["2,5", "15 tấn", "khoảng 20", "-3", "10-15", "2,000", "1,000 người", "12,000", " 3,000 "])
    func notACount(_ written: String) {
      #expect(VietnameseNumber.count(written) == nil, "\(written)")
    }
  }
}
