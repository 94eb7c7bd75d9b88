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
  /// Not counted, or not plain enough for bytes: what the String path made of it. Boxed, so that the outcome of
  /// every row is no larger than a counted row's facts: a row's outcome was moved twice, 144 bytes each through
  /// `memcpy` (2.7% of the stage's samples), for the few rows that are not counted.
  indirect case other(NormalisedRow)
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
  /// The last packed cell (establishments.csv's `problems`) is not empty: the row has remarks. Known as the cell
  /// is packed, so the stage's thread need not walk the cells to find it.
  var remarked: Bool
  /// Given only for rows without a tax code: what makes two such rows possibly one.
  var identity: String?
  /// Where the name's bytes are in the packed cells.
  var name: Range<Int>
  /// The row's district (`RowNormaliser.districtOrdinal`), 0 for none.
  var district: UInt16
  /// For a row with a tax code, where the district and commune of its identity (`CountedRow.identityPlace`) are,
  /// right after the packed cells (empty: none, and the cells end where the packing does), then, when
  /// `identityHashed`, the identity's `WordFolding.identityHash` (8 bytes).
  var identityPlace: Range<Int>
  /// A row with a tax code whose identity's hash follows its place: a row without a tax code was seen at its
  /// place's spelling before it, on its thread.
  var identityHashed = false
  /// The survey date written was after the run's day, and taken as none: said in duplicates.csv if it is merged.
  var dateAfterRun = false
}

/// The per-distinct-spelling answers of the byte path, keyed by exact bytes (with the file where corrections
/// may name one).
final class PackedCaches {
  /// A cached answer other than the place's (a survey date, type, sector, yes/no answer or needs list) as it
  /// lies in its table, right after its key: `u8 flags`, three unused bytes, `u32 number`, then the cells the row
  /// puts, packed. A row reads it in place, taking no reference to an object: when these answers were objects,
  /// their retains and releases were 6% of the stage, and each hit waited on two more pointers. What a row rarely
  /// needs (a problem's wording, the corrections entries of a needs list) is the table's `Extra`, read only when
  /// the flags say there is one.
  struct Cached {
    /// `number` is set: the corrections entry that decided the answer, or the packed survey date.
    static let numbered: UInt8 = 1
    /// The table's extra for the entry holds something for the row: a problem, or a needs list's problems and
    /// entries.
    static let extra: UInt8 = 2
    /// A survey date before the 2025 reform: the row names only the communes of before it.
    static let legacyOnly: UInt8 = 4
    /// A type answer with a cell: the type was recognised. Without it the row takes the String path.
    static let recognised: UInt8 = 8
    /// A survey date after the run's day, taken as none (`RowNormaliser.today`).
    static let afterRun: UInt8 = 16

    /// The answer's bytes, valid until its table starts again (which only an insertion into it does).
    let bytes: UnsafeRawBufferPointer
    /// Its entry, for the table's `extra(_:)`.
    let entry: Int

    init<Extra>(_ hit: InlineBytesTable<Extra>.Hit) { (bytes, entry) = (hit.bytes, hit.entry) }

    private init(bytes: UnsafeRawBufferPointer) { (self.bytes, entry) = (bytes, -1) }

    @inline(__always) func has(_ flag: UInt8) -> Bool { bytes.load(as: UInt8.self) & flag != 0 }
    /// The number, when the answer has one.
    var number: UInt32? {
      has(Self.numbered) ? UInt32(littleEndian: bytes.loadUnaligned(fromByteOffset: 4, as: UInt32.self)) : nil
    }
    /// The corrections entry that decided the answer.
    var decidedBy: Int? { number.map(Int.init) }
    /// The cells the row puts, packed (`StagedText.appendFields` layout).
    var cells: UnsafeRawBufferPointer { UnsafeRawBufferPointer(rebasing: bytes[8...]) }

    /// An answer's bytes.
    static func bytes(_ flags: UInt8, number: UInt32? = nil, cells: [String]) -> [UInt8] {
      var bytes: [UInt8] = [flags | (number == nil ? 0 : numbered), 0, 0, 0]
      withUnsafeBytes(of: (number ?? 0).littleEndian) { bytes.append(contentsOf: $0) }
      StagedText.appendFields(cells, to: &bytes)
      return bytes
    }

