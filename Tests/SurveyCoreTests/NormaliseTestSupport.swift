import Foundation
import Testing

@testable import SurveyCore

/// The parent of the normalise stage's suites, so `swift test --filter Normalise` runs them all.
@Suite struct NormaliseTests {}

/// The shipped reference tables.
func shippedReference() throws -> ReferenceData { try ReferenceData.load(from: referenceFolder) }

/// A resolver over the shipped tables, with optional corrections.
func shippedResolver(_ corrections: [Correction] = []) throws -> PlaceResolver {
  PlaceResolver(reference: try shippedReference(), corrections: Corrections(corrections))
}

/// A correction entry as an analyst would write it.
func correction(_ column: String, _ written: String, _ means: String, file: String? = nil) -> Correction {
  Correction(
    column: column, written: written, means: means, sourceFile: file,
    location: InputLocation(file: "corrections.csv", line: 2))
}
