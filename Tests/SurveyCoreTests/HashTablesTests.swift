import Foundation
import Testing

@testable import SurveyCore

/// The normalise stage's own hash tables against Swift's Dictionary, on random operations.
@Suite struct HashTablesTests {
  @Test func wordTableAgreesWithADictionary() {
    var generator = SystemRandomNumberGenerator()
    let table = WordTable(capacity: 4)
    var reference: [UInt64: UInt64] = [:]
    for step in 0..<200_000 {
      // Small keys collide often; 0 and UInt64.max are keys like any other.
      let key: UInt64 =
        switch step % 4 {
        case 0: UInt64.random(in: 0..<5_000, using: &generator)
        case 1: UInt64.max - UInt64.random(in: 0..<50, using: &generator)
        case 2: UInt64.random(in: 0..<5_000, using: &generator) << 40
        default: UInt64.random(in: .min ... .max, using: &generator)
        }
      if step % 3 == 0 {
        #expect(table[key] == reference[key])
      } else {
        let value = UInt64.random(in: .min ... .max, using: &generator)
        table.set(key, value)
        reference[key] = value
      }
    }
    #expect(table.count == reference.count)
    for (key, value) in reference { #expect(table[key] == value) }
    var listed: [UInt64: UInt64] = [:]
    table.forEachEntry { key, value in listed[key] = value }
    #expect(listed == reference)
  }

  /// The hash and the comparison read every byte of a key of any length: one byte changed anywhere gives another
  /// hash, and the keys compare unequal. (A byte the hash left out would only slow the tables, every key differing
  /// there colliding; one the comparison left out would give one key's answer for another.)
  @Test func everyByteOfAKeyReachesItsHashAndItsComparison() {
    var generator = SplitMix64(state: 11)
    for length in 1...64 {
      let key = (0..<length).map { _ in UInt8.random(in: .min ... .max, using: &generator) }
      let hash = key.withUnsafeBytes { ByteKeys.hash($0, seed: ByteKeys.seed) }
      #expect(key.withUnsafeBytes { ByteKeys.hash($0, seed: ByteKeys.seed) } == hash)
      let copy = key
      let same = key.withUnsafeBytes { a in
        copy.withUnsafeBytes { b in ByteKeys.equal(a.baseAddress, b.baseAddress, length) }
      }
      #expect(same, "length \(length)")
      #expect(
        Array(key.dropLast()).withUnsafeBytes { ByteKeys.hash($0, seed: ByteKeys.seed) } != hash, "length \(length)")
      for position in 0..<length {
        for flip: UInt8 in [0x01, 0x80, 0xFF] {
          var changed = key
          changed[position] ^= flip
          #expect(
            changed.withUnsafeBytes { ByteKeys.hash($0, seed: ByteKeys.seed) } != hash,
            "length \(length), byte \(position)")
          let equal = key.withUnsafeBytes { a in
            changed.withUnsafeBytes { b in ByteKeys.equal(a.baseAddress, b.baseAddress, length) }
          }
          #expect(!equal, "length \(length), byte \(position)")
        }
      }
    }
  }

  /// `recentEntry` finds what `entry` finds, for keys of every length, met again in no order, many of them sharing
  /// a place among the remembered ones, and after the table has started again with fewer keys at the same places.
  @Test func recentEntriesAreTheEntriesTheKeysHave() {
    var generator = SplitMix64(state: 29)
    let table = BytesTable<Int>(limit: 3_000, byteLimit: 1 << 20)
    // Few byte values, so that many keys are alike in length and first and last eight bytes and share a place.
    let base = (0..<2_500).map { index in (0..<(index % 65)).map { _ in UInt8.random(in: 0...3, using: &generator) } }
    for round in 0..<3 {
      // Each round's keys are the same but for a byte in the middle of the longer ones, outside the bytes that
      // choose the place: what a place remembers from the round before is always a near miss.
      let keys = base.map { key in
        var key = key
        if key.count > 16 { key[key.count / 2] = 10 + UInt8(round) }
        return key
      }
      // Fewer keys each round: what a place remembers may be an entry the table does not have any more, whose key
      // bytes still lie in the table's memory.
      var expected: [[UInt8]: Int] = [:]
      for key in keys.prefix(2_500 - 800 * round) where expected[key] == nil {
        key.withUnsafeBytes { table.insert($0, expected.count) }
        expected[key] = expected.count
      }
      for _ in 0..<20_000 {
        let key = keys[Int.random(in: 0..<keys.count, using: &generator)]
        let found = key.withUnsafeBytes { bytes in table.recentEntry(bytes).map { table.value(at: $0) } }
        #expect(found == expected[key], "round \(round), length \(key.count)")
        let missing = key + [9]
        #expect(missing.withUnsafeBytes { table.recentEntry($0) } == nil)
      }
      table.removeAll()
    }
  }

  @Test func bytesTableAgreesWithADictionaryAndStartsAgainWhenFull() {
    let table = BytesTable<Int>(limit: 1_000, byteLimit: 1 << 20)
    var reference: [[UInt8]: Int] = [:]
    var generator = SystemRandomNumberGenerator()
    for step in 0..<50_000 {
      let length = Int.random(in: 0..<24, using: &generator)
      let key = (0..<length).map { _ in UInt8.random(in: 0..<3, using: &generator) }
      key.withUnsafeBytes { bytes in
        if let value = table.value(bytes) {
          #expect(reference[key] == value)
        } else {
          if table.count >= 1_000 { reference.removeAll() }
          table.insert(bytes, step)
          reference[key] = step
        }
      }
      #expect(table.count == reference.count)
    }
    #expect(table.count <= 1_000)
  }

  /// A spelling names one key's bytes while its table lasts: the same key gives the same spelling, another key
  /// another one, and a table that starts again (or another table) never gives an earlier spelling again.
  @Test func spellingsNameOneKeyUntilTheTableStartsAgain() {
    let table = BytesTable<String>(limit: 40, byteLimit: 1 << 20)
    let other = BytesTable<String>(limit: 40, byteLimit: 1 << 20)
    var keyOf: [CellSpelling: String] = [:]
    var generations: [Int] = []
    var generator = SystemRandomNumberGenerator()
    for _ in 0..<5_000 {
      let key = "key \(Int.random(in: 0..<60, using: &generator))"
      let (value, spelling) = Array(key.utf8).withUnsafeBytes {
        table.spelledValue($0) { String(decoding: $0, as: UTF8.self) }
      }
      #expect(value == key)
      #expect(spelling.generation == table.generation && spelling.entry >= 0 && spelling.entry < table.count)
      if let known = keyOf[spelling] { #expect(known == key) } else { keyOf[spelling] = key }
      if generations.last != spelling.generation { generations.append(spelling.generation) }
    }
    #expect(generations.count > 10)
    #expect(Set(generations).count == generations.count)
    let (_, elsewhere) = Array("key 1".utf8).withUnsafeBytes { other.spelledValue($0) { _ in "" } }
    #expect(!generations.contains(elsewhere.generation))
    // A key longer than kept is made each time and has no spelling.
    let long = [UInt8](repeating: 0x61, count: 300)
    let (_, none) = long.withUnsafeBytes { table.spelledValue($0, longestKey: 256) { _ in "" } }
    #expect(none == .none)
  }

  @Test func bytesTableStartsAgainPastItsByteLimit() {
    let table = BytesTable<Int>(limit: 1_000, byteLimit: 100)
    for n in 0..<30 {
      Array("key number \(n)".utf8).withUnsafeBytes { table.insert($0, n) }
    }
    #expect(table.count < 10)
    Array("key number 29".utf8).withUnsafeBytes { #expect(table.value($0) == 29) }
    Array("key number 0".utf8).withUnsafeBytes { #expect(table.value($0) == nil) }
  }

  @Test func inlineBytesTableAgreesWithADictionaryThroughGrowthAndStartingAgain() {
    // Answers of every length from 0 to 300 bytes (so entries straddle cache lines and need padding), keys that
    // often share their first bytes; a limit of 700 entries and 64 KiB, both passed in turn.
    for (limit, byteLimit) in [(700, 1 << 20), (100_000, 1 << 16)] {
      let table = InlineBytesTable<String>(limit: limit, byteLimit: byteLimit)
      var reference: [[UInt8]: (bytes: [UInt8], extra: String)] = [:]
      var generator = SystemRandomNumberGenerator()
      var startedAgain = 0
      for step in 0..<40_000 {
        let length = Int.random(in: 0..<24, using: &generator)
        let key = (0..<length).map { _ in UInt8.random(in: 0..<3, using: &generator) }
        key.withUnsafeBytes { keyBytes in
          // Found by its hash made beforehand (as normalise's rows take up `warmPlaces`' hashes), the same entry.
          let byHash = table.find(keyBytes, hash: ByteKeys.hash(keyBytes, seed: table.seed))
          #expect(byHash?.entry == table.find(keyBytes)?.entry)
          if let hit = table.find(keyBytes) {
            #expect(reference[key].map { Array(hit.bytes) == $0.bytes && table.extra(hit.entry) == $0.extra } == true)
          } else {
            #expect(reference[key] == nil)
            let answer = (0..<(step % 301)).map { UInt8(truncatingIfNeeded: $0 &+ step) }
            let before = table.count
            let hit = answer.withUnsafeBytes { table.insert(keyBytes, bytes: $0, extra: "answer \(step)") }
            if table.count <= before {
              reference.removeAll()
              startedAgain += 1
            }
            reference[key] = (answer, "answer \(step)")
            #expect(Array(hit.bytes) == answer && table.extra(hit.entry) == "answer \(step)")
          }
        }
        #expect(table.count == reference.count)
        // The answers held before are valid exactly while the generation stays the same.
        #expect(table.generation == startedAgain)
      }
      #expect(startedAgain > 0, "the table never filled: limit \(limit), \(byteLimit) bytes")
      // What is left is all still found, however the slots grew.
      for (key, value) in reference {
        key.withUnsafeBytes { keyBytes in
          let hit = table.find(keyBytes)
          #expect(hit.map { Array($0.bytes) == value.bytes && table.extra($0.entry) == value.extra } == true)
        }
      }
    }
  }

  @Test func inlineBytesTableHandsBackAnAnswerLargerThanItsArena() {
    let table = InlineBytesTable<Int>(limit: 10, byteLimit: 1 << 12)
    let key = Array("Vũ Thư|Vũ Hội".utf8)
    let large = [UInt8](repeating: 0x61, count: 5_000)
    let hit = key.withUnsafeBytes { keyBytes in large.withUnsafeBytes { table.insert(keyBytes, bytes: $0, extra: 7) } }
    #expect(Array(hit.bytes) == large && table.extra(hit.entry) == 7)
    #expect(table.count == 0)
    key.withUnsafeBytes { #expect(table.find($0) == nil) }
  }
}