    /// The answer of a blank cell: one empty cell, nothing else. Its bytes are made once, kept and never written,
    /// so every thread may read them.
    nonisolated(unsafe) static let blank: Cached = {
      let bytes = Self.bytes(0, cells: [""])
      let kept = UnsafeMutableRawBufferPointer.allocate(byteCount: bytes.count, alignment: 8)
      kept.copyBytes(from: bytes)
      return Cached(bytes: UnsafeRawBufferPointer(kept))
    }()
  }

  /// What a needs list's answer rarely needs.
  struct NeedsExtra {
    let problems: [String]
    /// The corrections entries that read pieces of it.
    let entries: [Int]
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

    /// The answer's bytes: `u8 flags`, `u8` what the thread knows of rows without a tax code here (`uncodedMark`),
    /// `u16` the district's ordinal, `u32` the head's length, `u32` the identity place's length, the head, the
    /// tail, the identity place.
    /// - head: the district_code, district and commune cells (the commune as resolved, else as written, trimmed);
    /// - tail: the commune_code, place_column and place_match cells;
    /// - identity place: `identityPlace`'s bytes (none without a district), which a row with a tax code copies
    ///   from here, in the cache, rather than from this object, which a row did not otherwise read.
    static func bytes(
      resolution: PlaceResolution, districtName: String, district: UInt16, tier: String, writtenCommune: String,
      fuzzy: Bool, identityPlace: String?
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
      let identity = Array((identityPlace ?? "").utf8)
      var bytes: [UInt8] = [flags, 0, UInt8(district & 0xFF), UInt8(district >> 8)]
      withUnsafeBytes(of: UInt32(head.count).littleEndian) { bytes.append(contentsOf: $0) }
      withUnsafeBytes(of: UInt32(identity.count).littleEndian) { bytes.append(contentsOf: $0) }
      bytes += head
      StagedText.appendFields([resolution.commune?.code ?? "", resolution.column, tier], to: &bytes)
      bytes += identity
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
    /// The district's ordinal (`RowNormaliser.districtOrdinal`), 0 for none.
    var district: UInt16 { UInt16(littleEndian: hit.bytes.loadUnaligned(fromByteOffset: 2, as: UInt16.self)) }
    /// What the row's thread knows of rows without a tax code at this place (`RowNormaliser.uncodedSeen`):
    /// `Place.uncoded` when one was seen at the place (any spelling of it), else the thread's
    /// `uncodedPlacesStamp` when the place was last found to have none, 0 at first.
    var uncodedMark: UInt8 { hit.bytes.load(fromByteOffset: 1, as: UInt8.self) }
    /// Sets `uncodedMark`, in the table's own bytes (the table is its thread's alone).
    func setUncodedMark(_ mark: UInt8) {
      UnsafeMutableRawPointer(mutating: hit.bytes.baseAddress!).storeBytes(of: mark, toByteOffset: 1, as: UInt8.self)
    }
    static let uncoded: UInt8 = 0xFF
    @inline(__always) private var headCount: Int {
      Int(UInt32(littleEndian: hit.bytes.loadUnaligned(fromByteOffset: 4, as: UInt32.self)))
    }
    @inline(__always) private var identityCount: Int {
      Int(UInt32(littleEndian: hit.bytes.loadUnaligned(fromByteOffset: 8, as: UInt32.self)))
    }
    var head: UnsafeRawBufferPointer { UnsafeRawBufferPointer(rebasing: hit.bytes[12..<12 + headCount]) }
    var tail: UnsafeRawBufferPointer {
      UnsafeRawBufferPointer(rebasing: hit.bytes[(12 + headCount)..<(hit.bytes.count - identityCount)])
    }
    /// `PlaceCell.identityPlace`'s bytes, empty without a district.
    var identityPlace: UnsafeRawBufferPointer {
      UnsafeRawBufferPointer(rebasing: hit.bytes[(hit.bytes.count - identityCount)...])
    }
  }

