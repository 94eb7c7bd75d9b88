/// Files that appear whole or not at all: written under a temporary name, then renamed into place.
import Foundation
import Synchronization

/// The creation of temporary files, closed for good when the process is being stopped: a stage stopped with SIGTERM
/// removes its temporary files (`PipelineParent`), and a file created by another thread after it had listed them
/// would be left behind, half-written. With the gate closed first, every temporary file is either in its listing
/// or never made. Normalise's scratch file (`RowScratch`) is made and unlinked inside the gate, so it is never
/// left named either.
public enum TemporaryFileGate {
  private static let closed = Mutex(false)

  /// Opens `path` with `flags` (`O_CREAT` among them) unless the gate is closed (nil then); a `close()` waits for
  /// it. Returns the descriptor, or minus `errno` when the system refused, read before the gate's lock is let go.
  /// With `unlinked`, the file is unlinked as soon as it is made, inside the gate.
  static func create(_ path: String, _ flags: Int32, mode: mode_t, unlinked: Bool = false) -> Int32? {
    closed.withLock { closed in
      guard !closed else { return nil }
      let descriptor = open(path, flags, mode)
      guard descriptor >= 0 else { return -errno }
      if unlinked { unlink(path) }
      return descriptor
    }
  }

  /// Closes the gate: from now on `create` makes nothing.
  public static func close() {
    closed.withLock { $0 = true }
  }
}

/// A buffered writer to a temporary file beside the destination; `commit()` renames it into place.
///
/// If the writer is dropped without `commit()`, the temporary file is removed, so a failed stage leaves no
/// half-written artefact behind.
public final class AtomicFileWriter {
  public let destination: URL
  private let temporary: URL
  /// The temporary file's, open until `commit()` or `discard()`. Written through the system's calls, not a
  /// `FileHandle`, so that a refusal keeps its `errno` for `DiskAdvice`.
  private let descriptor: Int32
  private var buffer: [UInt8] = []
  /// Bytes handed to the file so far (the buffer not counted).
  private var flushed: UInt64 = 0
  private var done = false
  private static let flushThreshold = 1 << 16

  public init(_ destination: URL) throws {
    self.destination = destination
    let directory = destination.deletingLastPathComponent()
    temporary = directory.appendingPathComponent(".\(destination.lastPathComponent).tmp-\(getpid())")
    let path = temporary.path
    guard let descriptor = TemporaryFileGate.create(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, mode: 0o666) else {
      throw PipelineError(.io, "cannot create \(temporary.path): the stage is being stopped")
    }
    guard descriptor >= 0 else {
      throw PipelineError(.io, "cannot create \(temporary.path): \(DiskAdvice.create(-descriptor))")
    }
    self.descriptor = descriptor
    buffer.reserveCapacity(Self.flushThreshold * 2)
  }

  deinit { discard() }

  /// Closes and removes the temporary file, leaving any older file in place; nothing more is written. A writer
  /// not committed does this when it goes, but one shared with other threads may go later than the error that
  /// stopped its work.
  public func discard() {
    guard !done else { return }
    done = true
    close(descriptor)
    unlink(temporary.path)
  }

  /// Appends UTF-8 text.
  public func write(_ text: String) throws {
    buffer.append(contentsOf: text.utf8)
    if buffer.count >= Self.flushThreshold { try flush() }
  }

  /// Appends raw bytes.
  public func write(bytes: some Sequence<UInt8>) throws {
    buffer.append(contentsOf: bytes)
    if buffer.count >= Self.flushThreshold { try flush() }
  }

  /// Appends raw bytes with one copy; a large run goes straight to the file.
  func write(raw bytes: UnsafeRawBufferPointer) throws {
    guard bytes.count >= Self.flushThreshold else {
      buffer.append(bytes: bytes)
      if buffer.count >= Self.flushThreshold { try flush() }
      return
    }
    try flush()
    try put(bytes)
  }

  private func flush() throws {
    guard !buffer.isEmpty else { return }
    try buffer.withUnsafeBytes { try put($0) }
    buffer.removeAll(keepingCapacity: true)
  }

  /// Writes `bytes` to the file after what it holds.
  private func put(_ bytes: UnsafeRawBufferPointer) throws {
    // Its descriptor closed, the number may be another file's by now.
    guard !done else { throw PipelineError(.io, "cannot write \(destination.path): it was already closed") }
    guard FileRange.write(descriptor, bytes, at: Int(flushed)) else {
      throw DiskAdvice.writeFailure("write", destination.path, errno)
    }
    flushed += UInt64(bytes.count)
  }

  /// How many bytes have been written so far.
  var position: UInt64 { flushed + UInt64(buffer.count) }

  /// Cuts what has been written back to its first `length` bytes; later writes follow them.
  func truncate(to length: UInt64) throws {
    precondition(length <= position, "cannot truncate \(destination.lastPathComponent) forward")
    if length >= flushed {
      buffer.removeLast(Int(position - length))
      return
    }
    buffer.removeAll(keepingCapacity: true)
    // Writes go at `flushed`, so cutting the file and moving that mark is all it takes.
    guard ftruncate(descriptor, off_t(length)) == 0 else {
      throw DiskAdvice.writeFailure("cut back", destination.path, errno)
    }
    flushed = length
  }

  /// Flushes, syncs and renames the file into place, replacing any older one.
  ///
  /// - Parameter synchronize: false for a file that may be lost in a crash, to spare the stage a wait on the disk:
  ///   a staged-rows companion (a reader that finds it damaged or missing reads the CSV), and the staged CSVs
  ///   `ingested.csv` and `establishments.csv`, which a crash leaves in a run without a manifest, never read
  ///   again, or, in a run that had completed, cut short where the next run's check against its manifest finds
  ///   it (`RecordedArtefacts`).
  public func commit(synchronize: Bool = true) throws {
    try flush()
    // A disk that fills may refuse only here, when the kernel writes what it had accepted.
    if synchronize && fsync(descriptor) != 0 {
      throw DiskAdvice.writeFailure("finish", destination.path, errno)
    }
    done = true
    guard close(descriptor) == 0 else {
      let code = errno
      unlink(temporary.path)
      throw DiskAdvice.writeFailure("finish", destination.path, code)
    }
    guard rename(temporary.path, destination.path) == 0 else {
      let code = errno
      unlink(temporary.path)
      throw PipelineError(.io, "cannot rename into \(destination.path): \(DiskAdvice.reason(code))")
    }
  }

  /// Writes `text` to `url` atomically in one call.
  public static func write(_ text: String, to url: URL) throws {
    let writer = try AtomicFileWriter(url)
    try writer.write(text)
    try writer.commit()
  }
}
