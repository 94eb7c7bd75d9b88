import Foundation
import Testing

@testable import SurveyCore

extension NormaliseTests {
  @Suite struct NeedParserTests {
    let parser: NeedParser

    init() throws { parser = NeedParser(reference: try shippedReference()) }

    func list(_ cell: String) -> NeedParser.Reading { parser.read(marks: [:], list: cell, file: "a.csv") }

    @Test(arguments: [
      ("ĐT nghề", "training"), ("SXSH", "clean_production"), ("TKNL", "clean_production"),
      ("Quảng bá SP", "marketing"), ("XTTM", "marketing"), ("CGCN", "machinery"), ("CCN", "cluster"),
      ("Đào tạo nghề", "training"), ("Nâng cao năng lực quản lý", "management"),
      ("Mô hình trình diễn kỹ thuật", "demo_model"), ("Máy móc thiết bị, chuyển giao công nghệ", "machinery"),
      ("Sản xuất sạch hơn, tiết kiệm năng lượng", "clean_production"),
      ("Quảng bá sản phẩm, phát triển thị trường", "marketing"),
      ("Sản phẩm công nghiệp nông thôn tiêu biểu", "product_dev"),
      ("Tư vấn, thông tin", "consulting"), ("Hạ tầng cụm công nghiệp, di dời", "cluster"),
      ("Vocational training", "training"), ("dt nghe", "training"),
    ])
    func everyNeedNameAndShortForm(_ written: String, _ key: String) {
      let reading = list(written)
      #expect(reading.keys == [key], "\(written): \(reading)")
      #expect(reading.unmatched.isEmpty)
    }

    /// "lí"/"lý", "kĩ"/"kỹ" are one syllable: "Nâng cao năng lực quản lí" was a need not read, and "Đào tạo quản
    /// lí" read as training by its first words where "Đào tạo quản lý" is management (a helper's round on the i/y
    /// spellings).
    @Test(arguments: [
      ("Nâng cao năng lực quản lí", "management"), ("Quản lí", "management"), ("quan li", "management"),
      ("Đào tạo quản lí", "management"), ("Năng lực quản lí", "management"),
      ("Mô hình trình diễn kĩ thuật", "demo_model"), ("Mo hinh trinh dien ki thuat", "demo_model"),
    ])
    func theIAndYSpellingsOfANeedAreOne(_ written: String, _ key: String) {
      let reading = list(written)
      #expect(reading.keys == [key], "\(written): \(reading)")
      #expect(reading.unmatched.isEmpty, "\(written): \(reading)")
    }

    /// "Quảng bá" alone, as the other needs' first words are (Máy móc, Tư vấn, Mô hình), was a need not read, and
    /// in "Quảng bá, Tư vấn" only consulting counted (found trying the form's spellings by hand).
    @Test(arguments: [
      ("Quảng bá", ["marketing"]), ("Quảng bá, Tư vấn", ["marketing", "consulting"]),
      ("quang ba; Máy móc", ["machinery", "marketing"]),
    ])
    func theFirstWordsOfMarketingAreMarketing(_ written: String, _ keys: [String]) {
      let reading = list(written)
      #expect(reading.keys == keys, "\(written): \(reading)")
      #expect(reading.unmatched.isEmpty, "\(written): \(reading)")
    }

    /// A form that numbers its choices exports them numbered: "1.Đào tạo nghề" was a need not read (an audit).
    @Test(arguments: [
      ("1.Đào tạo nghề", ["training"]), ("1. Đào tạo nghề; 6) Quảng bá sản phẩm", ["training", "marketing"]),
      ("4. Máy móc thiết bị, chuyển giao công nghệ, 5. SXSH", ["machinery", "clean_production"]),
      ("1. Đào tạo nghề và 3. Mô hình trình diễn", ["training", "demo_model"]),
    ])
    func aNumberedChoiceIsReadWithoutItsNumber(_ written: String, _ keys: [String]) {
      let reading = list(written)
      #expect(reading.keys == keys, "\(written): \(reading)")
      #expect(reading.unmatched.isEmpty, "\(written): \(reading)")
    }

    @Test func aGoogleFormsCellGivesTheKeysInTheFormsOrder() {
      let reading = list("Tư vấn, thông tin, Đào tạo nghề, Máy móc thiết bị, chuyển giao công nghệ; XTTM")
      #expect(reading.keys == ["training", "machinery", "marketing", "consulting"])
    }

