/// The unit a money column's header states, and how a cell's own unit stands beside it.
import Testing

@testable import SurveyCore

@Suite struct MoneyUnitTests {
  /// What the header of a money column states, in the spellings the form's files use; nil for none.
  @Test(arguments: [
    ("Kinh phí đề nghị hỗ trợ (triệu đồng)", MoneyUnit.millionVND),
    ("Doanh thu năm (Tr.đ)", .millionVND), ("Doanh thu năm (trđ)", .millionVND), ("Doanh thu (triệu)", .millionVND),
    ("Annual revenue (million VND)", .millionVND), ("Doanh thu năm (triệu đồng/năm)", .millionVND),
    ("Doanh thu năm (2024) (triệu đồng)", .millionVND), ("Doanh thu năm (triệu đồng) (9)", .millionVND),
    ("Kinh phí đề nghị hỗ trợ (nghìn đồng)", .thousandVND), ("Kinh phí đề nghị (ngàn đồng)", .thousandVND),
    ("Kinh phí đề nghị (Nghìn)", .thousandVND), ("Kinh phí đề nghị (1000 đồng)", .thousandVND),
    ("Kinh phí đề nghị (1.000 đ)", .thousandVND), ("Requested support (thousand VND)", .thousandVND),
    ("Kinh phí đề nghị (ĐVT: nghìn đồng)", .thousandVND),
    ("Doanh thu năm (đồng)", .vnd), ("Doanh thu năm (VNĐ)", .vnd), ("Doanh thu năm (VND)", .vnd),
    ("Doanh thu năm (đ)", .vnd), ("DOANH THU NĂM (ĐỒNG)", .vnd),
    ("Doanh thu năm (tỷ đồng)", .billionVND), ("Doanh thu năm (tỷ)", .billionVND), ("Doanh thu (tỉ đồng)", .billionVND),
    ("Annual revenue (billion VND)", .billionVND),
    ("Kinh phí đề nghị hỗ trợ (USD)", .unknown), ("Kinh phí đề nghị (triệu USD)", .unknown),
    ("Kinh phí đề nghị ($)", .unknown), ("Kinh phí (đô la Mỹ)", .unknown),
    ("Doanh thu (triệu đồng) (nghìn đồng)", .unknown),
    // A tester's round on the form's own unit and on notes that are no unit (a word such as "ngân" or "tỷ lệ"
    // scaled a whole column, and a number beside the unit blanked it).
    ("Kinh phí đề nghị (k VND)", .thousandVND), ("Doanh thu năm (x1000đ)", .thousandVND),
    ("Doanh thu năm (Đơn vị tính: 1.000 đồng)", .thousandVND), ("Kinh phí (nghìn đồng/năm)", .thousandVND),
    ("Requested support (mil. VND)", .millionVND), ("Kinh phí (VND mn)", .millionVND),
    ("Kinh phí (M VND)", .millionVND),
    ("Doanh thu (Triệu đồng, năm 2024)", .millionVND), ("Doanh thu (trđ/năm)", .millionVND),
    ("Kinh phí (triệu đồng) (tỷ lệ 30%)", .millionVND), ("Kinh phí (Triệu đồng) (Ngân sách KC)", .millionVND),
  ])
  func aHeaderStatesItsUnit(header: String, unit: MoneyUnit) {
    #expect(MoneyUnit.stated(inHeader: header) == unit, "\(header)")
  }

  @Test func aHeaderWithNoNoteAboutMoneyStatesNone() {
    for header in [
      "Doanh thu năm", "Doanh thu năm (2024)", "Kinh phí đề nghị (nếu có)", "Doanh thu (13)", "Doanh thu (*)",
      "Kinh phí đề nghị hỗ trợ (nguồn ngân sách khuyến công)", "Kinh phí đề nghị hỗ trợ (theo tỷ lệ quy định)",
      "Kinh phí (ngân sách tỉnh, triệu đồng)", "Doanh thu (Millions of VND)", "Kinh phí (triệu đồng, 2 năm 2026-2027)",
      "Kinh phí (12 tháng, triệu đồng)", "Kinh phí (triệu đồng; 1 lần)",
    ] {
      #expect(MoneyUnit.stated(inHeader: header) == nil, "\(header)")
    }
  }

  /// A bare number is in the header's unit; a unit in the cell wins.
  @Test func aCellsOwnUnitWinsOverTheHeaders() {
    func read(_ written: String, _ unit: MoneyUnit) -> String? {
      VietnameseNumber.millionVND(written, headerUnit: unit)?.text
    }
    #expect(read("100.000", .thousandVND) == "100")
    #expect(read("104000", .thousandVND) == "104")
    #expect(read("1,5 tỷ", .thousandVND) == "1500")
    #expect(read("500.000đ", .thousandVND) == "0.5")
    #expect(read("150.000.000", .vnd) == "150")
    #expect(read("150.000.000 đồng", .billionVND) == "150")
    #expect(read("2,5", .billionVND) == "2500")
    #expect(read("120", .millionVND) == "120")
    #expect(read("5000", .unknown) == nil)
    #expect(read("120 tr", .unknown) == "120")
  }
}
