/// scripts/run-pipeline's check that the executables are up to date: SwiftPM is asked only when a source file,
/// the package's files or the swift in use differ from when the script last built them, or an executable is missing.
///
/// Each test runs the script from a checkout of its own (the two scripts, a package's files, the reference tables)
/// with a `swift` on the PATH that notes each call and builds nothing: the build folder's executables are the ones
/// `swift test` built.
import Foundation
import Testing

@Suite(.serialized) struct RunPipelineBuildCheckTests {
  struct Checkout {
    let work: Workdir
    var root: URL { work.root.appendingPathComponent("checkout") }
    var build: URL { work.root.appendingPathComponent("build") }
    var tools: URL { work.root.appendingPathComponent("tools") }
    var calls: URL { work.root.appendingPathComponent("swift-calls") }
    var source: URL { root.appendingPathComponent("Sources/SurveyCore/Stage.swift") }
    var stamp: URL { build.appendingPathComponent("run-pipeline-built-from") }

    init() throws {
      work = try Workdir()
      let manager = FileManager.default
      let scripts = root.appendingPathComponent("scripts")
      try manager.createDirectory(at: scripts, withIntermediateDirectories: true)
      for name in ["run-pipeline", "bootstrap"] {
        try manager.copyItem(at: Paths.script(name), to: scripts.appendingPathComponent(name))
      }
      try manager.createDirectory(at: root.appendingPathComponent("input"), withIntermediateDirectories: true)
      try manager.copyItem(
        at: Paths.repository.appendingPathComponent("input/reference"),
        to: root.appendingPathComponent("input/reference"))
      try manager.createDirectory(at: source.deletingLastPathComponent(), withIntermediateDirectories: true)
      try Data("// swift-tools-version:6.0\n".utf8).write(to: root.appendingPathComponent("Package.swift"))
      try Data("let stage = 1\n".utf8).write(to: source)
      // The build folder's executables are the work folder's links to the built ones.
      try manager.createDirectory(at: build, withIntermediateDirectories: true)
      try manager.createSymbolicLink(at: build.appendingPathComponent("release"), withDestinationURL: work.bin)
      try manager.createDirectory(at: tools, withIntermediateDirectories: true)
      let swift = tools.appendingPathComponent("swift")
      let fails = tools.appendingPathComponent("fail").path
      try Data("#!/bin/sh\necho \"$*\" >> '\(calls.path)'\n[ ! -e '\(fails)' ]\n".utf8).write(to: swift)
      try manager.setAttributes([.posixPermissions: 0o755], ofItemAtPath: swift.path)
    }

    func remove() { work.remove() }

    /// Runs the checkout's run-pipeline on the work folder's input, with no SURVEY_BIN_DIR.
    func run() throws -> Finished {
      var environment = work.environment([
        "SURVEY_BUILD_PATH": build.path,
        "PATH": tools.path + ":" + (ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin"),
      ])
      environment["SURVEY_BIN_DIR"] = nil
      return try Started(
        root.appendingPathComponent("scripts/run-pipeline"),
        ["--input", work.input.path, "--output", work.output.path, "--settle", "0"],
        environment: environment, logs: work.root
      ).wait()
    }

    /// The builds asked of SwiftPM so far.
    func swiftCalls() -> [String] {
      ((try? String(contentsOf: calls, encoding: .utf8)) ?? "").split(separator: "\n").map(String.init)
    }
  }

  @Test func swiftIsAskedOnTheFirstRunAndAgainOnlyWhenASourceChanges() throws {
    let checkout = try Checkout()
    defer { checkout.remove() }

    expectComplete(try checkout.run())
    #expect(checkout.swiftCalls().count == 1)
    #expect(checkout.swiftCalls().first?.hasPrefix("build -c release") == true, "\(checkout.swiftCalls())")
    #expect(FileManager.default.fileExists(atPath: checkout.stamp.path))

    // Nothing changed: the executables are taken as they are.
    expectComplete(try checkout.run())
    #expect(checkout.swiftCalls().count == 1)

    // An edit (or a pull) gives the file another time, and SwiftPM is asked again; then not again.
    try Data("let stage = 2\n".utf8).write(to: checkout.source)
    try FileManager.default.setAttributes(
      [.modificationDate: Date().addingTimeInterval(5)], ofItemAtPath: checkout.source.path)
    expectComplete(try checkout.run())
    #expect(checkout.swiftCalls().count == 2)
    expectComplete(try checkout.run())
    #expect(checkout.swiftCalls().count == 2)

    // A new file in Sources, and an executable gone, are changes too.
    try Data("let more = 1\n".utf8).write(
      to: checkout.source.deletingLastPathComponent().appendingPathComponent("More.swift"))
    expectComplete(try checkout.run())
    #expect(checkout.swiftCalls().count == 3)
    let report = checkout.build.appendingPathComponent("release/survey-report")
    try FileManager.default.removeItem(at: report)
    let finished = try checkout.run()
    // The fake swift builds nothing, so the run then fails for want of survey-report; what counts is the ask.
    #expect(finished.code != 0 && finished.code != 1, "\(finished)")
    #expect(checkout.swiftCalls().count == 4)
  }

  @Test func aFailedBuildStopsTheRunAndIsTriedAgainNextTime() throws {
    let checkout = try Checkout()
    defer { checkout.remove() }
    expectComplete(try checkout.run())
    #expect(checkout.swiftCalls().count == 1)

    try Data("let stage = 3\n".utf8).write(to: checkout.source)
    try FileManager.default.setAttributes(
      [.modificationDate: Date().addingTimeInterval(5)], ofItemAtPath: checkout.source.path)
    _ = FileManager.default.createFile(atPath: checkout.tools.appendingPathComponent("fail").path, contents: nil)
    let failed = try checkout.run()
    #expect(failed.code == 70, "\(failed)")
    #expect(checkout.swiftCalls().count == 2)
    #expect(!FileManager.default.fileExists(atPath: checkout.stamp.path))
    #expect(try checkout.work.runs().count == 1, "a failed build makes no run folder")

    // Mended: the next run asks again, and the one after does not.
    try FileManager.default.removeItem(at: checkout.tools.appendingPathComponent("fail"))
    expectComplete(try checkout.run())
    #expect(checkout.swiftCalls().count == 3)
    expectComplete(try checkout.run())
    #expect(checkout.swiftCalls().count == 3)
  }
}
