import Foundation
import Testing

@testable import SurveyCore

extension NormaliseTests {
  @Suite struct MatchKeyTests {
    @Test func toneKeyIgnoresFormCaseAndTonePlacementButKeepsTheTone() {
      let nfc = MatchKey(place: "Hòa Bình")
      #expect(MatchKey(place: "HOÀ BÌNH").tone == nfc.tone)
      #expect(MatchKey(place: "Hoà Bình").tone == nfc.tone)
      #expect(MatchKey(place: "Hòa Bình".decomposedStringWithCanonicalMapping).tone == nfc.tone)
      #expect(MatchKey(place: "Thái Thuỵ").tone == MatchKey(place: "Thái Thụy").tone)
      // Different tones are different names.
      #expect(MatchKey(place: "Đông Thành").tone != MatchKey(place: "Đông Thạnh").tone)
      #expect(MatchKey(place: "Đông Thành").plain == MatchKey(place: "Đông Thạnh").plain)
      #expect(MatchKey(place: "Đông Hưng").plain == "dong hung")
    }

    @Test func wordsReadLatinScalarsAsUnicodeDoes() {
      /// The same words, compared scalar by scalar: String's == would take marks in another order as equal.
      func same(_ text: String) -> Bool {
        let (fast, slow) = (MatchKey.words(text), MatchKey.wordsByUnicode(text))
        return fast.count == slow.count
          && zip(fast, slow).allSatisfy { a, b in
            Array(a.tone.unicodeScalars) == Array(b.tone.unicodeScalars)
              && Array(a.plain.unicodeScalars) == Array(b.plain.unicodeScalars)
          }
      }
      let latin = (0..<0x250).map { Unicode.Scalar($0)! } + (0x1E00..<0x1F00).map { Unicode.Scalar($0)! }
      for scalar in latin {
        let texts = [
          "\(scalar)", "A\(scalar)b", "\(scalar) \(scalar)x", "Đ\(scalar)\(scalar)ệ", "Ư\(scalar)\u{323}",
          "1\(scalar)2",
        ]
        for text in texts {
          #expect(same(text), "\(text.unicodeScalars.map(\.value))")
        }
      }
      var random = SplitMix64(state: 17)
      for _ in 0..<3000 {
        #expect(same(String(decoding: AwkwardText.cell(&random, validOnly: true), as: UTF8.self)))
        let scalars = (0..<Int(random.next() % 12)).map { _ in latin[Int(random.next() % UInt64(latin.count))] }
        let text = String(String.UnicodeScalarView(scalars))
        #expect(same(text), "\(text.unicodeScalars.map(\.value))")
      }
      #expect(MatchKey.words("Thái Thuỵ, 2025").map(\.plain) == ["thai", "thuy", "2025"])
      #expect(MatchKey.words("Thái Thuỵ").map(\.tone) == MatchKey.words("Thái Thụy").map(\.tone))
    }

    @Test(arguments: [
      "Huyện Đông Hưng", "H. Đông Hưng", "H.Đông Hưng", "huyen dong hung", "  Đông   Hưng ", "ĐÔNG HƯNG",
    ])
    func placePrefixesAndSpacingAreRemoved(_ written: String) {
      #expect(MatchKey(place: written).plain == "dong hung")
    }

    @Test func cityTownAndCommunePrefixesAreRemembered() {
      #expect(MatchKey(place: "T.P Thái Bình").prefixes == [.city])
      #expect(MatchKey(place: "TP. Thái Bình").plain == "thai binh")
      #expect(MatchKey(place: "Thành phố Thái Bình").prefixes == [.city])
      #expect(MatchKey(place: "TX Thái Bình").prefixes == [.town])
      #expect(MatchKey(place: "Xã Vũ Phúc").prefixes == [.commune])
      #expect(MatchKey(place: "P. Trần Lãm").prefixes == [.ward])
      #expect(MatchKey(place: "Thị trấn Diêm Điền").plain == "diem dien")
      #expect(MatchKey(place: "tỉnh Thái Bình").prefixes == [.province])
    }

    @Test func aPrefixAloneIsKeptAsTheName() {
      #expect(MatchKey(place: "Xã").plain == "xa")
      // "Xá" is a word, not the prefix "Xã".
      #expect(MatchKey(place: "Xá Thượng").prefixes.isEmpty)
    }

