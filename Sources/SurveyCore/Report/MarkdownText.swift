/// Markdown that respondents' text cannot break: escaping, and GitHub-flavoured tables.

/// Builds Markdown from untrusted text and from the report's own parts.
public enum MarkdownText {
  /// ASCII punctuation that can start emphasis, code, links, HTML, tables or strike-through.
  private static let special: Set<Character> = ["\\", "`", "*", "_", "[", "]", "<", ">", "|", "~", "{", "}"]

  /// Respondent text made safe for one line of Markdown: line breaks and control characters become spaces,
  /// runs of spaces collapse, and every character Markdown would act on is backslash-escaped.
  ///
  /// `A | B <b>x</b> [link](http://x)` becomes `A \| B \<b\>x\</b\> \[link\](http://x)`: shown as written,
  /// never a table break, a tag or a link.
  public static func escape(_ text: String) -> String {
    var result = ""
    var pendingSpace = false
    let characters = Array(text)
    for (index, character) in characters.enumerated() {
      if character.isNewline || character.unicodeScalars.allSatisfy({ $0.properties.generalCategory == .control })
        || character.isWhitespace
      {
        pendingSpace = !result.isEmpty
        continue
      }
      if pendingSpace { result.append(" ") }
      pendingSpace = false
      if special.contains(character) || (character == "&" && startsEntity(characters[(index + 1)...])) {
        result.append("\\")
      }
      result.append(character)
    }
    // A line start that would open a heading, quote or list if the text ever began a line.
    if let first = result.first, ["#", "+", "-", "="].contains(first) { result.insert("\\", at: result.startIndex) }
    return result
  }

  /// True when the text after an `&` would make it an HTML entity (`&amp;`, `&#60;`); a lone `&` stays as it is,
  /// so "Marketing & markets" reads the same in the plain-text mail.
  private static func startsEntity(_ rest: ArraySlice<Character>) -> Bool {
    var length = 0
    for character in rest {
      if character == ";" { return length > 0 }
      guard character.isASCII && (character.isLetter || character.isNumber || character == "#"), length < 32 else {
        return false
      }
      length += 1
    }
    return false
  }

  /// A file name or other token shown as code; backticks inside are dropped so the span cannot be closed early.
  public static func code(_ text: String) -> String {
    let clean = escapeLineBreaks(text).replacingOccurrences(of: "`", with: "'")
    return "`" + clean + "`"
  }

  /// Text for a fenced code block (charts): line breaks and backticks removed so the fence cannot be closed.
  public static func plain(_ text: String) -> String {
    escapeLineBreaks(text).replacingOccurrences(of: "`", with: "'")
  }

  /// Column alignment in a table.
  public enum Alignment: Sendable {
    case left, right
  }

  /// A GitHub-flavoured table. Cells must already be escaped (or be the report's own text).
  public static func table(_ header: [String], _ alignments: [Alignment], _ rows: [[String]]) -> String {
    var lines = ["| " + header.joined(separator: " | ") + " |"]
    lines.append("|" + alignments.map { $0 == .right ? "---:" : "---" }.joined(separator: "|") + "|")
    for row in rows { lines.append("| " + row.map { $0.isEmpty ? " " : $0 }.joined(separator: " | ") + " |") }
    return lines.joined(separator: "\n") + "\n"
  }

  private static func escapeLineBreaks(_ text: String) -> String {
    String(text.map { $0.isNewline || $0 == "\t" ? " " : $0 })
  }
}