    @Test func anUnknownNeedIsKeptAsUnread() {
      let reading = list("SXSH; Vay vốn ưu đãi")
      #expect(reading.keys == ["clean_production"])
      #expect(reading.unmatched == ["Vay vốn ưu đãi"])
    }

    /// Needs typed by hand and joined with "và", "/", "&" or a dash: each is read. Only the first was, before,
    /// the rest dropped unsaid behind a spelling the piece started with (a helper's round on the survey form).
    @Test(arguments: [
      ("Đào tạo nghề, quảng bá sản phẩm và tư vấn", ["training", "marketing", "consulting"], [String]()),
      ("Đào tạo nghề, XTTM và CGCN", ["training", "machinery", "marketing"], []),
      ("Máy móc thiết bị và đào tạo nghề", ["training", "machinery"], []),
      ("Đào tạo nghề/SXSH", ["training", "clean_production"], []),
      ("Đào tạo nghề & XTTM", ["training", "marketing"], []),
      ("Đào tạo nghề - Máy móc thiết bị", ["training", "machinery"], []),
      ("Đào tạo nghề hoặc tư vấn", ["training", "consulting"], []),
      ("Dao tao nghe va tu van", ["training", "consulting"], []),
      ("Dao tao nghe hoac tu van", ["training", "consulting"], []),
      // Without its sign, "Đào tạo/Quản lý" is "Đào tạo quản lý", management alone (a helper's round).
      ("Đào tạo/Quản lý", ["training", "management"], []), ("ĐÀO TẠO - QUẢN LÝ", ["training", "management"], []),
      ("Đào tạo nghề-Máy móc", ["training", "machinery"], []), ("ĐT nghề/MMTB", ["training", "machinery"], []),
      ("SXSH-TKNL", ["clean_production"], []), ("Đào tạo quản lý", ["management"], []),
      // Start-up training is the management need's (Decree 45), not vocational training by its first words.
      ("Đào tạo khởi sự doanh nghiệp", ["management"], []), ("Dao tao khoi su doanh nghiep", ["management"], []),
      // A slash first, then a dash within a part: the second need is said more fully.
      ("Đào tạo nghề / Quảng bá - thị trường nông thôn", ["training", "marketing"], []),
      // A line break typed in the cell on Windows (CRLF, one Character) separates as LF does.
      ("Đào tạo nghề\r\nSXSH", ["training", "clean_production"], []), ("XTTM\rCGCN", ["machinery", "marketing"], []),
      // A plus typed between choices, as a list is written by hand, separates as a comma does.
      ("Đào tạo nghề + XTTM", ["training", "marketing"], []), ("SXSH+CGCN", ["machinery", "clean_production"], []),
      ("triển lãm và đào tạo nghề", ["training"], ["triển lãm"]),
      // A part that is no need: the piece is one need said more fully, read as before (a helper's regression
      // diff: "Quảng bá - thị trường nông thôn" lost marketing, "Đào tạo - tập huấn" gained a remark).
      ("Quảng bá - thị trường nông thôn", ["marketing"], []), ("Quảng bá – thị trường xuất khẩu", ["marketing"], []),
      ("Đào tạo - tập huấn", ["training"], []), ("Quảng bá SP/thương hiệu", ["marketing"], []),
      ("Đào tạo nghề và vay vốn ưu đãi", ["training"], []),
      ("Vay vốn - lãi suất thấp", [], ["Vay vốn - lãi suất thấp"]),
      // A name in full, with its own dash, is one need; so is a piece that only goes on about one.
      ("Máy móc - CGCN", ["machinery"], []), ("SXSH - TKNL", ["clean_production"], []),
      ("Đào tạo nghề cho lao động nữ", ["training"], []),
    ])
    func needsJoinedInOnePieceAreEachRead(_ written: String, _ keys: [String], _ unmatched: [String]) {
      let reading = list(written)
      #expect(reading.keys == keys, "\(written)")
      #expect(reading.unmatched == unmatched, "\(written)")
    }

