// The normalise stage's hot loop on bytes: a countable row's establishments.csv
// cells packed straight from the staged row's bytes, each distinct spelling of
// a place, type, sector, date, answer or needs list read once (through the
// String path of `normalise(file:line:row:)`, which stays the reference) and
// remembered by its exact bytes. Rows that are not counted, and cells that are
// not plain, take the String path; NormaliseStreamingTests and
// NormaliseFastPathTests check that both paths give the same bytes.

/// What the byte path made of one staged row.
enum PackedOutcome {
  /// Counted: its cells are packed in the caller's buffer (`StagedText.appendFields` layout).
  case counted(PackedFacts)
  /// Not counted, or not plain enough for bytes: what the String path made of it.
  case other(NormalisedRow)
}

/// What deduplication and the summary need of a counted row whose cells were packed.
struct PackedFacts {
  /// The packed tax code (`TaxKey`), 0 when there is none.
  var tax: UInt64
  /// The packed survey date, 0 when there is none.
  var date: UInt32
  var fuzzy: Bool
  /// The corrections entries found for the row's cells; nil when there are none (most rows).
  var decisions: RowDecisions?
  /// The row's only remark is the place note of an analyst's decision (`Establishment.remarkSettled`).
  var remarkSettled: Bool
  /// Given only for rows without a tax code: what makes two such rows possibly one.
  var identity: String?
  /// Where the name's bytes are in the packed cells.
  var name: Range<Int>
}

/// Cells already packed (`StagedText.appendFields` layout), for a cached answer to hand a row its cells with one
/// copy: no String, so no reference counting, per row.
final class PackedBytes: @unchecked Sendable {
  let bytes: UnsafeRawBufferPointer

  init(_ cells: [String]) {
    var packed: [UInt8] = []
    StagedText.appendFields(cells, to: &packed)
    let buffer = UnsafeMutableRawBufferPointer.allocate(byteCount: max(packed.count, 1), alignment: 1)
    packed.withUnsafeBytes { buffer.copyMemory(from: $0) }
    bytes = UnsafeRawBufferPointer(rebasing: buffer[0..<packed.count])
  }

  deinit { bytes.deallocate() }
}

/// The per-distinct-spelling answers of the byte path, keyed by exact bytes (with the file where corrections
/// may name one).
final class PackedCaches {
  // Classes, not structs: a cached answer is handed out once per row, and one reference costs one retain where
  // a struct of Strings costs one per String (the place answer alone held about ten; 7% of the stage).

  final class DateCell: Sendable {
    let date: SurveyDate?
    /// The survey_date cell: the ISO date.
    let iso: PackedBytes
    /// "survey date not read: …", or nil.
    let problem: String?
    init(date: SurveyDate?, iso: String, problem: String?) {
      (self.date, self.iso, self.problem) = (date, PackedBytes([iso]), problem)
    }
    static let blank = DateCell(date: nil, iso: "", problem: nil)
    /// Whether the row was surveyed before the 2025 reform, so names only the communes of before it.
    var legacyOnly: Bool { date.map { $0 < SurveyDate.reform } ?? false }
  }

  /// The place answer of one district and commune spelling, as a row reads it: its flags and the cells it copies
  /// are bytes in the places table, beside the key (`PlaceCell.bytes`), and the rest is here, read only when the
  /// flags say there is something. Only what a row reads is kept, not the whole `PlaceResolution`.
  final class PlaceCell: Sendable {
    /// The place's note for the row's problems ("" for none).
    let reason: String
    /// The place's part of the identity of a row without a tax code (`CountedRow.identity`): the district
    /// code and the commune code, else the folded commune as written; nil without a district.
    let identityPlace: String?
    /// The corrections entries the place rests on or passed over; nil when there are none.
    let decisions: RowDecisions?

    init(reason: String, identityPlace: String?, decisions: RowDecisions?) {
      (self.reason, self.identityPlace, self.decisions) = (reason, identityPlace, decisions)
    }