  /// Each with its problem ("survey date not read: …", or a date after the run's day) as its extra.
  let dates = InlineBytesTable<String>()
  let places = InlineBytesTable<PlaceCell>()
  let types = InlineBytesTable<Void>()
  /// Each with its problem as its extra.
  let sectors = InlineBytesTable<String>()
  let answers = InlineBytesTable<String>()
  let needs = InlineBytesTable<NeedsExtra>()
  /// The numbers read from cells that are not plain digits, by the cell's bytes; nil for a cell not read.
  let counts = BytesTable<ReadNumber?>()
  let amounts = BytesTable<ReadNumber?>()
  /// A composite key is built here.
  @exclusivity(unchecked) var key = ByteBuffer(capacity: 1 << 10)
  /// And the key of a place answer in `RowNormaliser.placeAnswers`, while `key` holds the row's place key.
  @exclusivity(unchecked) var sharedKey = ByteBuffer(capacity: 1 << 8)
  /// What `warmPlaces` made for each row of a group, for `normalise` to take up rather than make again: the
  /// place keys, one after another (each ends at its `warmedKeyEnds`), their hashes (`warmedHashes`), and the
  /// survey dates' answers, valid while the dates table is at `warmedDatesGeneration` (-1: not valid).
  @exclusivity(unchecked) var warmedHashes: [UInt64] = []
  @exclusivity(unchecked) var warmedKeys = ByteBuffer(capacity: 1 << 12)
  @exclusivity(unchecked) var warmedKeyEnds: [Int] = []
  @exclusivity(unchecked) var warmedDates: [Cached] = []
  @exclusivity(unchecked) var warmedDatesGeneration = -1

  init() {}

