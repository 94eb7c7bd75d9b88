/// Checks on an input path before its bytes are read: links, folders and other things that are not files.
import Foundation

enum InputFileCheck {
  /// Why `url` cannot be ingested as a file, or nil when it is a regular file.
  static func problem(with url: URL) -> FileProblem? {
    var info = stat()
    let name = url.lastPathComponent
    guard lstat(url.path, &info) == 0 else {
      // A name in another encoding (a zip unpacked without its code page) reaches us with U+FFFD for its bytes,
      // and no file has that name.
      if name.unicodeScalars.contains("\u{FFFD}") { return .unreadableName }
      return .unreadable(String(cString: strerror(errno)))
    }
    switch info.st_mode & S_IFMT {
    case S_IFREG:
      guard !IngestStage.readsExtension(of: name) else { return nil }
      return .notAnExport(ending(of: name))
    case S_IFLNK: return .symbolicLink
    case S_IFDIR: return .folder
    default: return .notRegularFile
    }
  }

  /// The ending of a file name as messages show it (`.xlsx`): "" when the part after the last dot is no
  /// ending at all (`Khảo sát v1.2 final`, `x.`).
  static func ending(of name: String) -> String {
    guard let dot = name.lastIndex(of: "."), dot != name.startIndex else { return "" }
    let ending = name[name.index(after: dot)...]
    guard (1...8).contains(ending.count), ending.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber) }) else {
      return ""
    }
    return "." + ending.lowercased()
  }
}
