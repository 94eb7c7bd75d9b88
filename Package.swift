// swift-tools-version: 6.0
// The khuyến công survey pipeline: four staged executables over one core library.
import PackageDescription

// Release executables carry the Swift runtime and Foundation inside them (issue 6): a stage starts in about
// 5 ms instead of 11 (no dynamic loading of libFoundation's symbols), and its calls into the runtime
// (retain, release) are direct. Each executable is about 95 MB instead of 26. The main module is compiled
// with the flag too, which makes it name the static libraries Foundation needs. Debug builds (the tests)
// link as before.
func commandTarget(_ name: String) -> Target {
  let release = BuildSettingCondition.when(platforms: [.linux], configuration: .release)
  return .executableTarget(
    name: name, dependencies: ["SurveyCLI"], swiftSettings: [.unsafeFlags(["-static-stdlib"], release)],
    linkerSettings: [.unsafeFlags(["-static-stdlib", "-use-ld=lld"], release)])
}

let package = Package(
  name: "survey-pipeline",
  platforms: [.macOS(.v13)],
  products: [
    .executable(name: "survey-ingest", targets: ["survey-ingest"]),
    .executable(name: "survey-normalise", targets: ["survey-normalise"]),
    .executable(name: "survey-aggregate", targets: ["survey-aggregate"]),
    .executable(name: "survey-report", targets: ["survey-report"]),
    .executable(name: "survey-run", targets: ["survey-run"]),
  ],
  dependencies: [
    .package(url: "https://github.com/apple/swift-argument-parser", from: "1.5.0"),
    .package(url: "https://github.com/apple/swift-log", from: "1.6.0"),
    .package(url: "https://github.com/JohnSundell/Ink", from: "0.6.0"),
    .package(url: "https://github.com/apple/swift-crypto", from: "3.12.0"),
    .package(url: "https://github.com/x-sheep/swift-property-based", from: "2.0.0"),
  ],
  targets: [
    // libcsv through a system library: Debian ships no .pc file, so no pkgConfig.
    .systemLibrary(name: "CLibCSV", providers: [.apt(["libcsv-dev"])]),
    .target(
      name: "SurveyCore",
      dependencies: [
        "CLibCSV", .product(name: "Ink", package: "Ink"),
        .product(name: "Crypto", package: "swift-crypto"),
      ]
    ),
    // prctl(PR_SET_PDEATHSIG), which Swift cannot call (variadic): the stages end with scripts/run-pipeline.
    .target(name: "CProcessControl"),
    .target(
      name: "SurveyCLI",
      dependencies: [
        "SurveyCore", "CProcessControl",
        .product(name: "ArgumentParser", package: "swift-argument-parser"),
        .product(name: "Logging", package: "swift-log"),
      ]
    ),
    commandTarget("survey-ingest"),
    commandTarget("survey-normalise"),
    commandTarget("survey-aggregate"),
    commandTarget("survey-report"),
    // The run's bookkeeping for scripts/run-pipeline: manifest, pruning, mail.
    commandTarget("survey-run"),
    // The fuzz target (Tests/Fuzz): libFuzzer entry under scripts/fuzz, a corpus replay tool otherwise.
    .executableTarget(name: "survey-fuzz", dependencies: ["SurveyCore"], path: "Tests/Fuzz"),
    .testTarget(
      name: "SurveyCoreTests",
      dependencies: ["SurveyCore", .product(name: "PropertyBased", package: "swift-property-based")],
      exclude: ["Fixtures"]
    ),
    .testTarget(
      name: "SurveyCLITests",
      dependencies: [
        "SurveyCore", "survey-ingest", "survey-normalise", "survey-aggregate", "survey-report", "survey-run",
        "survey-fuzz",
      ]
    ),
  ]
)
