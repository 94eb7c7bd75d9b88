/// Checks on an input path before its bytes are read: links, folders and other things that are not files.
import Foundation

enum InputFileCheck {
  /// Why `url` cannot be ingested as a file, or nil when it is a regular file.
  static func problem(with url: URL) -> String? {
    var info = stat()
    guard lstat(url.path, &info) == 0 else {
      return "cannot be read (\(String(cString: strerror(errno)))): check that it still exists"
    }
    switch info.st_mode & S_IFMT {
    case S_IFREG: return nil
    case S_IFLNK:
      return "is a symbolic link, not a file: copy the survey file itself into the input folder"
    case S_IFDIR: return "is a folder, not a file: move the surveys inside it up into the input folder"
    default: return "is not a regular file (a device, socket or pipe): only survey files belong in the input folder"
    }
  }
}
