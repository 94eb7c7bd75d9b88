/// Vietnamese and English number forms, and exact money.
import Testing

@testable import SurveyCore

@Suite struct NumberFormatTests {
  let vi = NumberFormat(.vi)
  let en = NumberFormat(.en)

  @Test func groupsThousands() {
    #expect(vi.integer(1250) == "1.250")
    #expect(vi.integer(1_234_567) == "1.234.567")
    #expect(vi.integer(999) == "999")
    #expect(en.integer(1250) == "1,250")
    #expect(vi.integer(0) == "0")
  }

  @Test func writesDecimalsWithTheRightSeparator() {
    #expect(vi.tenths(825) == "82,5")
    #expect(en.tenths(825) == "82.5")
    #expect(vi.tenths(12_340) == "1.234,0")
  }

  /// Run ids read as the time in Vietnam (UTC+7), across midnight and a year's end; anything else is no run id.
  @Test func runIDsAreReadAsTheTimeInVietnam() {
    #expect(RunID.vietnamTime("20261130T020000Z")! == ("30/11/2026", "09:00"))
    #expect(RunID.vietnamTime("20261231T190500Z-01")! == ("01/01/2027", "02:05"))
    for other in ["20261130T020000", "20261330T020000Z", "2026113OT020000Z", "operator-notes", ""] {
      #expect(RunID.vietnamTime(other) == nil, "\(other)")
    }
  }

  /// Rounded once, from the counts: 75 of 195 is 38,46%, so 38%, not 39% (38,5 rounded again).
  @Test(arguments: [
    (75, 195, "38%"), (11, 31, "35%"), (5, 11, "45%"), (2, 31, "6%"), (1, 8, "13%"), (0, 0, "0%"),
    (121, 200, "61%"), (3, 3, "100%"),
    // Some, but under half a percent (5 trainees of a plan of 2,000): not "0%", which reads as none.
    (5, 2000, "dưới 1%"), (0, 2000, "0%"), (10, 2000, "1%"),
    // Not all, but within half a percent of it (199 of 200 establishments): not "100%", which reads as every one.
    (199, 200, "trên 99%"), (1999, 2000, "trên 99%"), (198, 200, "99%"), (200, 200, "100%"), (2001, 2000, "100%"),
    (2010, 2000, "101%"),
  ])
  func percentagesAreRoundedOnceFromTheCounts(_ part: Int, _ whole: Int, _ written: String) {
    #expect(vi.percent(part, of: whole) == written)
  }

  @Test func writesMoneyAsManagersReadIt() {
    #expect(vi.money(Money(thousands: 2_500_000)) == "2,5 tỷ đồng")
    #expect(vi.money(Money(thousands: 10_000_000)) == "10 tỷ đồng")
    #expect(vi.money(Money(thousands: 17_417_500)) == "17,42 tỷ đồng")
    #expect(vi.money(Money(thousands: 850_000)) == "850 triệu đồng")
    #expect(vi.money(Money(thousands: 2_500)) == "2,5 triệu đồng")
    #expect(en.money(Money(thousands: 2_500_000)) == "2.5 billion VND")
    #expect(en.money(Money(thousands: 850_000)) == "850 million VND")
    #expect(vi.money(.zero) == "0 triệu đồng")
    // An amount whole millions would round up to a billion is written on the billion's scale, not "1.000 triệu".
    #expect(vi.money(Money(thousands: 999_995)) == "1 tỷ đồng")
    #expect(vi.money(Money(thousands: 999_500)) == "1 tỷ đồng")
    #expect(vi.money(Money(thousands: 999_499)) == "999 triệu đồng")
    #expect(en.money(Money(thousands: 999_700)) == "1 billion VND")
    #expect(vi.money(parts: [Money(thousands: 999_600), Money(thousands: 4_000)]) == ["1 tỷ đồng", "4 triệu đồng"])
  }

