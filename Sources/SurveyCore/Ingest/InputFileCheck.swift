/// Checks on an input path before its bytes are read: links, folders and other things that are not files.
import Foundation

enum InputFileCheck {
  /// Why `url` cannot be ingested as a file, or nil when it is a regular file.
  static func problem(with url: URL) -> FileProblem? {
    var info = stat()
    guard lstat(url.path, &info) == 0 else { return .unreadable(String(cString: strerror(errno))) }
    switch info.st_mode & S_IFMT {
    case S_IFREG:
      let name = url.lastPathComponent
      guard !IngestStage.readsExtension(of: name) else { return nil }
      return .notAnExport(name.lastIndex(of: ".").map { name[$0...].lowercased() } ?? "")
    case S_IFLNK: return .symbolicLink
    case S_IFDIR: return .folder
    default: return .notRegularFile
    }
  }
}
