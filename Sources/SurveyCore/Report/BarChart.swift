/// Horizontal bar charts drawn with Unicode block characters, which every mail client shows.

/// A bar chart inside a fenced code block, each entry as a label line with its figure, then its bar.
///
/// The label sits on its own line so the chart stays narrow enough for a phone (no sideways scrolling) and no
/// column has to line up after Vietnamese text, whose glyphs some monospaced fonts borrow from other fonts at
/// other widths. Bars use only the full and left-half blocks (█ ▌), which the common mail fonts all carry; the
/// finer eighth blocks fall back to other fonts and break the bars' lengths.
public struct BarChart: Sendable {
  /// One bar: its label, its value, and the figure written after the label.
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
  /// The longest bar, in character cells.
  public var width: Int

  public init(_ bars: [Bar], width: Int = 20) {
    self.bars = bars
    self.width = width
  }

  /// The bar for `value` against `maximum`, in half cells; any value above 0 shows at least ▌.
  public static func bar(_ value: Int, of maximum: Int, width: Int) -> String {
    guard maximum > 0, value > 0 else { return "" }
    let halves = max(1, (value * width * 2 * 2 + maximum) / (2 * maximum))
    return String(repeating: "█", count: halves / 2) + (halves % 2 == 1 ? "▌" : "")
  }

  /// The chart as a fenced code block, ending with a newline.
  public func render() -> String {
    let maximum = bars.map(\.value).max() ?? 0
    var lines = ["```text"]
    for bar in bars {
      lines.append(MarkdownText.plain(bar.label) + ": " + MarkdownText.plain(bar.caption))
      lines.append(Self.bar(bar.value, of: maximum, width: width))
    }
    lines.append("```")
    return lines.joined(separator: "\n") + "\n"
  }
}
