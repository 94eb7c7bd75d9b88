/// The languages the report is written in.

/// A report language: Vietnamese for the department, English for visitors and reviewers.
public enum ReportLanguage: String, Sendable, CaseIterable {
  case vi
  case en
}