    /// The answer's bytes: `u8 flags`, three unused bytes, `u32` the head's length, the head, the tail.
    /// - head: the district_code, district and commune cells (the commune as resolved, else as written, trimmed);
    /// - tail: the commune_code, place_column and place_match cells.
    static func bytes(
      resolution: PlaceResolution, districtName: String, tier: String, writtenCommune: String, fuzzy: Bool
    ) -> [UInt8] {
      var flags: UInt8 = 0
      if resolution.outcome == .resolved && resolution.districtCode != nil { flags |= Place.countable }
      if fuzzy { flags |= Place.fuzzy }
      if RowNormaliser.placeNoteSettled(resolution) { flags |= Place.noteSettled }
      if !resolution.reason.isEmpty { flags |= Place.reason }
      if !resolution.decidedBy.isEmpty || !resolution.passedOver.isEmpty { flags |= Place.decisions }
      var head: [UInt8] = []
      StagedText.appendFields(
        [resolution.districtCode ?? "", districtName, resolution.commune?.name ?? writtenCommune], to: &head)
      var bytes: [UInt8] = [flags, 0, 0, 0]
      withUnsafeBytes(of: UInt32(head.count).littleEndian) { bytes.append(contentsOf: $0) }
      bytes += head
      StagedText.appendFields([resolution.commune?.code ?? "", resolution.column, tier], to: &bytes)
      return bytes
    }
  }

  /// A row's place: the answer found in the places table.
  struct Place {
    static let countable: UInt8 = 1
    static let fuzzy: UInt8 = 2
    static let noteSettled: UInt8 = 4
    static let reason: UInt8 = 8
    static let decisions: UInt8 = 16

    let hit: InlineBytesTable<PlaceCell>.Hit
    @inline(__always) private var flags: UInt8 { hit.bytes.load(as: UInt8.self) }
    /// Whether the row can be counted as to its place: resolved, to a district.
    var countable: Bool { flags & Self.countable != 0 }
    var fuzzy: Bool { flags & Self.fuzzy != 0 }
    /// Whether the place's note is one an analyst's decision left (`RowNormaliser.placeNoteSettled`).
    var noteSettled: Bool { flags & Self.noteSettled != 0 }
    var hasReason: Bool { flags & Self.reason != 0 }
    var hasDecisions: Bool { flags & Self.decisions != 0 }
    @inline(__always) private var headCount: Int {
      Int(UInt32(littleEndian: hit.bytes.loadUnaligned(fromByteOffset: 4, as: UInt32.self)))
    }
    var head: UnsafeRawBufferPointer { UnsafeRawBufferPointer(rebasing: hit.bytes[8..<8 + headCount]) }
    var tail: UnsafeRawBufferPointer { UnsafeRawBufferPointer(rebasing: hit.bytes[(8 + headCount)...]) }
  }

  final class TypeCell: Sendable {
    /// The enterprise_type cell; nil when the cell is blank or matches no type: the row takes the String path.
    let key: PackedBytes?
    /// The corrections entry that decided it.
    let entry: Int?
    init(key: String?, entry: Int?) { (self.key, self.entry) = (key.map { PackedBytes([$0]) }, entry) }
  }

  final class TextCell: Sendable {
    let text: PackedBytes
    let problem: String?
    /// The corrections entry that decided it.
    let entry: Int?
    init(text: String, problem: String?, entry: Int? = nil) {
      (self.text, self.problem, self.entry) = (PackedBytes([text]), problem, entry)
    }
    static let blank = TextCell(text: "", problem: nil)
  }

  final class NeedsCell: Sendable {
    /// The needs cell.
    let keys: PackedBytes
    let problems: [String]
    /// The corrections entries that read pieces of it.
    let entries: [Int]
    init(keys: String, problems: [String], entries: [Int]) {
      (self.keys, self.problems, self.entries) = (PackedBytes([keys]), problems, entries)
    }
  }

  let dates = BytesTable<DateCell>()
  let places = InlineBytesTable<PlaceCell>()
  let types = BytesTable<TypeCell>()
  let sectors = BytesTable<TextCell>()
  let answers = BytesTable<TextCell>()
  let needs = BytesTable<NeedsCell>()
  let counts = BytesTable<String?>()
  let amounts = BytesTable<String?>()
  /// A composite key is built here.
  var key = ByteBuffer(capacity: 1 << 10)
  /// The hashes of a group's place keys (`warmPlaces`).
  var hashes: [UInt64] = []

