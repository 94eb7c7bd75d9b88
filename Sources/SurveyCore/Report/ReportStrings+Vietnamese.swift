/// The report in Vietnamese, the department's language and the default.

extension ReportStrings {
  /// Vietnamese (the default).
  public static let vietnamese = ReportStrings(
    title: "Khảo sát nhu cầu hỗ trợ khuyến công",
    subtitle: "Tỉnh Thái Bình (cũ), nay thuộc tỉnh Hưng Yên · Sở Công Thương",
    runLabel: { "Lượt chạy: \($0)" },
    runAt: { id, day, time in "Lượt chạy \(id): \(time) ngày \(day) (giờ Việt Nam)" },
    surveyPeriod: { first, last, undated in
      "Các cơ sở trong số liệu này được khảo sát "
        + (first == last ? "ngày \(first)" : "từ ngày \(first) đến ngày \(last)")
        + (undated == "0"
          ? "." : " (\(undated) phiếu không ghi ngày khảo sát, ghi ngày không đọc được hoặc ngày sau ngày chạy).")
    },
    periodSpansAYear: { first, last in
      "**Ngày khảo sát cách nhau từ một năm trở lên** (từ \(first) đến \(last)): kiểm tra xem thư mục input còn tệp "
        + "của đợt khảo sát trước không; ngày khảo sát của từng tệp ở mục Chất lượng dữ liệu."
    },

    changesHeading: "Thay đổi so với lần chạy trước",
    firstRun: "Đây là lần chạy đầu tiên: chưa có lần chạy trước để so sánh.",
    noFileChanges: "Tệp khảo sát: không có tệp mới hay tệp thay đổi.",
    newFiles: "Tệp mới",
    changedFiles: "Tệp thay đổi",
    removedFiles: "Tệp không còn",
    waitingFiles:
      "Tệp đang được chép vào khi chạy, để lần chạy sau đọc (các cơ sở trong tệp không có trong số liệu và thứ hạng "
      + "lần này, cũng không tính là bớt)",
    comparedEarlier: { files, run in
      "Tệp còn đang được chép vào ở lần chạy trước nên tệp và các cơ sở trong tệp được so với lượt chạy \(run), "
        + "lần cuối tệp được đọc (thứ hạng vẫn so với lần chạy trước, khi các cơ sở này chưa được tính): \(files)."
    },
    referenceTablesChanged: "Bảng tham chiếu đã sửa (số liệu có thể thay đổi theo)",
    referenceFileNotRead: {
      "\($0) trong thư mục bảng tham chiếu không được đọc: bảng chỉ được đọc dưới dạng .csv, đúng tên như trong "
        + "`reference/README.md`; hãy lưu lại dạng CSV UTF-8 với đúng tên bảng, hoặc chuyển tệp ra khỏi thư mục"
    },
    folderNotRead: {
      "Thư mục \($0) trong thư mục input không được đọc: các tệp nằm trong thư mục con không được đọc; nếu có phiếu "
        + "khảo sát trong đó, hãy chuyển tệp ra thẳng thư mục input"
    },
    establishmentsChanged: { "Cơ sở: thêm **\($0)**, bớt **\($1)**" },
    establishmentsUnchanged: "Cơ sở: không thêm, không bớt",
    identityNote: "nhận biết theo mã số thuế, cơ sở không có mã số thuế theo tên và huyện",
    newEstablishmentsExamples: "Cơ sở mới",
    leftTop: { title, from, now in "\(title) (hạng \(from) → \(now.map { "\($0)" } ?? "không còn"))" },
    noMovement: { "Không đề xuất nào mới vào hay đổi hạng trong \($0) đề xuất đầu." },
    previousMissing: { "Lần chạy trước không có \($0): bỏ qua phần so sánh này." },
    // Why, in the cron log: the stages' messages are English, and their advice is for survey files.
    previousUnreadable: { file, _ in
      "Không đọc được \(file) của lần chạy trước (tệp hỏng, hoặc do phiên bản cũ ghi): bỏ qua phần so sánh này."
    },
    previousChanged: { file, _ in
      "Tệp \(file) của lần chạy trước đã bị sửa hoặc cắt bớt sau lần chạy đó (khác với bản ghi trong `manifest.json`): "
        + "bỏ qua phần so sánh này."
    },

    findingsHeading: "Điểm chính",
    surveyed: { "**\($0) cơ sở** được khảo sát ở \($1)/\($2) huyện, thành phố, với **\($3) lao động**." },
    topNeeds: "Nhu cầu nhiều nhất",
    tiedCount: { count, needs in needs > 1 ? "mỗi nội dung \(count)" : count },
    moreNeeds: { "\($0) nội dung khác" },
    needCount: { "\($0) cơ sở, \($1)" },
    notYetSupported: { "**\($0) cơ sở (\($1))** chưa từng được hỗ trợ khuyến công hoặc không trả lời câu này." },
    planFinding: { "**\($0)**: \($1), bằng **\($2)** so với \($3)." },
    planBeside: { "**\($0)**: \($1); chỉ tiêu: \($2), không cùng loại số liệu nên không so tỷ lệ." },
    planUnstated: { "**\($0)**: \($1); chỉ tiêu: \($2)." },
    topAction: { "Ưu tiên số 1: **\($0)** (\($1) điểm; \($2) cơ sở)." },
    topActionFew: {
      "Đề xuất này dựa trên dưới \($0) cơ sở có nhu cầu (“ít cơ sở”), nên điểm kém tin cậy: cần xem kỹ trước khi "
        + "quyết định."
    },
    dataFinding: { files, setAside, overlapping, review, rejected, decided in
      "Dữ liệu: \(files) tệp" + (setAside > 0 ? " (\(setAside) tệp bị để riêng)" : "")
        + (overlapping > 0
          ? ", **\(overlapping) tệp lặp lại dòng của tệp khác hoặc của chính nó, nên có cơ sở bị tính hai lần** (gửi "
            + "lại dưới tên mới, hoặc dán hai lần?)" : "")
        + "; \(review) dòng cần xem lại, "
        + (decided.map {
          "\($0.allRejected) dòng bị loại: \(rejected) dòng cần sửa, \($0.rows) dòng ngoài tỉnh theo quyết "
            + "định của cán bộ"
        } ?? "\(rejected) dòng bị loại")
        + " (xem mục Chất lượng dữ liệu)."
    },
    nothingCounted: "Chưa có cơ sở nào được tính: xem mục Chất lượng dữ liệu.",

    workersToTrain: { "\($0) lao động cần đào tạo" },
    establishmentsWithNeed: { "\($0) cơ sở có nhu cầu" },
    moneyRequested: { "\($0) đề nghị hỗ trợ" },
    amountsStatedBy: { "\($0)/\($1) cơ sở ghi kinh phí" },
    noAmountStated: "không cơ sở nào ghi kinh phí đề nghị",
    traineesStatedBy: { "\($0)/\($1) cơ sở ghi số lao động cần đào tạo" },
    noTraineesStated: "không cơ sở nào ghi số lao động cần đào tạo",
    establishmentsUnit: "cơ sở",
    workersUnit: "lao động",

    recommendationsHeading: "Đề xuất ưu tiên",
    recommendationsIntro: { shown, total in
      total == 1
        ? "Chỉ có 1 đề xuất, chấm điểm từ 0 đến 100 (cách tính ở cuối báo cáo)."
        : (shown >= total ? "Cả \(total) đề xuất" : "\(shown) đề xuất đầu trong \(total)")
          + ", xếp theo điểm từ 0 đến 100 (cách tính ở cuối báo cáo)."
    },
    recommendationsHeader: ["#", "Huyện", "Nhu cầu", "Cơ sở", "Điểm"],
    recommendationsFooter:
      "Danh sách đầy đủ, lý do và các cơ sở nên tiếp cận trước: `recommendations.csv` (mở được bằng Excel).",
    fewMark: "ít cơ sở",
    fewNote: { threshold, minimum in
      "“Ít cơ sở”: đề xuất dựa trên dưới \(threshold) cơ sở có nhu cầu, nên các tỷ lệ trong điểm dễ đạt 100% (như "
        + "\(minimum)/\(minimum) cơ sở chưa được hỗ trợ): cần xem kỹ trước khi quyết định."
    },
    noRecommendations: { "Chưa có đề xuất: không nhu cầu nào có từ \($0) cơ sở trở lên ở cùng một huyện." },
    planHeading: "So với kế hoạch 2021–2025",
    planHeader: ["Chỉ tiêu", "Kế hoạch", "Khảo sát", "Tỷ lệ"],
    planNote: "Khảo sát chỉ phản ánh các cơ sở đã trả lời phiếu, không phải toàn tỉnh.",
    sourceLabel: "Nguồn",
    provinceChartHeading: "Nhu cầu toàn tỉnh",
    provinceChartNote:
      "Số cơ sở có từng nhu cầu (tỷ lệ trên số cơ sở được khảo sát); một cơ sở có thể có nhiều nhu cầu.",
    noneAsked: "Chưa có cơ sở nào đề nghị",
    previousRankHeader: "Trước",
    newInTop: "mới",
    movementSummary: { entered, up, down, top in
      "\(top) đề xuất đầu: \(entered) mới vào, \(up) lên hạng, \(down) xuống hạng (cột “Trước” trong bảng Đề xuất ưu tiên)."
    },
    leftTopList: { "Rời nhóm \($0) đề xuất đầu" },

    districtsHeading: "Theo huyện, thành phố",
    districtsNote: {
      "Biểu đồ của mỗi huyện ghi tối đa \($0) nhu cầu được nêu nhiều nhất (cùng số cơ sở thì nhu cầu của các cơ sở có "
        + "nhiều lao động hơn đứng trước, rồi theo thứ tự trên phiếu); đủ chín nhu cầu có trong `aggregates.csv`."
    },
    districtsMoneyRounded: {
      "Kinh phí đề nghị của các huyện được làm tròn sao cho cộng lại bằng tổng toàn tỉnh (\($0)); "
        + "số chưa làm tròn có trong `aggregates.csv`."
    },
    chartTiesLeftOut: { count, establishments, needs, sameWorkers in
      "Không ghi trên biểu đồ: \(count) nhu cầu khác cũng có \(establishments) cơ sở"
        + (sameWorkers ? ", xếp sau theo số lao động rồi theo thứ tự trên phiếu" : " nhưng ít lao động hơn")
        + " (\(needs))."
    },
    districtMoney: { "đề nghị \($0)" },
    districtSummary: { "**\($0) cơ sở** · \($1) lao động · \($2) chưa được hỗ trợ · \($3)" },
    districtRecommendations: "Đề xuất",
    districtAction: { title, mark, rank, score, figures in
      "**\(title)**\(mark.map { " (\($0))" } ?? ""): hạng \(rank), điểm \(score); \(figures)."
    },
    actionFigures: { "\($0) cơ sở, \($1) lao động" },
    approachFirst: "Tiếp cận trước",
    noDistrictRecommendation: { "Chưa có đề xuất (cần từ \($0) cơ sở có cùng nhu cầu)." },
    noSurveyFrom: "Chưa có cơ sở nào được tính ở",
    groupsHeading: "Theo loại hình và ngành",
    typeHeader: ["Loại hình", "Cơ sở", "Lao động", "Nhu cầu nhiều nhất"],
    sectorHeader: ["Ngành", "Cơ sở", "Lao động", "Nhu cầu nhiều nhất"],

    dataHeading: "Chất lượng dữ liệu",
    dataSummary: { files, read, counted, duplicates, review, rejected, skipped, signature in
      "\(files) tệp, đọc được \(read) dòng: \(counted) được tính, \(duplicates) trùng đã gộp, \(review) cần xem lại, "
        + "\(rejected) bị loại, \(skipped) dòng trống, dòng tổng cộng hoặc dòng tiêu đề nhóm được bỏ qua"
        + (signature.map { ", \($0) dòng phần ký tên dưới bảng cũng được bỏ qua" } ?? "") + "."
    },
    dataHeader: ["Tệp", "Đọc", "Tính", "Gộp", "Xem lại", "Loại", "Bỏ qua", "Ngày khảo sát (cơ sở được tính)"],
    statusEmpty: "trống",
    statusSetAside: "để riêng",
    totalRow: "Tổng",
    setAsideProblem: { file, line in line.map { "\(file) bị để riêng (từ dòng \($0))" } ?? "\(file) bị để riêng" },
    emptyFile: { "\($0) không có dòng dữ liệu" },
    otherFilesSetAside: { count, endings, examples, more in
      "\(count) tệp không phải tệp xuất từ phiếu khảo sát bị để riêng (\(endings)): \(examples)"
        + (more.map { " và \($0) tệp khác" } ?? "")
        + "; chỉ đọc tệp .csv, .txt và .tsv: hãy chuyển các tệp này ra khỏi thư mục input"
    },
    otherFilesCounted: { count, endings in "\(count) tệp không phải tệp khảo sát (\(endings))" },
    fileWarning: { "\($0), lưu ý" },
    waitingFile: { "\($0) đang được chép vào khi bắt đầu chạy nên chưa được đọc; lần chạy sau sẽ đọc" },
    ignoredColumns: { "\($0), cột không được đọc (không có trong phiếu, hoặc trùng một cột đã đọc): \($1)" },
    moneyConverted: { file, columns in
      let each = columns.map { column in
        let unit =
          switch column.unit {
          case .thousandVND: "nghìn đồng"
          case .vnd: "đồng"
          case .billionVND: "tỷ đồng"
          case .millionVND, .unknown: "triệu đồng"
          }
        return "“\(column.header)” từ \(unit)"
      }
      return "\(file): số tiền được đổi sang triệu đồng theo đơn vị ghi ở tiêu đề cột, "
        + "\(each.joined(separator: ", ")) (ô tự ghi đơn vị thì giữ đơn vị của ô); nếu tiêu đề ghi sai đơn vị, "
        + "hãy sửa tiêu đề trong tệp gốc"
    },
    unusedCorrection: { entry, code in
      switch entry.reason {
      case .noMatch:
        "không khớp dòng nào trong lần chạy này: kiểm tra cách viết và cột \(code("source_file")), hoặc xoá dòng đó nếu tệp "
          + "không còn được gửi"
      case .fileSetAside: "chờ tệp của nó, tệp đã bị để riêng trong lần chạy này; sẽ áp dụng khi tệp được đọc"
      case .fileWaiting:
        "chờ tệp của nó, tệp đang được chép vào khi bắt đầu chạy; sẽ áp dụng khi tệp được đọc"
      case .filesWaiting:
        "không khớp dòng nào trong các tệp đã đọc lần này; các tệp đang được chép vào sẽ được đọc ở lần chạy sau: "
          + "kiểm tra lại sau lần chạy đó"
      case .noRow:
        "nêu một dòng không được tính trong lần chạy này (không có, bị loại hoặc cần xem lại): đối chiếu tên tệp và "
          + "số dòng với \(code("duplicates.csv"))"
      case .mergedByTaxCode:
        "nêu một dòng đã gộp theo mã số thuế, quyết định không tách được: nếu là hai cơ sở khác nhau, sửa mã số "
          + "thuế trong tệp khảo sát"
      case .notListed: "nêu một dòng không trùng tên và địa bàn với dòng nào, không có gì để quyết định: xoá dòng đó"
      case .hasTaxCode:
        "nêu một dòng có mã số thuế, chỉ được gộp theo mã số thuế, không bao giờ bị coi là có thể trùng: xoá dòng đó"
      case .standingRowNotCounted:
        "chọn giữ một dòng không được tính (không có, bị loại, cần xem lại, đã gộp, hoặc chính dòng đó): ghi dòng "
          + "được giữ trong \(code("duplicates.csv"))"
      case .settledEarlier: "nêu một dòng mà một dòng trước đã quyết định: chỉ giữ một dòng đúng"
      case .nameDiffers:
        "không áp dụng: dòng \(code(entry.foundRow ?? "")) là “\(entry.foundName ?? "")”, không phải "
          + "“\(entry.name ?? "")” (có thể tệp được gửi lại với các dòng ở chỗ khác, hoặc số dòng bị gõ nhầm): tìm "
          + "lại cơ sở theo tên trong \(code("duplicates.csv")) rồi sửa số dòng; nếu số dòng đúng mà hai dòng mang tên khác "
          + "nhau, chỉ ghi vào cột \(code("name")) những chữ cả hai tên cùng có"
      case .rowsNotCounted:
        "chờ các dòng của nó, chưa được tính trong lần chạy này vì lý do khác (xem \(code("review.csv")) và "
          + "\(code("rejects.csv"))); sẽ áp dụng khi các dòng đó được giải quyết"
      case .passedOver:
        "không quyết định dòng nào có cách viết đó: ô khác hoặc quyết định khác đã xác định địa bàn các dòng ấy (ô "
          + "huyện được giữ khi ô xã ghi một xã của huyện khác, như cột \(code("problems")) của dòng trong "
          + "\(code("establishments.csv")) ghi)"
      }
    },
    fileOverlap: { overlap, code, number in
      let same = overlap.file == overlap.other
      let twice =
        overlap.countedTwice == 0
        ? "; tất cả đã được gộp theo mã số thuế, không cơ sở nào bị tính hai lần"
        : "; \(number(overlap.countedTwice)) cơ sở trong đó không có mã số thuế nên "
          + (same ? "được tính hai lần" : "được tính ở cả hai tệp")
      if same {
        return "\(code(overlap.file)): \(number(overlap.rows)) trong \(number(overlap.of)) dòng lặp lại một dòng khác "
          + "của chính tệp này (cùng mã số thuế, hoặc cùng tên và địa bàn)\(twice): có thể bảng bị dán hai lần; hãy "
          + "xoá phần lặp rồi gửi lại tệp"
      }
      return "\(code(overlap.file)): \(number(overlap.rows)) trong \(number(overlap.of)) dòng trùng với dòng của "
        + "\(code(overlap.other)) (cùng mã số thuế, hoặc cùng tên và địa bàn)\(twice): nếu một tệp là bản gửi lại "
        + "của tệp kia, hãy chuyển bản cũ ra khỏi thư mục input"
    },
    fileProblem: { problem, number in
      switch problem {
      case .unreadable(let why): return "không đọc được tệp (\(why)): kiểm tra xem tệp còn trong thư mục không"
      case .unreadableName:
        return
          "tên tệp không đọc được (do hệ thống khác ghi, hoặc giải nén tệp zip sai bảng mã) nên không mở được tệp: "
          + "hãy đổi tên tệp"
      case .symbolicLink:
        return "là một liên kết (symbolic link), không phải tệp: hãy chép chính tệp khảo sát vào thư mục input"
      case .folder: return "là một thư mục, không phải tệp: hãy chuyển các tệp khảo sát trong đó ra thư mục input"
      case .notRegularFile:
        return "không phải tệp thông thường (là thiết bị, socket hoặc pipe): thư mục input chỉ để tệp khảo sát"
      case .emptyFile: return "tệp trống (0 byte)"
      case .tooLarge(let bytes, let limit):
        return "tệp nặng \(number(bytes)) byte, vượt giới hạn \(number(limit)) byte: hãy tách tệp, "
          + "hoặc kiểm tra lại đây có phải tệp khảo sát không"
      case .cannotOpen: return "không mở được tệp để đọc: kiểm tra quyền truy cập của tệp"
      case .binary:
        return "nội dung nhị phân, không phải tệp CSV dạng văn bản (tệp .xlsx hoặc ảnh bị đổi đuôi thành .csv?): "
          + "mở tệp bằng Excel rồi lưu lại dưới dạng \"CSV UTF-8\""
      case .lostLetters(let example):
        return "chữ bị mất khi lưu tệp: “\(example)” có dấu “?” (hoặc �) thay cho chữ; tệp đã được lưu dạng "
          + "“CSV (Comma delimited)” thường, không giữ được phần lớn chữ tiếng Việt, nên không đọc được tên, địa danh "
          + "và tiêu đề cột: hãy mở bảng tính gốc, lưu lại dưới dạng “CSV UTF-8 (Comma delimited)” rồi đặt lại tệp "
          + "vào thư mục input (dấu “?” không cho biết chữ bị mất là chữ gì, nên không sửa tay được)"
      case .notAnExport(let ending):
        if FileProblem.workbookEndings.contains(ending) {
          return "là tệp bảng tính (\(ending)), không được đọc: mở bằng Excel, lưu dưới dạng \"CSV UTF-8\" vào thư mục "
            + "input, rồi chuyển tệp \(ending) ra khỏi thư mục đó"
        }
        return "không phải tệp xuất từ phiếu khảo sát (\(ending.isEmpty ? "tên tệp không có đuôi" : ending)): chỉ đọc "
          + "tệp .csv, .txt và .tsv; hãy chuyển tệp ra khỏi thư mục input, hoặc xuất phiếu dưới dạng \"CSV UTF-8\""
      case .sameName(let earlier, let stamps):
        let apart = stamps.map {
          " (tệp này: \(number($0.thisBytes)) byte, sửa lúc \($0.thisChanged); tệp \(earlier): "
            + "\(number($0.otherBytes)) byte, sửa lúc \($0.otherChanged))"
        }
        return "trùng tên với tệp \(earlier), chỉ khác chữ hoa, chữ thường hoặc cách mã hoá dấu (tệp từ máy Mac), nên "
          + "các bước sau sẽ coi hai tệp là một; chỉ tệp \(earlier) được đọc (tệp đã đọc ở lần chạy trước, nếu không "
          + "thì tệp cũ hơn; nếu tệp đó đang được chép vào thì lần chạy sau sẽ đọc)\(apart ?? ""): hãy đổi tên tệp "
          + "này, hoặc xoá nếu đó là bản sao; nếu tệp \(earlier) không đọc được (dòng của tệp đó nói lý do), hãy sửa "
          + "tệp đó, hoặc xoá tệp đó và giữ tệp này"
      case .noHeader(let depth, let minimum):
        return "không tìm thấy dòng tiêu đề: trong \(depth) dòng đầu, không dòng nào có ít nhất \(minimum) tên cột "
          + "của phiếu (Tên cơ sở, Loại hình, Số lao động, ...); kiểm tra lại đây có phải tệp xuất từ phiếu khảo sát "
          + "không, nếu không phải thì chuyển tệp ra khỏi thư mục input"
      case .missingColumns(let names, let either, let address):
        var missing = names.map { "'\($0)'" }
        if either.count == 2 { missing.append("'\(either[0])' (hoặc '\(either[1])')") }
        if either.count == 2, let address {
          return "thiếu cột bắt buộc: \(missing.joined(separator: ", ")); tệp có cột địa chỉ ('\(address)') thay "
            + "vào đó, nhưng phiếu ghi xã/phường và huyện ở hai cột riêng: tách địa chỉ thành cột '\(either[1])' và "
            + "cột '\(either[0])' rồi đặt lại tệp vào thư mục input"
        }
        return "thiếu cột bắt buộc: \(missing.joined(separator: ", ")); thêm cột (hoặc sửa lại tên cột) rồi đặt lại "
          + "tệp vào thư mục input"
      case .noDataRows: return "không có dòng dữ liệu nào dưới dòng tiêu đề"
      case .unterminatedQuote:
        return "một ô mở dấu ngoặc kép ở dòng này nhưng không đóng lại: kiểm tra dấu ngoặc kép trên dòng này, "
          + "xuất lại bảng tính rồi đặt lại tệp vào thư mục input"
      case .malformedCSV(let why):
        return "tệp CSV sai cấu trúc (\(why)): có dấu ngoặc kép giữa một ô không nằm trong ngoặc kép, hoặc có chữ "
          + "sau dấu ngoặc kép đóng; sửa dấu ngoặc kép trên dòng này hoặc xuất lại bảng tính"
      case .fieldTooLong(let limit):
        return "có một ô dài hơn \(number(limit)) byte (dấu ngoặc kép chưa đóng?): kiểm tra dấu ngoặc kép từ dòng "
          + "này trở đi, xuất lại bảng tính rồi đặt lại tệp vào thư mục input"
      case .tooManyFields(let limit):
        return "có dòng nhiều hơn \(number(limit)) cột: kiểm tra ký tự phân cách, hoặc tách bảng tính"
      case .noNeedsColumn(let needs):
        return "không có cột '\(needs)' và không có cột nào trong chín cột nhu cầu: các cơ sở trong tệp được tính "
          + "là không có nhu cầu; nếu phiếu có hỏi, hãy đặt tên cột nhu cầu theo mẫu phiếu (một cột '\(needs)' ghi "
          + "các nhu cầu, hoặc mỗi nhu cầu một cột mang tên như trên phiếu, ví dụ 'Đào tạo nghề' hay "
          + "'\(needs) - Đào tạo nghề') rồi đặt lại tệp vào thư mục input"
      case .moneyUnitNotRead(let header):
        return "tiêu đề '\(header)' ghi đơn vị tiền không đọc được (chỉ đọc triệu đồng, nghìn đồng, đồng và tỷ đồng): "
          + "số tiền trong cột để trống, trừ ô tự ghi đơn vị; hãy sửa tiêu đề rồi đặt lại tệp vào thư mục input"
      case .other: return nil
      }
    },
    normaliseExtras: { possible, fuzzy, corrections in
      // Only what happened: "0 dòng ..." is no news in a mail.
      let parts = [
        possible == "0"
          ? nil
          : "\(possible) cơ sở có thể trùng (không có mã số thuế, cùng tên và địa chỉ: vẫn được tính; xem "
            + "`duplicates.csv`)",
        fuzzy == "0" ? nil : "\(fuzzy) dòng có địa danh được sửa lỗi chính tả tự động",
        corrections == "0" ? nil : "\(corrections) dòng áp dụng quyết định trong `corrections.csv`",
      ]
      return "Ngoài ra: " + parts.compactMap { $0 }.joined(separator: ", ") + "."
    },
    remarkedRows: {
      "\($0) cơ sở được tính kèm lưu ý ở cột `problems` trong `establishments.csv` (giá trị không đọc được, như "
        + "số lao động, kinh phí hay ngày khảo sát, hoặc bỏ trống số lao động; địa danh cần xem, trừ dòng cán bộ đã quyết định địa bàn "
        + "trong `corrections.csv`): bổ sung trong tệp gốc nếu phiếu có câu trả lời."
    },
    decidedOutsideRows: {
      "\($0) dòng cán bộ đã quyết định là ngoài tỉnh (`outside` trong `corrections.csv`): không tính, không cần "
        + "sửa; `rejects.csv` vẫn ghi các dòng này."
    },
    duplicatesAcrossDistricts: {
      "\($0) dòng trùng mã số thuế được gộp vào phiếu ở một huyện khác: mã số thuế có thể bị ghi nhầm, gộp hai cơ "
        + "sở làm một. `duplicates.csv` ghi rõ hai huyện; nếu là hai cơ sở khác nhau, sửa mã số thuế trong tệp gốc."
    },
    listedRejected: { shown, total, all in
      (all ? "Các dòng bị loại" : "\(shown) dòng đầu trong \(total) dòng bị loại (đầy đủ trong `rejects.csv`)")
        + ", cần sửa trong tệp gốc rồi gửi lại:"
    },
    listedReview: { shown, total, all in
      (all
        ? "Các dòng cần xem lại"
        : "\(shown) dòng đầu trong \(total) dòng cần xem lại (đầy đủ trong `review.csv`)")
        + "; ghi quyết định vào `corrections.csv` để lần chạy sau áp dụng:"
    },
    listedHeader: ["Tệp", "Dòng", "Lý do", "Cột", "Giá trị ghi"],
    suggestionsHeader: "Gợi ý (mã trong ngoặc)",
    listsIntro: "Danh sách chi tiết nằm trong thư mục của lượt chạy:",
    rejectsList: "các dòng bị loại, kèm tệp, dòng và lý do",
    reviewList: "các dòng cần cán bộ xem lại (địa danh không rõ, hoặc xã/phường nằm trên hai huyện)",
    duplicatesList: "các dòng trùng đã gộp (kèm dòng được giữ lại), và các cơ sở có thể trùng (vẫn tính cả hai)",

    methodHeading: "Cách tính",
    methodUnit: { minimum, inTable in
      "Mỗi đề xuất là một nội dung hỗ trợ ở một huyện, thành phố; chỉ xét những đề xuất có từ \(minimum) cơ sở có nhu cầu"
        + (inTable ? " (ngưỡng `min_establishments` trong `recommend-settings.csv`)." : ".")
    },
    methodBySector: { "\($0): đề xuất theo từng ngành trong huyện, vì \($1)." },
    methodNoSector:
      "Cơ sở chưa ghi ngành nghề không được xếp vào các đề xuất theo ngành (vẫn được tính ở các bảng trên): bổ "
      + "sung ngành nghề trong tệp gốc để các cơ sở này được xếp hạng.",
    methodFactors: "Điểm (0–100) cộng năm yếu tố, mỗi yếu tố từ 0 đến 1, nhân trọng số trong `scoring-weights.csv`:",
    methodWeight: { "trọng số \($0)" },
    factorDefaults: [
      .demand: "Số cơ sở có nhu cầu, so với đề xuất có nhiều cơ sở nhất",
      .reach: "Số lao động của các cơ sở đó, so với đề xuất có nhiều lao động nhất",
      .unsupported: "Tỷ lệ các cơ sở đó chưa từng được hỗ trợ khuyến công",
      .intensity: "Tỷ lệ cơ sở được khảo sát trong huyện (hoặc trong cùng ngành của huyện) có nhu cầu này",
      .plan: "Bằng 1 nếu kế hoạch 2021–2025 có chỉ tiêu cho nội dung này",
    ],
    methodFormula: "Điểm = 100 × tổng (trọng số × yếu tố) ÷ tổng các trọng số, làm tròn một chữ số thập phân.",
    methodTies:
      "Bằng điểm thì xếp trước đề xuất có nhiều cơ sở hơn, rồi nhiều lao động hơn, rồi theo mã huyện, thứ tự nhu cầu "
      + "và ngành nghề.",
    methodFew: { threshold, minimum in
      "Đề xuất dựa trên dưới \(threshold) cơ sở có nhu cầu được ghi “ít cơ sở” (ngưỡng `few_establishments` trong "
        + "`recommend-settings.csv`): với ít cơ sở như vậy, các yếu tố là tỷ lệ (`unsupported`, `intensity`) dễ bằng 1, "
        + "như khi \(minimum)/\(minimum) cơ sở chưa được hỗ trợ, nên điểm kém tin cậy; điểm và thứ hạng vẫn tính như trên."
    },
    methodFewOff: { threshold in
      threshold.map {
        "Không đề xuất nào được ghi “ít cơ sở”: ngưỡng `few_establishments` trong `recommend-settings.csv` là \($0), "
          + "không lớn hơn số cơ sở tối thiểu của một đề xuất."
      }
        ?? "Không đề xuất nào được ghi “ít cơ sở” (dựa trên ít cơ sở có nhu cầu): thư mục bảng tham chiếu không có "
        + "`recommend-settings.csv`."
    },
    methodShortlist: "Cơ sở nên tiếp cận trước: cơ sở chưa được hỗ trợ trước, rồi cơ sở nhiều lao động hơn.",
    methodCounting:
      "Một cơ sở có nhiều nhu cầu được tính ở từng nhu cầu. “Chưa được hỗ trợ” gồm cả cơ sở không trả lời câu này. "
      + "Kinh phí đề nghị là số các cơ sở tự ghi, cộng lại.",
    methodSources: "Chỉ tiêu và kinh phí lấy từ `plan-targets.csv`",

    rationale: { asking, surveyed, place, share, workers, unsupported in
      "\(asking)/\(surveyed) cơ sở \(place) có nhu cầu (\(share)), \(workers) lao động; "
        + "\(unsupported) cơ sở chưa từng được hỗ trợ"
    },
    rationaleTrainees: { "; \($0) lao động cần đào tạo" },
    rationaleMoney: { "; các cơ sở này đề nghị tổng \($0)" },
    sectorInDistrict: { "ngành \($0) ở \($1)" },
    inDistrict: { "ở \($0)" },
    listSeparator: ", "
  )
}