  deinit {
    key.deallocate()
    sharedKey.deallocate()
    warmedKeys.deallocate()
  }
}

extension RowNormaliser {
  /// The packed row, or the String path's outcome. The 22 cells of `Establishment.header` are appended to
  /// `packed` when the row is counted (and `PackedFacts.name` is a range of `packed`); otherwise nothing is.
  /// - Parameter warmed: the row's place in the group `warmPlaces` was last given, whose survey date and place
  ///   key it made; nil for a row it was not given.
  func normalise(
    fileID: Int, file: String, line: Int, record: CSVRawRecord, columns: StagedColumns, packed: inout ByteBuffer,
    warmed: Int? = nil
  ) -> PackedOutcome {
    let c = packedCaches
    // The composite keys are built in the caches' buffer, taken out for the row: each access to a class's
    // stored property is checked for exclusivity at run time, and the keys took about 25 of them a row.
    var key = c.key
    defer { c.key = key }  // the same memory, unless it grew
    let place: PackedCaches.Place
    let dateCell: PackedCaches.Cached
    if let warmed {
      dateCell =
        c.warmedDatesGeneration == c.dates.generation
        ? c.warmedDates[warmed] : date(columns.raw(record, .surveyDate), c)
      let keys = c.warmedKeys.bytes
      let start = warmed == 0 ? 0 : c.warmedKeyEnds[warmed - 1]
      place = self.place(
        UnsafeRawBufferPointer(rebasing: keys[start..<c.warmedKeyEnds[warmed]]), hash: c.warmedHashes[warmed], file,
        columns.raw(record, .district), columns.raw(record, .commune),
        dateCell.has(PackedCaches.Cached.legacyOnly), c)
    } else {
      dateCell = date(columns.raw(record, .surveyDate), c)
      key.removeAll()
      let (district, commune) = (columns.raw(record, .district), columns.raw(record, .commune))
      let legacyOnly = dateCell.has(PackedCaches.Cached.legacyOnly)
      Self.appendPlaceKey(fileID, district, commune, legacyOnly, to: &key)
      place = self.place(
        key.bytes, hash: ByteKeys.hash(key.bytes, seed: c.places.seed), file, district, commune, legacyOnly, c)
    }
    let type = self.type(fileID, file, columns.raw(record, .enterpriseType), c, &key)
    let rawName = columns.raw(record, .name)
    guard place.countable, type.has(PackedCaches.Cached.recognised), !Self.namesNothing(rawName) else {
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
    if let entry = type.decidedBy { decided([entry]) }
    var problems: [String] = []
    if let reason = placeCell?.reason, !reason.isEmpty { problems.append(reason) }

    func put(_ bytes: UnsafeRawBufferPointer) { StagedText.appendField(bytes, to: &packed) }
    /// Puts a cell of digits, or a plain tax code: written in the CSV as it is.
    func putPlain(_ bytes: UnsafeRawBufferPointer) { StagedText.appendField(plain: bytes, to: &packed) }
    func put(_ text: String) {
      // Read in place: a copy to call `withUTF8` on retained and released the text, a few times a row.
      let done: Void? = text.utf8.withContiguousStorageIfAvailable { put(UnsafeRawBufferPointer($0)) }
      guard done == nil else { return }
      var text = text
      text.withUTF8 { put(UnsafeRawBufferPointer($0)) }
    }
    /// The trimmed cell: its own bytes when neither end is white space (and they are UTF-8, which ingest's
    /// companion vouches for), else the String path's trim.
    func putTrimmed(_ raw: UnsafeRawBufferPointer) {
      if (columns.wellFormedUTF8 || UTF8Bytes.isValid(raw)) && !TextFolding.endsInWhiteSpace(raw) {
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
        if raw.count == 1 || raw[0] != 0x30 {
          putPlain(raw)
        } else {
          StagedText.appendField(decimal: Int(digits), to: &packed)
        }
        lastWhole = digits
        return false
      }
      let table = whole ? c.counts : c.amounts
      let read: ReadNumber?
      if let known = table.value(raw) {
        read = known
      } else {
        let written = StagedText.trimmed(String(decoding: raw, as: UTF8.self))
        read = (written.isEmpty ? "" : numberText(written, whole: whole)).map(ReadNumber.init)
        table.insert(raw, read)
      }
      if let read, read.plausible(for: field) {
        put(read.text)
        lastWhole = read.value
        return read.text.isEmpty
      }
      let written = StagedText.trimmed(String(decoding: raw, as: UTF8.self))
      problems.append(numberRemark(field, written: written, read: read?.text)!)
      put("")
      return false
    }

    put(file)
    StagedText.appendField(decimal: line, to: &packed)
    let rawTax = columns.raw(record, .taxCode)
    /// `TaxKey.pack` of the tax code written to the row, 0 for none.
    let tax: UInt64
    if let key = TaxKey.packPlain(rawTax) {
      putPlain(rawTax)
      tax = key
    } else {
      var taxCode = ""
      switch TaxCode.read(StagedText.trimmed(String(decoding: rawTax, as: UTF8.self))) {
      case .blank: break
      case .valid(let code): taxCode = code
      case .invalid(let written): problems.append(wording.notRead(.taxCode, written))
      case .placeholder(let written): problems.append(wording.placeholderTaxCode(written))
      }
      put(taxCode)
      tax = taxCode.isEmpty ? 0 : TaxKey.pack(taxCode)!
    }
    if dateCell.has(PackedCaches.Cached.extra) { problems.append(c.dates.extra(dateCell.entry)) }
    let nameStart = packed.count + 4
    putTrimmed(rawName)
    let name = nameStart..<packed.count
    packed.append(type.cells)
    packed.append(place.head)
    let sector = self.sector(fileID, file, columns.raw(record, .sector), c, &key)
    packed.append(sector.cells)
    if let entry = sector.decidedBy { decided([entry]) }
    if number(.employees, columns.raw(record, .employees), whole: true) { problems.append(wording.noEmployees) }
    let employees = lastWhole
    // Amounts of a file whose header states a unit (`moneyUnits`) take the String path's reading; nearly every
    // file's do not, and test that once a row.
    let units = moneyUnits(fileID, file)
    /// Puts an amount of a column whose header states `unit` (`RowNormaliser.amount`).
    func amount(_ field: UnreadField, _ raw: UnsafeRawBufferPointer, _ unit: MoneyUnit) {
      let read = self.amount(field, StagedText.trimmed(String(decoding: raw, as: UTF8.self)), unit: unit)
      if let remark = read.remark { problems.append(remark) }
      put(read.text)
    }
    if let unit = units?.revenue {
      amount(.revenue, columns.raw(record, .revenue), unit)
    } else {
      number(.revenue, columns.raw(record, .revenue), whole: false)
    }
    number(.trainees, columns.raw(record, .trainees), whole: true)
    if let remark = traineesRemark(trainees: lastWhole, employees: employees) { problems.append(remark) }
    if let unit = units?.supportRequested {
      amount(.supportRequested, columns.raw(record, .supportRequested), unit)
    } else {
      number(.supportRequested, columns.raw(record, .supportRequested), whole: false)
    }
    if sector.has(PackedCaches.Cached.extra) { problems.append(c.sectors.extra(sector.entry)) }
    let answer = self.answer(columns.raw(record, .previouslySupported), c)
    packed.append(answer.cells)
    if answer.has(PackedCaches.Cached.extra) { problems.append(c.answers.extra(answer.entry)) }
    packed.append(dateCell.cells)
    let needs = self.needs(fileID, file, record, columns, c, &key)
    packed.append(needs.cells)
    if needs.has(PackedCaches.Cached.extra) {
      let extra = c.needs.extra(needs.entry)
      problems.append(contentsOf: extra.problems)
      decided(extra.entries)
    }
    packed.append(place.tail)
    putTrimmed(columns.raw(record, .craftVillage))
    putTrimmed(columns.raw(record, .notes))
    var remarked = false
    if problems.isEmpty {
      put(UnsafeRawBufferPointer(start: nil, count: 0))  // most rows: no joining of an empty list
    } else {
      let remarks = problems.joined(separator: "; ")
      remarked = !remarks.isEmpty
      put(remarks)
    }

    var identity: String?
    var identityPlace = packed.count..<packed.count
    var identityHashed = false
    if tax == 0, let identityPlace = c.places.extra(place.hit.entry).identityPlace {
      identity = folding.key(String(decoding: packed.bytes[name], as: UTF8.self)) + "|" + identityPlace
      if place.uncodedMark != PackedCaches.Place.uncoded { seeUncoded(at: place) }
    } else if tax != 0 {
      // A row with a tax code gets its place's part, copied from the place's bytes after its cells, and, once a
      // row without one was seen at the place, its identity's hash: only a row with the same hash is compared
      // (`DuplicateIndex.settle`), and the others, seen before, have their names folded there.
      let placeBytes = place.identityPlace
      if !placeBytes.isEmpty && uncodedSeen(at: place) {
        let hash = folding.identityHash(name: UnsafeRawBufferPointer(rebasing: packed.bytes[name]), place: placeBytes)
        packed.append(placeBytes)
        withUnsafeBytes(of: hash) { packed.append($0) }
        identityHashed = true
      } else {
        packed.append(placeBytes)
      }
      identityPlace = identityPlace.lowerBound..<packed.count
    }
    return .counted(
      PackedFacts(
        tax: tax, date: dateCell.number ?? 0, fuzzy: place.fuzzy,
        decisions: decisions, remarkSettled: problems.count == 1 && place.noteSettled, remarked: remarked,
        identity: identity, name: name, district: place.district, identityPlace: identityPlace,
        identityHashed: identityHashed, dateAfterRun: dateCell.has(PackedCaches.Cached.afterRun)))
  }

  /// Whether a row without a tax code was seen at `place` (any spelling of its district and commune) on this
  /// thread. One byte's test a row, and none more until such a row is seen: a new place of rows without a tax
  /// code changes `uncodedPlacesStamp`, and each spelling then looks its place up once.
  @inline(__always)
  private func uncodedSeen(at place: PackedCaches.Place) -> Bool {
    let mark = place.uncodedMark
    if mark == PackedCaches.Place.uncoded { return true }
    if mark == uncodedPlacesStamp { return false }
    let seen = uncodedPlaces.contains(ByteKeys.hash(place.identityPlace, seed: uncodedPlacesSeed))
    place.setUncodedMark(seen ? PackedCaches.Place.uncoded : uncodedPlacesStamp)
    return seen
  }

  /// Notes that a row without a tax code came to `place`.
  private func seeUncoded(at place: PackedCaches.Place) {
    if uncodedPlaces.insert(ByteKeys.hash(place.identityPlace, seed: uncodedPlacesSeed)).inserted {
      // 1 to 254: never 0 (a place not yet looked up) nor `Place.uncoded`. After 254 new places a spelling may
      // take a stale stamp for the current one: its rows are then folded in `DuplicateIndex.settle`, no more.
      uncodedPlacesStamp = uncodedPlacesStamp % 254 + 1
    }
    place.setUncodedMark(PackedCaches.Place.uncoded)
  }

  // MARK: - Cells read once per spelling

  /// The row's survey date: flags `legacyOnly`, the packed date as its number, the ISO date as its cell, and its
  /// problem as its extra.
  private func date(_ raw: UnsafeRawBufferPointer, _ c: PackedCaches) -> PackedCaches.Cached {
    if raw.isEmpty { return .blank }
    if let known = c.dates.find(raw) { return PackedCaches.Cached(known) }
    let written = StagedText.trimmed(String(decoding: raw, as: UTF8.self))
    let answer = surveyDate(written)
    var flags: UInt8 = answer.problem.isEmpty ? 0 : PackedCaches.Cached.extra
    if answer.afterRun { flags |= PackedCaches.Cached.afterRun }
    if let date = answer.date, date < SurveyDate.reform { flags |= PackedCaches.Cached.legacyOnly }
    return insert(
      raw, PackedCaches.Cached.bytes(flags, number: answer.date?.packed, cells: [answer.iso]), answer.problem,
      into: c.dates)
  }

  /// Stores an answer in its table and returns it as a row reads it.
  private func insert<Extra>(
    _ key: UnsafeRawBufferPointer, _ bytes: [UInt8], _ extra: Extra, into table: InlineBytesTable<Extra>
  ) -> PackedCaches.Cached {
    bytes.withUnsafeBytes { PackedCaches.Cached(table.insert(key, bytes: $0, extra: extra)) }
  }

  /// Reads where the place answers of `records` (of files `fileIDs`) are kept, so that `normalise` finds them in
  /// the processor's cache: the keys are hashed first, then the table is read for all of them in a loop so short
  /// that the loads of many rows are under way at once.
  ///
  /// What it makes on the way (each row's survey date answer, place key and its hash) stays in the caches for
  /// `normalise(…warmed:)` to take up: the dates were looked up twice a row, and the keys made and hashed twice.
  func warmPlaces(_ records: [CSVRawRecord], fileIDs: [Int], columns: StagedColumns) {
    let c = packedCaches
    // Taken out of the caches, each array the only reference to its memory, so that emptying it keeps it.
    var keys = c.warmedKeys
    var (ends, hashes, dates): ([Int], [UInt64], [PackedCaches.Cached]) = ([], [], [])
    swap(&ends, &c.warmedKeyEnds)
    swap(&hashes, &c.warmedHashes)
    swap(&dates, &c.warmedDates)
    defer { (c.warmedKeys, c.warmedKeyEnds, c.warmedHashes, c.warmedDates) = (keys, ends, hashes, dates) }
    keys.removeAll()
    ends.removeAll(keepingCapacity: true)
    hashes.removeAll(keepingCapacity: true)
    dates.removeAll(keepingCapacity: true)
    let generation = c.dates.generation
    for (record, fileID) in zip(records, fileIDs) {
      let dateCell = date(columns.raw(record, .surveyDate), c)
      dates.append(dateCell)
      let start = keys.count
      Self.appendPlaceKey(
        fileID, columns.raw(record, .district), columns.raw(record, .commune),
        dateCell.has(PackedCaches.Cached.legacyOnly), to: &keys)
      ends.append(keys.count)
      hashes.append(ByteKeys.hash(UnsafeRawBufferPointer(rebasing: keys.bytes[start...]), seed: c.places.seed))
    }
    // A date read for the first time may have made the table start again, and the answers before it with it.
    c.warmedDatesGeneration = c.dates.generation == generation ? generation : -1
    c.places.touch(hashes)
  }

  /// The row's place, by its key (`appendPlaceKey`, which holds the file's number) and the key's hash. Its bytes are
  /// valid while the row is normalised: the places table changes only here.
  private func place(
    _ key: UnsafeRawBufferPointer, hash: UInt64, _ file: String, _ district: UnsafeRawBufferPointer,
    _ commune: UnsafeRawBufferPointer, _ legacyOnly: Bool, _ c: PackedCaches
  ) -> PackedCaches.Place {
    if let known = c.places.find(key, hash: hash) { return PackedCaches.Place(hit: known) }
    // Made by the other thread, or for another file, or for a row surveyed on the other side of the reform, perhaps:
    // an answer the survey date played no part in (`PlaceResolver.lastAnswerReadTheDate`) is kept under the key for
    // either date, the others under the key for the row's side of the reform, which differs in its first byte only.
    c.sharedKey.removeAll()
    Self.appendSharedPlaceKey(places.answersDependOnFile ? file : nil, district, commune, to: &c.sharedKey)
    let built = c.sharedKey
    func sharedKey(dated: Bool) -> UnsafeRawBufferPointer {
      built.base[0] = dated ? (legacyOnly ? 1 : 0) : 2
      return built.bytes
    }
    let answer: SharedPlaceAnswers.Answer
    if let shared = placeAnswers.answer(sharedKey(dated: false)) ?? placeAnswers.answer(sharedKey(dated: true)) {
      answer = shared
    } else {
      answer = makePlace(district, commune, file, legacyOnly)
      placeAnswers.store(sharedKey(dated: places.lastAnswerReadTheDate), answer)
    }
    return answer.bytes.withUnsafeBytes { PackedCaches.Place(hit: c.places.insert(key, bytes: $0, extra: answer.cell)) }
  }

  /// Resolves a row's place: the answer as the places table and `placeAnswers` keep it.
  private func makePlace(
    _ district: UnsafeRawBufferPointer, _ commune: UnsafeRawBufferPointer, _ file: String, _ legacyOnly: Bool
  ) -> SharedPlaceAnswers.Answer {
    let writtenCommune = StagedText.trimmed(String(decoding: commune, as: UTF8.self))
    let resolution = places.resolve(
      district: StagedText.trimmed(String(decoding: district, as: UTF8.self)), commune: writtenCommune, file: file,
      legacyOnly: legacyOnly)
    let fuzzy: Bool = if case .fuzzy = resolution.tier { true } else { false }
    let identityPlace = resolution.districtCode.map {
      [$0, resolution.commune?.code ?? folding.key(writtenCommune)].joined(separator: "|")
    }
    let bytes = PackedCaches.PlaceCell.bytes(
      resolution: resolution, districtName: resolution.districtCode.flatMap { districtNames[$0] } ?? "",
      district: districtOrdinal(resolution.districtCode), tier: resolution.tier?.description ?? "",
      writtenCommune: writtenCommune, fuzzy: fuzzy, identityPlace: identityPlace)
    let decisions = RowDecisions(applied: resolution.decidedBy, passedOver: resolution.passedOver)
    let cell = PackedCaches.PlaceCell(
      reason: resolution.reason, identityPlace: identityPlace, decisions: decisions.isEmpty ? nil : decisions)
    return SharedPlaceAnswers.Answer(bytes: bytes, cell: cell)
  }

  /// The row's enterprise type: flag `recognised` and the type's key as its cell (else the row takes the String
  /// path), and the corrections entry that decided it as its number.
  private func type(
    _ fileID: Int, _ file: String, _ raw: UnsafeRawBufferPointer, _ c: PackedCaches, _ key: inout ByteBuffer
  ) -> PackedCaches.Cached {
    key.removeAll()
    Self.appendKey(fileID, 0, raw, to: &key)
    if let known = c.types.find(key.bytes) { return PackedCaches.Cached(known) }
    let written = StagedText.trimmed(String(decoding: raw, as: UTF8.self))
    let match = written.isEmpty ? nil : types.match(written, file: file)
    let bytes = PackedCaches.Cached.bytes(
      match == nil ? 0 : PackedCaches.Cached.recognised, number: match?.entry.map(UInt32.init),
      cells: [match?.key ?? ""])
    return insert(key.bytes, bytes, (), into: c.types)
  }

  /// The row's sector: its key as its cell, the corrections entry that decided it as its number, and the problem
  /// of a sector not recognised as its extra.
  private func sector(
    _ fileID: Int, _ file: String, _ raw: UnsafeRawBufferPointer, _ c: PackedCaches, _ key: inout ByteBuffer
  ) -> PackedCaches.Cached {
    if raw.isEmpty { return .blank }
    key.removeAll()
    Self.appendKey(fileID, 0, raw, to: &key)
    if let known = c.sectors.find(key.bytes) { return PackedCaches.Cached(known) }
    let written = StagedText.trimmed(String(decoding: raw, as: UTF8.self))
    var (text, problem, entry) = ("", "", Int?.none)
    if !written.isEmpty {
      if let match = sectors.match(written, file: file) {
        (text, entry) = (match.key, match.entry)
      } else {
        problem = wording.sectorNotRecognised(written)
      }
    }
    let bytes = PackedCaches.Cached.bytes(
      problem.isEmpty ? 0 : PackedCaches.Cached.extra, number: entry.map(UInt32.init), cells: [text])
    return insert(key.bytes, bytes, problem, into: c.sectors)
  }

  /// The row's answer to "supported before": yes, no or blank as its cell, and the problem of an answer not read
  /// as its extra.
  private func answer(_ raw: UnsafeRawBufferPointer, _ c: PackedCaches) -> PackedCaches.Cached {
    if raw.isEmpty { return .blank }
    if let known = c.answers.find(raw) { return PackedCaches.Cached(known) }
    let written = StagedText.trimmed(String(decoding: raw, as: UTF8.self))
    var (text, problem) = ("", "")
    switch needs.mark(written) {
    case true?: text = "yes"
    case false?: text = written.isEmpty ? "" : "no"
    case nil: problem = wording.notRead(.previouslySupported, written)
    }
    let bytes = PackedCaches.Cached.bytes(problem.isEmpty ? 0 : PackedCaches.Cached.extra, cells: [text])
    return insert(raw, bytes, problem, into: c.answers)
  }

  /// The row's needs: the keys as its cell, and the pieces not recognised and the corrections entries that read
  /// pieces as its extra.
  private func needs(
    _ fileID: Int, _ file: String, _ record: CSVRawRecord, _ columns: StagedColumns, _ c: PackedCaches,
    _ key: inout ByteBuffer
  ) -> PackedCaches.Cached {
    key.removeAll()
    if let run = columns.rawNeedsRun(record) {
      // The cells side by side, unquoted: one piece (flag 1), where each cell as its own piece took nine calls.
      Self.appendKey(fileID, 1, run, to: &key)
    } else {
      Self.appendKey(fileID, 0, columns.raw(record, .needs), to: &key)
      for index in 0..<columns.needMarkCount { Self.appendShortKey(columns.rawNeedMark(record, index), to: &key) }
    }
    if let known = c.needs.find(key.bytes) { return PackedCaches.Cached(known) }
    let marks = (0..<columns.needMarkCount).map {
      StagedText.trimmed(String(decoding: columns.rawNeedMark(record, $0), as: UTF8.self))
    }
    let list = StagedText.trimmed(String(decoding: columns.raw(record, .needs), as: UTF8.self))
    let reading = self.needs.readJoined(markCells: marks, list: list, file: file)
    let extra = PackedCaches.NeedsExtra(
      problems: reading.counted.map(wording.needMarkCounted) + reading.unmatched.map(wording.needNotRecognised),
      entries: reading.entries)
    let flags = extra.problems.isEmpty && extra.entries.isEmpty ? 0 : PackedCaches.Cached.extra
    return insert(key.bytes, PackedCaches.Cached.bytes(flags, cells: [reading.keys]), extra, into: c.needs)
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

  /// The key of a place answer in `placeAnswers`: as `appendPlaceKey`'s, but with the file's name where the answer
  /// depends on the file (`PlaceResolver.answersDependOnFile`) and none otherwise, where that key has the file's
  /// number: each thread numbers the files it meets itself. Its first byte says which survey dates the answer
  /// holds for: 1 surveyed before the reform (`legacyOnly`, as in `appendPlaceKey`'s flag), 0 after it, 2 (written
  /// here) either.
  private static func appendSharedPlaceKey(
    _ file: String?, _ district: UnsafeRawBufferPointer, _ commune: UnsafeRawBufferPointer, to key: inout ByteBuffer
  ) {
    key.append(2)
    var name = file ?? ""
    name.withUTF8 { appendKey(UnsafeRawBufferPointer($0), to: &key) }
    appendKey(district, to: &key)
    appendKey(commune, to: &key)
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

  /// A part of a key that is nearly always a few bytes (a need column's mark, `x` or blank): its length in one
  /// byte (255 and four more bytes for a longer one), so no two keys run together, and its bytes one at a time.
  /// The needs key has nine of them a row; as four-byte lengths and copies they were most of its making.
  @inline(__always)
  private static func appendShortKey(_ part: UnsafeRawBufferPointer, to key: inout ByteBuffer) {
    let count = part.count
    guard count < 255 else {
      key.append(255)
      appendKey(part, to: &key)
      return
    }
    key.reserve(key.count + 1 + count)
    let target = key.base + key.count
    target[0] = UInt8(truncatingIfNeeded: count)
    if count <= 8 {
      for index in 0..<count { target[1 + index] = part[index] }
    } else {
      UnsafeMutableRawPointer(target + 1).copyMemory(from: part.baseAddress!, byteCount: count)
    }
    key.setCount(key.count + 1 + count)
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