  init() {}

  deinit { key.deallocate() }
}

/// Which ASCII bytes are white space for `StagedText.trimmed`.
private let asciiTrimmable: [Bool] = (0..<128).map { byte in
  StagedText.trimmed(String(UnicodeScalar(UInt8(byte)))).isEmpty
}

extension RowNormaliser {
  /// The packed row, or the String path's outcome. The 22 cells of `Establishment.header` are appended to
  /// `packed` when the row is counted (and `PackedFacts.name` is a range of `packed`); otherwise nothing is.
  func normalise(
    fileID: Int, file: String, line: Int, record: CSVRawRecord, columns: StagedColumns, packed: inout ByteBuffer
  ) -> PackedOutcome {
    let c = packedCaches
    // The composite keys are built in the caches' buffer, taken out for the row: each access to a class's
    // stored property is checked for exclusivity at run time, and the keys took about 25 of them a row.
    var key = c.key
    defer { c.key = key }  // the same memory, unless it grew
    let dateCell = date(columns.raw(record, .surveyDate), c)
    let place = self.place(
      fileID, file, columns.raw(record, .district), columns.raw(record, .commune), dateCell.legacyOnly, c, &key)
    let type = self.type(fileID, file, columns.raw(record, .enterpriseType), c, &key)
    let rawName = columns.raw(record, .name)
    guard place.countable, let typeKey = type.key,
      !Self.namesNothing(rawName)
    else {
      return .other(normalise(file: file, line: line, row: columns.stagedRow(record)))
    }
    /// The place's rarely read part, looked up only when the place's flags say there is something in it.
    let placeCell = place.hasReason || place.hasDecisions ? c.places.extra(place.hit.entry) : nil
    // The corrections entries found for the row's cells: none for most rows, so nothing is made for them.
    var decisions = placeCell?.decisions
    func decided(_ entries: [Int]) {
      guard !entries.isEmpty else { return }
      if decisions == nil { decisions = RowDecisions() }
      decisions!.apply(entries)
    }
    if let entry = type.entry { decided([entry]) }
    var problems: [String] = []
    if let reason = placeCell?.reason, !reason.isEmpty { problems.append(reason) }

    func put(_ bytes: UnsafeRawBufferPointer) { StagedText.appendField(bytes, to: &packed) }
    func put(_ text: String) {
      var text = text
      text.withUTF8 { put(UnsafeRawBufferPointer($0)) }
    }
    /// The trimmed cell: its own bytes when neither end can be white space, else the String path's trim.
    func putTrimmed(_ raw: UnsafeRawBufferPointer) {
      if Self.needsNoTrim(raw) && UTF8Bytes.isValid(raw) {
        put(raw)
      } else {
        put(StagedText.trimmed(String(decoding: raw, as: UTF8.self)))
      }
    }

    /// The whole number the last `number` put, or nil when it put none.
    var lastWhole: UInt64?
    /// Puts the cell's number; true when the cell is blank (white space only counts as blank), which the number
    /// cache already knows: its text is "" for such a cell alone.
    @discardableResult
    func number(_ field: UnreadField, _ raw: UnsafeRawBufferPointer, whole: Bool) -> Bool {
      lastWhole = nil
      if raw.isEmpty {
        put("")
        return true
      }
      if let digits = Self.plainDigits(raw), digits <= Self.largest(field) {
        if raw.count == 1 || raw[0] != 0x30 { put(raw) } else { put(String(digits)) }
        lastWhole = digits
        return false
      }
      let table = whole ? c.counts : c.amounts
      let text: String?
      if let known = table.value(raw) {
        text = known
      } else {
        let written = StagedText.trimmed(String(decoding: raw, as: UTF8.self))
        text = written.isEmpty ? "" : numberText(written, whole: whole)
        table.insert(raw, text)
      }
      if let text, Self.plausible(text, field) {
        put(text)
        lastWhole = UInt64(text)
        return text.isEmpty
      }
      let written = StagedText.trimmed(String(decoding: raw, as: UTF8.self))
      problems.append(numberRemark(field, written: written, read: text)!)
      put("")
      return false
    }

    put(file)
    StagedText.appendField(decimal: line, to: &packed)
    let rawTax = columns.raw(record, .taxCode)
    /// `TaxKey.pack` of the tax code written to the row, 0 for none.
    let tax: UInt64
    if TaxCode.isPlain(rawTax) {
      put(rawTax)
      tax = TaxKey.pack(bytes: rawTax)!
    } else {
      var taxCode = ""
      switch TaxCode.read(StagedText.trimmed(String(decoding: rawTax, as: UTF8.self))) {
      case .blank: break
      case .valid(let code): taxCode = code
      case .invalid(let written): problems.append(wording.notRead(.taxCode, written))
      }
      put(taxCode)
      tax = taxCode.isEmpty ? 0 : TaxKey.pack(taxCode)!
    }
    if let problem = dateCell.problem { problems.append(problem) }
    let nameStart = packed.count + 4
    putTrimmed(rawName)
    let name = nameStart..<packed.count
    packed.append(typeKey.bytes)
    packed.append(place.head)
    let sector = self.sector(fileID, file, columns.raw(record, .sector), c, &key)
    packed.append(sector.text.bytes)
    if let entry = sector.entry { decided([entry]) }
    if number(.employees, columns.raw(record, .employees), whole: true) { problems.append(wording.noEmployees) }
    let employees = lastWhole
    number(.revenue, columns.raw(record, .revenue), whole: false)
    number(.trainees, columns.raw(record, .trainees), whole: true)
    if let remark = traineesRemark(trainees: lastWhole, employees: employees) { problems.append(remark) }
    number(.supportRequested, columns.raw(record, .supportRequested), whole: false)
    if let problem = sector.problem { problems.append(problem) }
    let answer = self.answer(columns.raw(record, .previouslySupported), c)
    packed.append(answer.text.bytes)
    if let problem = answer.problem { problems.append(problem) }
    packed.append(dateCell.iso.bytes)
    let needs = self.needs(fileID, file, record, columns, c, &key)
    packed.append(needs.keys.bytes)
    problems.append(contentsOf: needs.problems)
    decided(needs.entries)
    packed.append(place.tail)
    putTrimmed(columns.raw(record, .craftVillage))
    putTrimmed(columns.raw(record, .notes))
    put(problems.joined(separator: "; "))

    var identity: String?
    if tax == 0, let identityPlace = c.places.extra(place.hit.entry).identityPlace {
      identity = folding.key(String(decoding: packed.bytes[name], as: UTF8.self)) + "|" + identityPlace
    }
    return .counted(
      PackedFacts(
        tax: tax, date: dateCell.date?.packed ?? 0, fuzzy: place.fuzzy,
        decisions: decisions, remarkSettled: problems.count == 1 && place.noteSettled, identity: identity,
        name: name))
  }