    /// A syllable's final i or y after a consonant is one letter to the type, sector and need tables
    /// (`MatchKey(spelling:)`), tone and all; a y after a vowel, a y alone and place names keep theirs.
    @Test func theIAndYOfASyllableAfterAConsonantAreOneInSpellings() {
      for (y, i) in [
        ("Thủ công mỹ nghệ", "Thủ công mĩ nghệ"), ("kỹ thuật", "kĩ thuật"), ("quản lý", "quản lí"),
        ("quy trình", "qui trình"),
        ("Công ty", "Công ti"), ("hy sinh", "hi sinh"), ("KỸ THUẬT", "kĩ thuật"), ("Quý", "quí"),
        ("kỹ thuật".decomposedStringWithCanonicalMapping, "kĩ thuật"), ("đy", "đi"),
      ] {
        #expect(MatchKey(spelling: y).tone == MatchKey(spelling: i).tone, "\(y)")
        #expect(MatchKey(spelling: y).plain == MatchKey(spelling: i).plain, "\(y)")
      }
      // Tones still differ ("kỳ" is not "kỹ"); a y after a vowel, or alone, is another word.
      for (a, b) in [("kỳ", "kĩ"), ("tay", "tai"), ("thủy", "thủi"), ("tuy", "tui"), ("y tế", "i tế"), ("máy", "mái")] {
        #expect(MatchKey(spelling: a).tone != MatchKey(spelling: b).tone, "\(a)")
      }
      #expect(MatchKey(spelling: "Mô hình trình diễn kỹ thuật").plain == "mo hinh trinh dien ki thuat")
      #expect(MatchKey(spelling: "Máy").plain == "may")
      // General text keeps its letters.
      #expect(MatchKey(text: "quản lý").tone != MatchKey(text: "quản lí").tone)
    }

    /// Place names read a syllable's final i or y after a consonant as one letter too, in `tone` and `plain`,
    /// prefixes and level words aside: "Trà Lí", "Kì Bá", "An Quí", "Mĩ Lộc" were no place (a helper's round on
    /// the i/y spellings of places). `compact` keeps the letters as written: the former-name keys it meets have no
    /// syllables to read.
    @Test func theIAndYOfASyllableAfterAConsonantAreOneInPlaceNames() {
      for (y, i) in [
        ("Trà Lý", "Trà Lí"), ("Phường Kỳ Bá", "P. Kì Bá"), ("Xã An Quý", "xã an quí"), ("Mỹ Lộc", "Mĩ Lộc"),
        ("Hồng Lý", "HỒNG LÍ"), ("Thị xã Mỹ Hào", "TX Mĩ Hào"), ("Lê Quý Đôn", "Lê Quí Đôn"),
        ("Đông Mỹ".decomposedStringWithCanonicalMapping, "Đông Mĩ"), ("Xa An Quy", "X. An Qui"),
      ] {
        let (a, b) = (MatchKey(place: y), MatchKey(place: i))
        #expect(a.tone == b.tone && a.plain == b.plain && a.prefixes == b.prefixes, "\(y): \(a) \(b)")
        #expect(MatchKey.readings(place: y)[0] == a && MatchKey.readings(place: i)[0] == b, "\(y)")
      }
      #expect(MatchKey(place: "Xã An Quý").plain == "an qui" && MatchKey(place: "Xã An Quý").compact == "anquy")
      // A prefix written without diacritics and read as the name's first word is read with the same letters.
      #expect(MatchKey.readings(place: "Xa An Quy").map(\.plain) == ["an qui", "xa an qui"])
      #expect(MatchKey(place: "Xã An Quý", iyFolded: false).tone == "an quý")
      // The near match measures the letters as written.
      #expect(MatchKey(place: "Thái Thy").plain == "thai thi" && MatchKey(place: "Thái Thy").spelledPlain == "thai thy")
      #expect(MatchKey(spelling: "Kỹ thuật").spelledPlain == "ki thuat")
      // A y after a vowel is another letter; tones still differ; level words are found as written.
      for (a, b) in [("Thái Thụy", "Thái Thụi"), ("Tây Sơn", "Tai Sơn"), ("Kỳ Bá", "Kĩ Bá"), ("Duy Tiên", "Dui Tiên")] {
        #expect(MatchKey(place: a).tone != MatchKey(place: b).tone, "\(a)")
      }
      #expect(MatchKey(place: "Thị trấn Thanh Nê").prefixes == [.township])
    }

    @Test func editDistanceIsBoundedAndCountsSwapsOnce() {
      func d(_ a: String, _ b: String, _ limit: Int = 3) -> Int? {
        EditDistance.bounded(Array(a.unicodeScalars), Array(b.unicodeScalars), limit: limit)
      }
      #expect(d("kien xuong", "kien xuong") == 0)
      #expect(d("kein xuong", "kien xuong") == 1)
      #expect(d("kien xuog", "kien xuong") == 1)
      #expect(d("vu thu", "tien hai") == nil)
      #expect(d("abc", "", 3) == 3)
    }
  }
}