    /// A piece typed without diacritics reads as the same piece with them: "Dao tao - tap huan" read as training
    /// with "tap huan" not read, where "Đào tạo - tập huấn" is training said more fully, since the whole piece
    /// started with no spelling unless its marks were there (a helper's round).
    @Test(arguments: [
      ("Đào tạo - tập huấn", "Dao tao - tap huan"), ("Quản lý - tập huấn", "Quan ly - tap huan"),
      ("Quảng bá - thị trường nông thôn", "Quang ba - thi truong nong thon"),
      ("Đào tạo nghề cho lao động nữ", "Dao tao nghe cho lao dong nu"),
      ("Đào tạo nghề / Quảng bá - thị trường nông thôn", "Dao tao nghe / Quang ba - thi truong nong thon"),
      ("Đào tạo nghề - Máy móc thiết bị", "Dao tao nghe - May moc thiet bi"), ("Đào tạo/Quản lý", "Dao tao/Quan ly"),
      ("Quảng bá SP/thương hiệu", "Quang ba SP/thuong hieu"), ("Vay vốn - lãi suất thấp", "Vay von - lai suat thap"),
      ("Đào tạo - tập huấn", "Dao tao - tập huấn"),
      // "và" and "hoặc" typed without diacritics join as they do with them: "Dao tao nghe va tu van" read as
      // training alone, consulting lost unsaid (a helper's regression round).
      ("Đào tạo nghề và tư vấn", "Dao tao nghe va tu van"), ("Đào tạo nghề hoặc tư vấn", "Dao tao nghe hoac tu van"),
      ("Máy móc thiết bị và đào tạo nghề", "May moc thiet bi va dao tao nghe"),
      ("Tư vấn và quảng bá sản phẩm", "TU VAN VA QUANG BA SAN PHAM"),
      ("Đào tạo nghề và tư vấn", "Dao tao nghe va Tư vấn"),
    ])
    func aPieceWithoutDiacriticsReadsAsWithThem(_ marked: String, _ unmarked: String) {
      let (want, got) = (list(marked), list(unmarked))
      #expect(got.keys == want.keys, "\(unmarked): \(got), \(marked): \(want)")
      #expect(got.unmatched.count == want.unmatched.count, "\(unmarked): \(got), \(marked): \(want)")
    }

    @Test func aTrainingCellWithoutDiacriticsIsTrainingWithoutARemark() {
      #expect(list("Dao tao - tap huan") == .init(keys: ["training"], unmatched: []))
      #expect(list("DAO TAO - TAP HUAN") == .init(keys: ["training"], unmatched: []))
    }

    @Test(arguments: [
      "x", "X", "có", "Có", "1", "✓", "√", "yes", "true", " x ", "+", "•", "*", "Đã", "đã được hỗ trợ", "Có (2019)",
    ])
    func marksThatMeanNeeded(_ mark: String) {
      #expect(parser.mark(mark.trimmingCharacters(in: .whitespaces)) == true)
    }

    @Test(arguments: ["", "không", "Không", "0", "no", "không cần", "-", "...", "☐", "Chưa", "chưa được hỗ trợ"])
    func marksThatMeanNotNeeded(_ mark: String) {
      #expect(parser.mark(mark) == false)
    }

    /// Neither: in a need column such a cell counts the need and is reported (`markColumnsAndTheListColumnTogether`).
    @Test(arguments: ["?", "2", "x x", "#"])
    func marksThatAreNotRead(_ mark: String) {
      #expect(parser.mark(mark) == nil)
    }

    @Test func aListCellSayingNoneIsNoNeedAndNoProblem() {
      for cell in ["Không", "không có", "Chưa", "-"] {
        let reading = list(cell)
        #expect(reading.keys.isEmpty && reading.unmatched.isEmpty, "\(cell): \(reading)")
      }
      #expect(list("SXSH; không").keys == ["clean_production"])
    }

    @Test func markColumnsAndTheListColumnTogether() {
      let reading = parser.read(
        marks: ["training": "x", "cluster": "không", "marketing": "cần tham gia hội chợ"], list: "SXSH", file: "a.csv")
      #expect(reading.keys == ["training", "clean_production", "marketing"])
      // Counted, so not said as a need not recognised (which reads as left out), but as a mark counted.
      #expect(reading.counted == ["need_marketing=cần tham gia hội chợ"])
      #expect(reading.unmatched.isEmpty)
      let joined = parser.readJoined(markCells: ["?", "", "", "", "", "", "", "", ""], list: "Vay vốn", file: "a.csv")
      #expect(joined.keys == "training" && joined.counted == ["need_training=?"] && joined.unmatched == ["Vay vốn"])
      #expect(
        RowWording.vietnamese.needMarkCounted("need_training=?")
          == "không nhận ra dấu ở cột nhu cầu, vẫn tính là có nhu cầu này: need_training=?")
    }
  }
}