  // MARK: - Cells read once per spelling

  private func date(_ raw: UnsafeRawBufferPointer, _ c: PackedCaches) -> PackedCaches.DateCell {
    if raw.isEmpty { return .blank }
    if let known = c.dates.value(raw) { return known }
    let written = StagedText.trimmed(String(decoding: raw, as: UTF8.self))
    let (date, iso) = surveyDate(written)
    let cell = PackedCaches.DateCell(
      date: date, iso: iso, problem: !written.isEmpty && date == nil ? wording.notRead(.surveyDate, written) : nil)
    c.dates.insert(raw, cell)
    return cell
  }

  /// Reads where the place answers of `records` (of files `fileIDs`) are kept, so that `normalise` finds them in
  /// the processor's cache: the keys are hashed first, then the table is read for all of them in a loop so short
  /// that the loads of many rows are under way at once.
  func warmPlaces(_ records: [CSVRawRecord], fileIDs: [Int], columns: StagedColumns) {
    let c = packedCaches
    var key = c.key
    var hashes = c.hashes
    defer { (c.key, c.hashes) = (key, hashes) }
    hashes.removeAll(keepingCapacity: true)
    for (record, fileID) in zip(records, fileIDs) {
      let legacyOnly = date(columns.raw(record, .surveyDate), c).legacyOnly
      key.removeAll()
      Self.appendPlaceKey(fileID, columns.raw(record, .district), columns.raw(record, .commune), legacyOnly, to: &key)
      hashes.append(ByteKeys.hash(key.bytes))
    }
    c.places.touch(hashes)
  }

