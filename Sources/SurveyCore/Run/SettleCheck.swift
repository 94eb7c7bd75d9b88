/// Which input files are still being written, so a nightly run leaves them for the next one.
///
/// Analysts drop files whenever they like, sometimes over a slow share while cron starts. A file is unsettled
/// when its content changed within the settle window (the later of its mtime and ctime: copy tools can keep an
/// old mtime, but every write moves the ctime) or when its size or change time moves during a short probe.
/// Unsettled files are not read at all and are listed in the run folder, never touched.
import Foundation

/// What is known of one file's state at one moment.
public struct FileState: Equatable, Sendable {
  public var bytes: Int64
  /// The later of the last modification and the last status change.
  public var changed: Date

  public init(bytes: Int64, changed: Date) {
    self.bytes = bytes
    self.changed = changed
  }

  /// The state of the file at `url` without following a symbolic link, or nil when it cannot be read.
  public static func of(_ url: URL) -> FileState? {
    var info = stat()
    guard lstat(url.path, &info) == 0 else { return nil }
    func seconds(_ time: timespec) -> Double { Double(time.tv_sec) + Double(time.tv_nsec) / 1e9 }
    let latest = max(seconds(info.st_mtim), seconds(info.st_ctim))
    return FileState(bytes: Int64(info.st_size), changed: Date(timeIntervalSince1970: latest))
  }
}

/// A file left for the next run, and why.
public struct UnsettledFile: Codable, Sendable, Equatable {
  public var file: String
  public var bytes: Int64
  public var reason: String

  public init(file: String, bytes: Int64, reason: String) {
    self.file = file
    self.bytes = bytes
    self.reason = reason
  }
}

/// The list of unsettled files a run left alone, written as `unsettled.json`.
public struct UnsettledList: Codable, Sendable, Equatable {
  public var windowSeconds: Int
  public var files: [UnsettledFile]

  public init(windowSeconds: Int, files: [UnsettledFile]) {
    self.windowSeconds = windowSeconds
    self.files = files
  }

  enum CodingKeys: String, CodingKey {
    case files
    case windowSeconds = "window_seconds"
  }
}

extension UnsettledList {
  /// The list a run folder holds (`unsettled.json`); nil when it has none, or none that can be read.
  static func read(in runDirectory: URL) -> UnsettledList? {
    try? StableJSON.read(UnsettledList.self, from: runDirectory.appendingPathComponent(ArtefactName.unsettled))
  }
}

/// Splits input files into those settled enough to read now and those to leave for the next run.
public struct SettleCheck {
  /// A file changed less than this many seconds ago is left alone; 0 checks nothing.
  public var windowSeconds: Int
  /// How long to watch for growth; only when the window is not 0.
  public var probeSeconds: Double
  public var state: (URL) -> FileState?
  public var now: () -> Date
  public var pause: (Double) -> Void

  public init(
    windowSeconds: Int, probeSeconds: Double = 1, state: @escaping (URL) -> FileState? = FileState.of,
    now: @escaping () -> Date = Date.init, pause: @escaping (Double) -> Void = { Thread.sleep(forTimeInterval: $0) }
  ) {
    self.windowSeconds = windowSeconds
    self.probeSeconds = probeSeconds
    self.state = state
    self.now = now
    self.pause = pause
  }

  /// The files to read now, in their given order, and the ones left for the next run: `look`, then `moved`, which
  /// waits out the probe, then the window (`byWindow`) for the files that did not move.
  ///
  /// A file whose state cannot be read is passed on: the ingest stage then reports why it cannot be read.
  public func partition(_ files: [URL]) -> (settled: [URL], unsettled: [UnsettledFile]) {
    guard windowSeconds > 0, !files.isEmpty else { return (files, []) }
    let first = look(files)
    let moving = moved(since: first, among: files)
    let movedNames = Set(moving.map { Array($0.file.utf8) })
    let (settled, waiting) = byWindow(first, skipping: movedNames)
    return (settled, Self.inOrder(files, moving + waiting))
  }

  /// The states of `files` at one moment, for `byWindow` and `moved(since:among:)`.
  public struct Look {
    let files: [URL]
    let states: [FileState?]
    let at: Date
  }

  /// Takes the files' states now.
  public func look(_ files: [URL]) -> Look {
    Look(files: files, states: files.map(state), at: now())
  }

  /// By their change times at `look` alone: the files to read, in order, and those changed within the window,
  /// but for the files named in `skipping` (by their names' bytes), which are in neither.
  public func byWindow(_ look: Look, skipping: Set<[UInt8]> = []) -> (settled: [URL], unsettled: [UnsettledFile]) {
    guard windowSeconds > 0 else { return (look.files, []) }
    var settled: [URL] = []
    var unsettled: [UnsettledFile] = []
    for (url, state) in zip(look.files, look.states) where !skipping.contains(Array(url.lastPathComponent.utf8)) {
      guard let state else {
        settled.append(url)
        continue
      }
      let age = look.at.timeIntervalSince(state.changed)
      if abs(age) < Double(windowSeconds) {
        // A change time up to a window in the future (a share's clock ahead of ours) counts as just now;
        // one further off is a wrong clock, and waiting would leave the file out for ever.
        let ago = max(0, Int(age.rounded()))
        unsettled.append(
          UnsettledFile(
            file: url.lastPathComponent, bytes: state.bytes,
            reason: "changed \(ago) s ago, within the \(windowSeconds) s settle window"))
      } else {
        settled.append(url)
      }
    }
    return (settled, unsettled)
  }

  /// The files among `files` (all seen by `look`) whose size or change time moved since it, looked at once
  /// `probeSeconds` have passed since it (pausing for what is left of them): still being written. A file whose
  /// state cannot be read at either look is not among them.
  public func moved(since look: Look, among files: [URL]) -> [UnsettledFile] {
    guard windowSeconds > 0 else { return [] }
    let elapsed = now().timeIntervalSince(look.at)
    if elapsed < probeSeconds { pause(probeSeconds - max(elapsed, 0)) }
    let waited = max(probeSeconds, now().timeIntervalSince(look.at))
    let seconds = (waited * 100).rounded() / 100
    var before: [[UInt8]: FileState] = [:]
    for (url, state) in zip(look.files, look.states) { before[Array(url.lastPathComponent.utf8)] = state }
    return files.compactMap { url in
      guard let first = before[Array(url.lastPathComponent.utf8)], let second = state(url), second != first else {
        return nil
      }
      return UnsettledFile(
        file: url.lastPathComponent, bytes: second.bytes,
        reason: "still being written: \(first.bytes) bytes, then \(second.bytes) bytes \(seconds) s later")
    }
  }

  /// `left` in the order of `files` (by their names' bytes).
  static func inOrder(_ files: [URL], _ left: [UnsettledFile]) -> [UnsettledFile] {
    var place: [[UInt8]: Int] = [:]
    for (index, url) in files.enumerated() { place[Array(url.lastPathComponent.utf8)] = index }
    return left.sorted { (place[Array($0.file.utf8)] ?? .max) < (place[Array($1.file.utf8)] ?? .max) }
  }
}
