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