  /// The row's place. Its bytes are valid while the row is normalised: the places table changes only here.
  private func place(
    _ fileID: Int, _ file: String, _ district: UnsafeRawBufferPointer, _ commune: UnsafeRawBufferPointer,
    _ legacyOnly: Bool, _ c: PackedCaches, _ key: inout ByteBuffer
  ) -> PackedCaches.Place {
    key.removeAll()
    Self.appendPlaceKey(fileID, district, commune, legacyOnly, to: &key)
    if let known = c.places.find(key.bytes) { return PackedCaches.Place(hit: known) }
    let writtenCommune = StagedText.trimmed(String(decoding: commune, as: UTF8.self))
    let resolution = places.resolve(
      district: StagedText.trimmed(String(decoding: district, as: UTF8.self)), commune: writtenCommune, file: file,
      legacyOnly: legacyOnly)
    let fuzzy: Bool = if case .fuzzy = resolution.tier { true } else { false }
    let bytes = PackedCaches.PlaceCell.bytes(
      resolution: resolution, districtName: resolution.districtCode.flatMap { districtNames[$0] } ?? "",
      tier: resolution.tier?.description ?? "", writtenCommune: writtenCommune, fuzzy: fuzzy)
    let decisions = RowDecisions(applied: resolution.decidedBy, passedOver: resolution.passedOver)
    let cell = PackedCaches.PlaceCell(
      reason: resolution.reason,
      identityPlace: resolution.districtCode.map {
        [$0, resolution.commune?.code ?? folding.key(writtenCommune)].joined(separator: "|")
      }, decisions: decisions.isEmpty ? nil : decisions)
    return bytes.withUnsafeBytes { PackedCaches.Place(hit: c.places.insert(key.bytes, bytes: $0, extra: cell)) }
  }

  private func type(
    _ fileID: Int, _ file: String, _ raw: UnsafeRawBufferPointer, _ c: PackedCaches, _ key: inout ByteBuffer
  ) -> PackedCaches.TypeCell {
    key.removeAll()
    Self.appendKey(fileID, 0, raw, to: &key)
    if let known = c.types.value(key.bytes) { return known }
    let written = StagedText.trimmed(String(decoding: raw, as: UTF8.self))
    let match = written.isEmpty ? nil : types.match(written, file: file)
    let cell = PackedCaches.TypeCell(key: match?.key, entry: match?.entry)
    c.types.insert(key.bytes, cell)
    return cell
  }

  private func sector(
    _ fileID: Int, _ file: String, _ raw: UnsafeRawBufferPointer, _ c: PackedCaches, _ key: inout ByteBuffer
  ) -> PackedCaches.TextCell {
    if raw.isEmpty { return .blank }
    key.removeAll()
    Self.appendKey(fileID, 0, raw, to: &key)
    if let known = c.sectors.value(key.bytes) { return known }
    let written = StagedText.trimmed(String(decoding: raw, as: UTF8.self))
    var cell = PackedCaches.TextCell.blank
    if !written.isEmpty {
      if let match = sectors.match(written, file: file) {
        cell = PackedCaches.TextCell(text: match.key, problem: nil, entry: match.entry)
      } else {
        cell = PackedCaches.TextCell(text: "", problem: wording.sectorNotRecognised(written))
      }
    }
    c.sectors.insert(key.bytes, cell)
    return cell
  }

  private func answer(_ raw: UnsafeRawBufferPointer, _ c: PackedCaches) -> PackedCaches.TextCell {
    if raw.isEmpty { return .blank }
    if let known = c.answers.value(raw) { return known }
    let written = StagedText.trimmed(String(decoding: raw, as: UTF8.self))
    let cell: PackedCaches.TextCell
    switch needs.mark(written) {
    case true?: cell = PackedCaches.TextCell(text: "yes", problem: nil)
    case false?: cell = PackedCaches.TextCell(text: written.isEmpty ? "" : "no", problem: nil)
    case nil:
      cell = PackedCaches.TextCell(text: "", problem: wording.notRead(.previouslySupported, written))
    }
    c.answers.insert(raw, cell)
    return cell
  }

