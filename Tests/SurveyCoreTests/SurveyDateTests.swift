import Foundation
import Testing

@testable import SurveyCore

extension NormaliseTests {
  @Suite struct SurveyDateTests {
    @Test(arguments: [
      ("15/03/2024", "2024-03-15"), ("5/3/2024", "2024-03-05"), ("2024-03-15", "2024-03-15"),
      ("15-03-2024", "2024-03-15"), ("15.03.2024", "2024-03-15"), ("45366", "2024-03-15"),
      ("15/03/2024 00:00:00", "2024-03-15"), ("29/02/2024", "2024-02-29"), ("44927", "2023-01-01"),
      ("45366.5", "2024-03-15"), ("45366,75", "2024-03-15"),
    ])
    func everyFormOfTheForm(_ written: String, _ iso: String) {
      #expect(SurveyDate.parse(written)?.description == iso, "\(written)")
    }

    @Test(arguments: [
      "", "31/02/2024", "2024/15/03", "03/2024", "tháng 3", "123", "29/02/2023", "1.250", "45366.", ".5", "4536.5",
      "45366.5.1", "01/01/1900", "1", "15/03/1925", "1999-12-31", "15/03/2101",
    ])
    func notDates(_ written: String) {
      #expect(SurveyDate.parse(written) == nil, "\(written)")
    }

    /// Digits other than ASCII ones are no date (a fuzzer finding: they once crashed the stage).
    @Test(arguments: ["١٥/٠٣/٢٠٢٤", "15/0³/2024", "½/03/2024", "15/03/２０２４"])
    func nonASCIIDigitsAreNoDate(_ written: String) {
      #expect(SurveyDate.parse(written) == nil, "\(written)")
    }

    @Test func theReformDateOrdersSurveys() {
      #expect(SurveyDate.parse("30/06/2025")! < SurveyDate.reform)
      #expect(!(SurveyDate.parse("01/07/2025")! < SurveyDate.reform))
    }
  }
}
