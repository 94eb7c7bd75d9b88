/// Escaping respondents' text, tables and bar charts.
import Testing

@testable import SurveyCore

@Suite struct MarkdownTextTests {
  @Test(arguments: [
    ("Hòa | Bình", "Hòa \\| Bình"),
    ("<b>đậm</b>", "\\<b\\>đậm\\</b\\>"),
    ("[bấm](http://x.example)", "\\[bấm\\](http://x.example)"),
    ("dòng 1\ndòng 2\r\ndòng 3", "dòng 1 dòng 2 dòng 3"),
    ("*sao* _gạch_ `mã`", "\\*sao\\* \\_gạch\\_ \\`mã\\`"),
    ("# tiêu đề", "\\# tiêu đề"),
    ("- gạch", "\\- gạch"),
    ("=HYPERLINK(1)", "\\=HYPERLINK(1)"),
    ("A &amp; B", "A \\&amp; B"),
    ("A &#60;b&#62;", "A \\&#60;b\\&#62;"),
    ("Marketing & markets", "Marketing & markets"),
    ("  nhiều   khoảng\ttrắng ", "nhiều khoảng trắng"),
    ("Cơ sở Đông Hưng", "Cơ sở Đông Hưng"),
  ])
  func escapes(_ input: String, _ expected: String) {
    #expect(MarkdownText.escape(input) == expected)
  }

  @Test func codeSpansAndChartsCannotBeClosedEarly() {
    #expect(MarkdownText.code("a`b.csv") == "`a'b.csv`")
    #expect(!MarkdownText.plain("x```\ny").contains("`"))
    #expect(!MarkdownText.plain("x```\ny").contains("\n"))
  }

  @Test func tablesHaveAHeaderAndAlignment() {
    let table = MarkdownText.table(["#", "Tên"], [.right, .left], [["1", "A"], ["2", ""]])
    #expect(table == "| # | Tên |\n|---:|---|\n| 1 | A |\n| 2 |   |\n")
  }

  @Test func barsUseOnlyFullAndHalfBlocks() {
    #expect(BarChart.bar(16, of: 16, width: 16) == String(repeating: "█", count: 16))
    #expect(BarChart.bar(1, of: 2, width: 3) == "█▌")
    #expect(BarChart.bar(1, of: 1000, width: 16) == "▌")
    #expect(BarChart.bar(0, of: 10, width: 16) == "")
    let drawn = (1...40).map { BarChart.bar($0, of: 40, width: 20) }.joined()
    #expect(drawn.allSatisfy { $0 == "█" || $0 == "▌" })
  }

  @Test func chartsPutEachLabelAboveItsBar() {
    let chart = BarChart([.init("Đào tạo nghề", 4, caption: "4"), .init("CCN", 2, caption: "2")], width: 4).render()
    #expect(chart == "```text\nĐào tạo nghề: 4\n████\nCCN: 2\n██\n```\n")
  }
}
