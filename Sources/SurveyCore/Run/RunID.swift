/// Run ids (`20261130T020000Z`, `20261130T020000Z-01`): the UTC time a run started, read back as the local time
/// the department keeps.
import Foundation

public enum RunID {
  /// Vietnam keeps UTC+7 all year (no daylight saving).
  static let vietnam = TimeZone(secondsFromGMT: 7 * 3600)!

  /// The day (`30/11/2026`) and time (`09:00`) in Vietnam of a run id; nil for any other text.
  public static func vietnamTime(_ id: String) -> (day: String, time: String)? {
    let bytes = Array(id.utf8)
    guard bytes.count == 16 || (bytes.count == 19 && bytes[16] == UInt8(ascii: "-")),
      bytes[8] == UInt8(ascii: "T"), bytes[15] == UInt8(ascii: "Z")
    else { return nil }
    func number(_ range: Range<Int>) -> Int? {
      guard bytes[range].allSatisfy({ (0x30...0x39).contains($0) }) else { return nil }
      return Int(String(decoding: bytes[range], as: UTF8.self))
    }
    guard let year = number(0..<4), let month = number(4..<6), let day = number(6..<8), let hour = number(9..<11),
      let minute = number(11..<13), let second = number(13..<15)
    else { return nil }
    var utc = Calendar(identifier: .gregorian)
    utc.timeZone = TimeZone(secondsFromGMT: 0)!
    let parts = DateComponents(year: year, month: month, day: day, hour: hour, minute: minute, second: second)
    guard parts.isValidDate(in: utc), let date = utc.date(from: parts) else { return nil }
    var local = Calendar(identifier: .gregorian)
    local.timeZone = vietnam
    let at = local.dateComponents([.year, .month, .day, .hour, .minute], from: date)
    func two(_ value: Int?) -> String { value.map { $0 < 10 ? "0\($0)" : "\($0)" } ?? "??" }
    return ("\(two(at.day))/\(two(at.month))/\(at.year ?? 0)", "\(two(at.hour)):\(two(at.minute))")
  }
}
