/// Further fuzzed entry points: the normaliser's parsers, added as they exist.
import SurveyCore

enum FuzzExtraTargets {
  static func run(_ text: String) {
    _ = text
  }
}
