import Foundation
import Testing

@testable import SurveyCore

/// `UTF8Bytes.isValid` decides whether a file is UTF-8 or Windows-1258 (ingest's census of its first piece) and
/// whether a cell holds text: the lead bytes no Vietnamese letter uses (E0, F1–F3, F4) were never given to it by the
/// other suites. At each edge of Unicode's table 3-7 it must agree with `String(validating:)`, and a sequence cut
/// short by the end of a piece is held against it only when the piece is the whole text.
@Suite struct UTF8ValidityBoundaryTests {
  /// Sequences at the edges of the lead bytes' ranges, valid and not.
  static let sequences: [[UInt8]] = [
    [0xE0, 0xA0, 0x80], [0xE0, 0xB8, 0x81],  // U+0800, Thai ก
    [0xE0, 0x9F, 0xBF], [0xE0, 0x80, 0x80],  // overlong
    [0xF0, 0x9F, 0x91, 0x8D], [0xF0, 0x8F, 0xBF, 0xBF],  // 👍, overlong
    [0xF1, 0x80, 0x80, 0x80], [0xF3, 0xBF, 0xBF, 0xBF], [0xF2, 0x80, 0x80, 0x7F], [0xF1, 0xC0, 0x80, 0x80],
    [0xF4, 0x8F, 0xBF, 0xBF], [0xF4, 0x90, 0x80, 0x80],  // U+10FFFF, beyond it
    [0xED, 0x9F, 0xBF], [0xED, 0xA0, 0x80],  // U+D7FF, a surrogate
    [0xF5, 0x80, 0x80, 0x80], [0xC1, 0xBF],
  ]

  @Test func eachEdgeOfTheTableIsDecidedAsStringDecidesIt() {
    for sequence in Self.sequences {
      for bytes in [sequence, Array("Cơ sở ".utf8) + sequence + Array(" Vũ Thư".utf8)] {
        let valid = String(validating: bytes, as: UTF8.self) != nil
        #expect(bytes.withUnsafeBytes { UTF8Bytes.isValid($0) } == valid, "\(bytes)")
      }
    }
  }

  /// A piece of a longer text may end inside a valid sequence; an invalid one stays invalid however it ends.
  @Test func aSequenceCutShortByTheEndOfAPieceIsNotHeldAgainstIt() {
    for sequence in Self.sequences {
      let valid = String(validating: sequence, as: UTF8.self) != nil
      let cut = Array("Cơ sở ".utf8) + sequence.dropLast()
      #expect(cut.withUnsafeBytes { UTF8Bytes.isValid($0) } == false, "\(sequence)")
      guard valid else { continue }
      #expect(cut.withUnsafeBytes { UTF8Bytes.isValid($0, allowingTruncatedEnd: true) }, "\(sequence)")
    }
  }
}