  /// Districts' amounts shown one under another add up to the province's total as shown (an audit added them to
  /// 42,47 tỷ đồng under a total of 42,45): each rounded on its own, five of 1,004 tỷ đồng were 1 tỷ each under a
  /// total of 5,02; rounded together, the two tenths of a hundredth go to the first two.
  @Test func amountsThatArePartsAddUpToTheirTotalAsShown() {
    let parts = Array(repeating: Money(thousands: 1_004_000), count: 5)
    #expect(vi.money(parts.reduce(.zero, +)) == "5,02 tỷ đồng")
    #expect(vi.money(parts: parts) == ["1,01 tỷ đồng", "1,01 tỷ đồng", "1 tỷ đồng", "1 tỷ đồng", "1 tỷ đồng"])
    // The largest remainders win, in millions when the total is under a billion.
    #expect(
      vi.money(parts: [Money(thousands: 300_400), Money(thousands: 200_400), Money(thousands: 100_700)])
        == ["301 triệu đồng", "200 triệu đồng", "101 triệu đồng"])
    // A part under the total's scale is written on its own: 996,6 million is not rounded to the billions' 1,00.
    #expect(
      en.money(parts: [Money(thousands: 2_004_900), Money(thousands: 996_600), Money(thousands: 1_003_500)])
        == ["2.01 billion VND", "997 million VND", "1 billion VND"])
    // An audit's districts: 4 triệu đồng was given the sum's unit and shown as 10 triệu, beside 3 triệu shown as
    // under 10. A part of nothing stays nothing.
    #expect(
      vi.money(parts: [Money(thousands: 40_000_000), Money(thousands: 3_000), Money(thousands: 4_000), .zero])
        == ["40 tỷ đồng", "3 triệu đồng", "4 triệu đồng", "0 triệu đồng"])
    #expect(en.money(parts: [Money(thousands: 5_000_000), Money(thousands: 3_000)])[1] == "3 million VND")
    // A part on the total's scale that rounds to none is not written as nothing.
    #expect(
      vi.money(parts: [Money(thousands: 9_000), Money(thousands: 3)]) == ["9 triệu đồng", "dưới 0,01 triệu đồng"])
    // Whatever the amounts, the rounded parts add up to the total rounded on its own.
    var generator = SplitMix64(state: 42)
    for _ in 0..<500 {
      let amounts = (0..<Int.random(in: 1...9, using: &generator)).map { _ in
        Int.random(in: 0...[9_999, 999_999, 60_000_000].randomElement(using: &generator)!, using: &generator)
      }
      let total = amounts.reduce(0, +)
      let unit = total >= 1_000_000 ? 10_000 : total >= 10_000 ? 1_000 : 10
      let rounded = LargestRemainder.units(amounts, of: unit)
      #expect(rounded.reduce(0, +) == (total + unit / 2) / unit, "\(amounts)")
      #expect(zip(amounts, rounded).allSatisfy { abs($0 - $1 * unit) < unit }, "\(amounts)")
    }
  }

  /// Shares read as dividing a whole add up to 100%: three equal weights are 34%, 33% and 33%.
  @Test func sharesOfAWholeAddUpToAHundred() {
    #expect(vi.percents(parts: [1, 1, 1]) == ["34%", "33%", "33%"])
    #expect(vi.percents(parts: [35, 25, 20, 10, 10]) == ["35%", "25%", "20%", "10%", "10%"])
    #expect(vi.percents(parts: [2, 2, 2, 1, 1, 1]) == ["23%", "22%", "22%", "11%", "11%", "11%"])
    #expect(en.percents(parts: [1_000, 1, 0]) == ["over 99%", "under 1%", "0%"])
    #expect(vi.percents(parts: [1, 0]) == ["100%", "0%"])
    #expect(vi.percents(parts: [0, 0]) == ["0%", "0%"])
  }

  @Test(
    arguments: [
      ("1250", 1_250_000), ("2.5", 2_500), ("0.125", 125), ("0.0005", 1), ("12", 12_000), ("", nil), ("1.250,5", nil),
      ("abc", nil), ("2.", nil), (".5", nil),
    ] as [(String, Int?)])
  func readsMillionVNDExactly(_ text: String, _ thousands: Int?) {
    #expect(Money(millionVND: text)?.thousands == thousands)
  }

  @Test func writesMillionVNDPlainly() {
    #expect(Money(thousands: 17_417_500).plainMillionVND == "17417.5")
    #expect(Money(thousands: 125).plainMillionVND == "0.125")
    #expect(Money(thousands: 3_000_000).plainMillionVND == "3000")
  }
}