  private func needs(
    _ fileID: Int, _ file: String, _ record: CSVRawRecord, _ columns: StagedColumns, _ c: PackedCaches,
    _ key: inout ByteBuffer
  ) -> PackedCaches.NeedsCell {
    key.removeAll()
    Self.appendKey(fileID, 0, columns.raw(record, .needs), to: &key)
    for index in 0..<columns.needMarkCount { Self.appendKey(columns.rawNeedMark(record, index), to: &key) }
    if let known = c.needs.value(key.bytes) { return known }
    let marks = (0..<columns.needMarkCount).map {
      StagedText.trimmed(String(decoding: columns.rawNeedMark(record, $0), as: UTF8.self))
    }
    let list = StagedText.trimmed(String(decoding: columns.raw(record, .needs), as: UTF8.self))
    let reading = self.needs.readJoined(markCells: marks, list: list, file: file)
    let cell = PackedCaches.NeedsCell(
      keys: reading.keys, problems: reading.unmatched.map(wording.needNotRecognised), entries: reading.entries)
    c.needs.insert(key.bytes, cell)
    return cell
  }

  // MARK: - Bytes

  /// The place cache's key: `place` looks it up, `warmPlaces` reads ahead where it is kept.
  @inline(__always)
  private static func appendPlaceKey(
    _ fileID: Int, _ district: UnsafeRawBufferPointer, _ commune: UnsafeRawBufferPointer, _ legacyOnly: Bool,
    to key: inout ByteBuffer
  ) {
    appendKey(fileID, legacyOnly ? 1 : 0, district, commune, to: &key)
  }

  /// A composite key: the file, a flag, then each part with its length, so no two keys run together.
  private static func appendKey(_ fileID: Int, _ flag: UInt8, _ first: UnsafeRawBufferPointer, to key: inout ByteBuffer)
  {
    withUnsafeBytes(of: UInt32(truncatingIfNeeded: fileID)) { key.append($0) }
    key.append(flag)
    appendKey(first, to: &key)
  }

  private static func appendKey(
    _ fileID: Int, _ flag: UInt8, _ first: UnsafeRawBufferPointer, _ second: UnsafeRawBufferPointer,
    to key: inout ByteBuffer
  ) {
    appendKey(fileID, flag, first, to: &key)
    appendKey(second, to: &key)
  }

  @inline(__always)
  private static func appendKey(_ part: UnsafeRawBufferPointer, to key: inout ByteBuffer) {
    withUnsafeBytes(of: UInt32(part.count)) { key.append($0) }
    key.append(part)
  }

  /// True when trimming cannot change the cell: empty, or both ends ASCII and not white space.
  @inline(__always)
  static func needsNoTrim(_ raw: UnsafeRawBufferPointer) -> Bool {
    guard let first = raw.first, let last = raw.last else { return true }
    return first < 0x80 && last < 0x80 && !asciiTrimmable[Int(first)] && !asciiTrimmable[Int(last)]
  }

  /// `namesNothing(_:)` of the cell's text, decided on its bytes when one is an ASCII letter or digit.
  static func namesNothing(_ raw: UnsafeRawBufferPointer) -> Bool {
    for byte in raw where byte < 0x80 {
      if (byte | 0x20) &- 0x61 < 26 || byte &- 0x30 < 10 { return false }
    }
    return namesNothing(String(decoding: raw, as: UTF8.self))
  }

  /// The value of a cell of 1 to 18 ASCII digits, else nil.
  @inline(__always)
  static func plainDigits(_ raw: UnsafeRawBufferPointer) -> UInt64? {
    guard (1...18).contains(raw.count) else { return nil }
    var value: UInt64 = 0
    for byte in raw {
      guard byte >= 0x30 && byte <= 0x39 else { return nil }
      value = value * 10 + UInt64(byte - 0x30)
    }
    return value
  }
}
