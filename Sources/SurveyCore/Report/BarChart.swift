/// Horizontal bar charts drawn with Unicode block characters, which every mail client shows.

/// A bar chart inside a fenced code block, so the labels and bars line up in a monospaced font.
public struct BarChart: Sendable {
  /// One bar: its label and value, and the text shown after the bar.
  public struct Bar: Sendable {
    public var label: String
    public var value: Int
    public var caption: String

    public init(_ label: String, _ value: Int, caption: String) {
      self.label = label
      self.value = value
      self.caption = caption
    }
  }

  public var bars: [Bar]
  /// The longest bar, in character cells; narrow enough for a phone.
  public var width: Int

  public init(_ bars: [Bar], width: Int = 16) {
    self.bars = bars
    self.width = width
  }

  /// Eighths of a cell, from one eighth to a full block.
  private static let partials: [Character] = ["▏", "▎", "▍", "▌", "▋", "▊", "▉"]

  /// The bar for `value` against `maximum`, in whole and partial blocks; any value above 0 shows at least ▏.
  public static func bar(_ value: Int, of maximum: Int, width: Int) -> String {
    guard maximum > 0, value > 0 else { return "" }
    let eighths = max(1, (value * width * 8 * 2 + maximum) / (2 * maximum))
    var bar = String(repeating: "█", count: eighths / 8)
    if eighths % 8 > 0 { bar.append(partials[eighths % 8 - 1]) }
    return bar
  }

  /// The chart as a fenced code block, ending with a newline.
  public func render() -> String {
    let labels = bars.map { MarkdownText.plain($0.label) }
    let labelWidth = labels.map(\.count).max() ?? 0
    let maximum = bars.map(\.value).max() ?? 0
    var lines = ["```text"]
    for (bar, label) in zip(bars, labels) {
      let drawn = Self.bar(bar.value, of: maximum, width: width)
      let padding = String(repeating: " ", count: labelWidth - label.count)
      let gap = String(repeating: " ", count: width + 1 - drawn.count)
      lines.append(label + padding + " " + drawn + gap + MarkdownText.plain(bar.caption))
    }
    lines.append("```")
    return lines.joined(separator: "\n") + "\n"
  }
}
