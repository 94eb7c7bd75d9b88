/// A temporary file in a run folder that removes itself: for output held back until its input proves whole.
import Foundation

/// A buffered temporary file; deleted when dropped.
final class ScratchFile {
  let url: URL
  private let handle: FileHandle
  private var buffer: [UInt8] = []

  init(in directory: URL, name: String) throws {
    url = directory.appendingPathComponent(".\(name).scratch-\(getpid())")
    guard FileManager.default.createFile(atPath: url.path, contents: nil),
      let handle = FileHandle(forUpdatingAtPath: url.path)
    else {
      throw PipelineError(.io, "cannot create a scratch file in \(directory.path): is the folder writable?")
    }
    self.handle = handle
  }

  deinit {
    try? handle.close()
    try? FileManager.default.removeItem(at: url)
  }

  func write(_ text: String) throws {
    buffer.append(contentsOf: text.utf8)
    if buffer.count >= 1 << 16 { try flush() }
  }

  private func flush() throws {
    guard !buffer.isEmpty else { return }
    do { try handle.write(contentsOf: buffer) } catch { throw PipelineError.io("cannot write \(url.path)", error) }
    buffer.removeAll(keepingCapacity: true)
  }

  /// Copies everything written so far to `writer`.
  func copy(to writer: AtomicFileWriter) throws {
    try flush()
    do {
      try handle.seek(toOffset: 0)
      while let chunk = try handle.read(upToCount: 1 << 20), !chunk.isEmpty { try writer.write(bytes: chunk) }
    } catch {
      throw PipelineError.io("cannot read back \(url.path)", error)
    }
  }
}
