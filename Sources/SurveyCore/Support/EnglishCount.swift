/// A count with its English noun, singular for one: "1 file", "2 files", "1,250 rows". For the English report and
/// the lines the stages print to the cron log.
public enum EnglishCount {
  /// - Parameters:
  ///   - number: the count as it is shown (already formatted, e.g. "1,250").
  ///   - plural: the noun for any other count; by default the noun with an "s".
  public static func of(_ number: String, _ noun: String, plural: String? = nil) -> String {
    "\(number) \(number == "1" ? noun : plural ?? noun + "s")"
  }

  public static func of(_ number: Int, _ noun: String, plural: String? = nil) -> String {
    of(String(number), noun, plural: plural)
  }
}
