/// The few fields of an earlier run's `manifest.json` that later runs read, each on its own.
import Foundation

/// What later runs read of a run's `manifest.json`: how it ended, the run it was compared with, its artefacts.
///
/// One type for the choice of the previous run (`PreviousRun`), the chain of runs a waited file is looked for
/// back along (`WaitedFiles`) and the check of the previous artefacts (`RecordedArtefacts`), rather than a
/// partial reader each. Decoding the whole manifest would tie them to every field an older run may lack, so each
/// field is read apart and is nil when missing or not as this version writes it: a status a later version wrote
/// never hides `previous_run`, nor a damaged artefact list the status.
struct ManifestExcerpt: Decodable {
  /// As written (`RunStatus` when this version knows it).
  var status: String?
  var previousRun: String?
  var artefacts: [ManifestArtefact]?

  enum CodingKeys: String, CodingKey {
    case status, artefacts
    case previousRun = "previous_run"
  }

  init(from decoder: Decoder) throws {
    let fields = try decoder.container(keyedBy: CodingKeys.self)
    status = try? fields.decodeIfPresent(String.self, forKey: .status)
    previousRun = try? fields.decodeIfPresent(String.self, forKey: .previousRun)
    artefacts = try? fields.decodeIfPresent([ManifestArtefact].self, forKey: .artefacts)
  }

  /// The manifest of the run in `folder`; nil when it is missing or is no JSON object.
  static func read(in folder: URL) -> ManifestExcerpt? {
    try? StableJSON.read(ManifestExcerpt.self, from: folder.appendingPathComponent(ArtefactName.manifest))
  }
}
