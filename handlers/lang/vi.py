"""Vietnamese wording (the default language). Same keys and placeholders as `en.py`; see
`handlers/lang/__init__.py` for how to add one."""

MESSAGES: dict[str, str] = {
    # --- the command menu (setMyCommands) and /help; usage lines are HTML (&lt; &gt;) ---------
    "cmd.start": "Giới thiệu và câu hỏi mẫu",
    "cmd.start.usage_html": "/start — giới thiệu, dữ liệu hiện có và câu hỏi mẫu",
    "cmd.help": "Hướng dẫn sử dụng",
    "cmd.help.usage_html": "/help — hướng dẫn này",
    "cmd.muctieu": "Chỉ tiêu theo chủ đề, tỉnh, năm",
    "cmd.muctieu.usage_html": ("/muctieu &lt;chủ đề&gt; [tỉnh] [năm] — các chỉ tiêu định lượng, "
                               "ví dụ: /muctieu dịch vụ công trực tuyến"),
    "cmd.tinh": "Các tỉnh và văn bản đã có",
    "cmd.tinh.usage_html": "/tinh — các tỉnh, thành phố và văn bản trong dữ liệu",
    "cmd.vanban": "Xem một văn bản theo số hiệu",
    "cmd.vanban.usage_html": "/vanban &lt;số hiệu&gt; — thông tin một văn bản, ví dụ: /vanban 4168",
    "cmd.privacy": "Dữ liệu bot lưu lại",
    "cmd.privacy.usage_html": "/privacy — bot lưu gì và vì sao",
    "cmd.lang": "Ngôn ngữ: tiếng Việt / English",
    "cmd.lang.usage_html": "/lang vi | en — đổi ngôn ngữ giao diện (tiếng Việt / English)",
    # --- bot profile (setMyDescription ≤ 512, setMyShortDescription ≤ 120 characters) -------
    "bot.description": ("Tra cứu kế hoạch cải cách hành chính (CCHC) của các tỉnh, thành phố và bộ, ngành: "
                        "chỉ tiêu, thời hạn, cơ quan chủ trì, mục tiêu PAR INDEX, SIPAS, PAPI, PCI. "
                        "Mỗi câu trả lời là đoạn trích nguyên văn kèm số hiệu, ngày và đường dẫn văn bản "
                        "nguồn. Gõ câu hỏi có dấu hoặc không dấu, tên tỉnh cũ hay mới đều được."),
    "bot.short_description": "Hỏi đáp kế hoạch cải cách hành chính: trích nguyên văn, kèm văn bản nguồn.",
    # --- /start, /help, /privacy -------------------------------------------------------------
    "start.hello": "Xin chào! Mình là trợ lý tra cứu kế hoạch cải cách hành chính (CCHC).",
    "start.intro": "Mình trả lời bằng trích dẫn nguyên văn từ các kế hoạch, kèm văn bản nguồn.",
    "start.counts": "📚 Hiện có {documents} văn bản, {clauses} đoạn trích và {targets} chỉ tiêu.",
    "start.provinces": "🗺 {count} tỉnh, thành phố: {names}.",
    "start.years": "📅 Năm: {years}.",
    "start.updated": "🔄 Cập nhật: {date}.",
    "start.ask": "Hãy gõ câu hỏi, hoặc chọn một câu hỏi mẫu:",
    "start.help_hint": "Gõ /help để xem các lệnh.",
    "names.more": "{names} và {more} nơi khác",
    "help.title": "Cách dùng",
    "help.how": "Gõ câu hỏi bằng tiếng Việt (có dấu hoặc không dấu), ví dụ:",
    "help.results": "Mình trả về tối đa 3 đoạn trích phù hợp nhất, chỉ tiêu in đậm, kèm văn bản nguồn.",
    "help.commands": "Lệnh",
    "help.admin": "Dành cho quản trị viên",
    "help.console": "Trong cửa sổ này: gõ + để xem thêm kết quả, /quit để thoát.",
    "help.groups_title": "Trong nhóm",
    "help.groups": "Nhắc tên bot (@tên_bot câu hỏi) hoặc trả lời tin nhắn của bot.",
    "help.inline_title": "Ở mọi cuộc trò chuyện",
    "help.inline": "Gõ @tên_bot và câu hỏi để chèn chỉ tiêu kèm nguồn vào tin nhắn.",
    "privacy.title": "Quyền riêng tư",
    "privacy.questions": ("Với mỗi câu hỏi (trong chat hoặc chế độ inline), bot lưu: thời điểm, nội dung câu hỏi, "
                          "có trả lời được hay không, thời gian xử lý, mã các đoạn trích đã trả về, chủ đề của "
                          "đoạn trích đầu tiên, kênh (chat/inline) và một mã bí danh của người hỏi."),
    "privacy.feedback": "Với mỗi lượt 👍/👎: thời điểm, mã bí danh, câu hỏi, mã các đoạn trích và đánh giá.",
    "privacy.pseudonym": ("Mã bí danh là HMAC-SHA256 của mã người dùng Telegram với một khoá bí mật cất ngoài tệp "
                          "nhật ký: chỉ có tệp nhật ký thì không thể biết ai đã hỏi. Bot không lưu tên, tên người "
                          "dùng, số điện thoại, mã người dùng hay mã nhóm Telegram."),
    "privacy.state": ("Để các nút dưới câu trả lời vẫn dùng được sau khi bot khởi động lại, bot giữ các câu hỏi "
                      "gần đây (người đã góp ý chỉ lưu dạng bí danh) trong một tệp trạng thái. Chỉ khi bạn chọn "
                      "ngôn ngữ bằng /lang, lựa chọn đó được lưu kèm mã người dùng Telegram để nhớ được."),
    "privacy.use": ("Dữ liệu chỉ dùng để thống kê và cải thiện bot, không chia sẻ cho bên thứ ba. "
                    "Vì vậy đừng gửi thông tin cá nhân trong câu hỏi."),
    # --- /lang --------------------------------------------------------------------------------
    "lang.set": "Đã chuyển sang tiếng Việt. Gõ /help để xem các lệnh.",
    "lang.usage": "Gõ /lang vi (tiếng Việt) hoặc /lang en (English). Đang dùng: tiếng Việt.",
    # --- answers --------------------------------------------------------------------------------
    "answer.header": "Kết quả {range}",
    "answer.for": "cho:",
    "answer.more_hint": "Gõ + để xem thêm kết quả.",
    "source.line": "Theo {document}",
    "source.first": "no",  # "yes": the source line introduces the clause instead of following it
    # Between the pieces of one answer: after an article, the date it resolves to; else the same date restated.
    "answer.part.resolves": "📅 Ngày cụ thể, theo văn bản:",
    "answer.part.also": "📅 Văn bản cũng ghi:",
    "date.day": "ngày {day}/{month}/{year}",
    "date.month": "tháng {month}/{year}",
    "date.year": "năm {year}",
    "province.now": "{then}, nay là {now}",
    "target.until": "đến {deadline}",
    "target.until_year": "đến năm {deadline}",
    "note.old_province": "ℹ️ {province} nay thuộc {current} (từ {since}).",
    "note.no_number": "📭 Bot chưa có văn bản số {numbers}.",
    "note.no_document": "📭 Chưa có văn bản của {provinces} về nội dung này.",
    "note.no_document_held": "📭 Chưa có văn bản của {provinces} về nội dung này; hiện có: {available}.",
    "note.no_document_instead": ("📭 Chưa có văn bản riêng của {provinces}; dưới đây là văn bản của {instead}, "
                                 "không phải của {provinces}."),
    "note.no_document_named": ("📭 Chưa có văn bản riêng của {provinces}; dưới đây là văn bản khác có nêu "
                               "{named}."),
    "note.no_match": "📭 Chưa có văn bản của {provinces} về nội dung này; hiện có: {held}.",
    "note.no_year": "📭 Chưa có kế hoạch năm {years} của {provinces}.",
    "note.no_year_held": "📭 Chưa có kế hoạch năm {years} của {provinces}; có: {available}.",
    "note.no_year_current": "Của {current} (nay gồm cả {provinces}) có: {available}.",
    "note.too_short": "✍️ Câu hỏi quá ngắn để tìm: hãy viết thêm vài từ về nội dung cần hỏi, ví dụ:",
    "note.english": "🇬🇧 Answer quoted verbatim from the Vietnamese source document below.",
    "note.english_source": "🇬🇧 Answer quoted verbatim, in Vietnamese, from {document}.",
    "note.english_none": "🇬🇧 The administrative-reform plans the bot holds do not answer this question.",
    "not_answered": "🤔 Các kế hoạch cải cách hành chính hiện có không đề cập đến nội dung này",
    "not_answered.topics": "Có thể bạn muốn hỏi về:",
    "not_answered.buttons": "Có thể bạn muốn hỏi về một trong các chủ đề dưới đây.",
    "not_answered.rephrase": "Hãy thử diễn đạt khác, ví dụ:",
    # --- buttons and their toasts ---------------------------------------------------------------
    "button.more": "Xem thêm ▶",
    "button.back": "◀ Trước",
    "button.sources": "📄 Nguồn",
    "button.sources_n": "📄 Nguồn {number}",
    "feedback.thanks": "Cảm ơn bạn đã góp ý!",
    "feedback.already": "Bạn đã góp ý cho câu trả lời này rồi.",
    "button.stale": "Câu hỏi này đã cũ, vui lòng gửi lại câu hỏi.",
    "button.no_more": "Không còn kết quả nào khác.",
    "button.unknown": "Nút này không còn dùng được.",
    # --- small talk, hints, errors ---------------------------------------------------------------
    "greeting": ("Chào bạn! 👋 Hãy gõ câu hỏi về kế hoạch cải cách hành chính, ví dụ: "
                 "“{example}”. Gõ /help để xem hướng dẫn."),
    "thanks": "Rất vui được giúp bạn! Cần gì cứ hỏi tiếp nhé. 🙂",
    "media": "Mình chỉ đọc được tin nhắn chữ. Hãy gõ câu hỏi, ví dụ: “{example}”.",
    "flood": "Bạn đang hỏi hơi nhanh 🙏 — vui lòng đợi khoảng {seconds} giây rồi hỏi tiếp nhé.",
    "error": "Xin lỗi, đã có lỗi khi xử lý yêu cầu. Bạn vui lòng thử lại sau ít phút.",
    "unknown_command": "Mình chưa hiểu lệnh này. Gõ /help để xem các lệnh có thể dùng.",
    "admin_only": "Lệnh này chỉ dành cho quản trị viên.",
    "admin_private_only": "Lệnh quản trị chỉ dùng trong chat riêng với bot.",
    "empty_question": "Bạn muốn hỏi gì? Hãy gõ câu hỏi về kế hoạch cải cách hành chính.",
    # --- documents, provinces, targets ------------------------------------------------------------
    "card.number": "Số hiệu: {number}",
    "card.issued": "Ban hành: {date}",
    "card.signer": "Người ký: {signer}",
    "card.province": "Tỉnh, thành phố ban hành: {province}",
    "card.now": "Nay thuộc: {province}",
    "card.full_text": "🔗 Xem toàn văn",
    "card.section": "Mục: {section}",
    "card.excerpt": "Đoạn trích trong văn bản:",
    "document.not_found": "Không tìm thấy văn bản số “{number}”. Gõ /tinh để xem các văn bản hiện có.",
    "document.choose": ("Có {count} văn bản số “{number}” (mỗi tỉnh, thành phố có văn bản cùng số riêng). "
                        "Chọn một văn bản, hoặc gõ thêm tên tỉnh hay năm, ví dụ {example}:"),
    "document.more": "… và {count} văn bản khác: gõ thêm tên tỉnh hoặc năm để thu hẹp.",
    "vanban.usage": "Gõ /vanban kèm số hiệu, ví dụ: /vanban 4168 hoặc /vanban 4168/QĐ-UBND.",
    "muctieu.usage": ("Gõ /muctieu kèm chủ đề, có thể thêm tỉnh và năm, ví dụ: "
                      "/muctieu dịch vụ công trực tuyến, /muctieu thanh toán trực tuyến Hà Tĩnh 2026."),
    "provinces.none": "Chưa có văn bản nào trong dữ liệu.",
    "provinces.header": "{provinces} tỉnh, thành phố — {documents} văn bản",
    "provinces.unknown": "Không rõ tỉnh",
    "provinces.footer": "Gõ /vanban <số hiệu> để xem chi tiết một văn bản.",
    "targets.none": ("Không tìm thấy chỉ tiêu nào về “{scope}”. "
                     "Thử một chủ đề khác, ví dụ: /muctieu dịch vụ công trực tuyến."),
    "targets.header": "🎯 Chỉ tiêu về “{scope}” ({count})",
    # --- inline mode --------------------------------------------------------------------------------
    "inline.tip1": "Gõ câu hỏi sau tên bot",
    "inline.tip1.example": "Ví dụ: thanh toán trực tuyến — bot chèn chỉ tiêu kèm nguồn",
    "inline.tip2": "Hỏi về một chỉ tiêu",
    "inline.tip2.example": "Ví dụ: tỷ lệ hồ sơ trực tuyến toàn trình",
    "inline.tip3": "Hỏi theo tỉnh và năm",
    "inline.tip3.example": "Ví dụ: dịch vụ công trực tuyến Hà Tĩnh 2026",
    "inline.nothing": "Không tìm thấy trong các kế hoạch",
    # staff commands (issue 12): menu lines; their replies are at the end of this catalog
    "cmd.sosanh": "So sánh chỉ tiêu giữa các tỉnh (biểu đồ)",
    "cmd.sosanh.usage_html": ("/sosanh &lt;chỉ tiêu&gt; [năm | giai đoạn] — so sánh giữa các tỉnh, kèm biểu đồ, "
                              "ví dụ: /sosanh thanh toán trực tuyến 2025; /sosanh &lt;chỉ tiêu&gt; &lt;tỉnh&gt; — "
                              "một tỉnh qua các năm"),
    "cmd.nhiemvu": "Nhiệm vụ theo cơ quan hoặc chủ đề",
    "cmd.nhiemvu.usage_html": ("/nhiemvu &lt;cơ quan | chủ đề&gt; [tỉnh] — nhiệm vụ, cơ quan chủ trì, phối hợp, "
                               "thời hạn, ví dụ: /nhiemvu Sở Nội vụ"),
    "cmd.hanchot": "Việc đến hạn và quá hạn",
    "cmd.hanchot.usage_html": ("/hanchot [tháng | quý | năm] [tỉnh] — việc đến hạn trong kỳ và việc đã quá hạn, "
                               "ví dụ: /hanchot quý Cần Thơ"),
    "cmd.theodoi": "Nhận bản tin hằng tuần về hạn chót",
    "cmd.theodoi.usage_html": ("/theodoi &lt;tỉnh | cơ quan&gt; — "
                               "mỗi sáng thứ Hai nhận các việc đến hạn trong 30 ngày tới"),
    "cmd.huytheodoi": "Huỷ nhận bản tin",
    "cmd.huytheodoi.usage_html": "/huytheodoi [tỉnh | cơ quan] — thôi theo dõi (một mục, hoặc tất cả)",
    "cmd.xuat": "Xuất chỉ tiêu hoặc nhiệm vụ ra Excel",
    "cmd.xuat.usage_html": ("/xuat &lt;chỉ tiêu | cơ quan&gt; — tệp Excel (.xlsx) một dòng mỗi chỉ tiêu hoặc "
                            "nhiệm vụ, kèm văn bản nguồn"),
    # --- staff features (issue 12): /sosanh, /muctieu, /nhiemvu, /hanchot, /theodoi, /xuat ---------
    "button.chart": "📊 Biểu đồ",
    "button.file": "📎 Văn bản",
    "file.missing": "Tệp gốc của văn bản này không còn trong thư mục kế hoạch.",
    "file.sending": "Đang gửi văn bản…",
    "file.original_link": "🔗 Bản gốc trên cổng thông tin",
    "source.of": "Theo {document}",  # under a task, a digest line, a sent file
    "sosanh.usage": ("Gõ /sosanh kèm chỉ tiêu, có thể thêm năm, giai đoạn hoặc một tỉnh, ví dụ: "
                     "/sosanh thanh toán trực tuyến, /sosanh dịch vụ công trực tuyến 2021-2025, "
                     "/sosanh thanh toán trực tuyến Hà Nội."),
    "nhiemvu.usage": ("Gõ /nhiemvu kèm cơ quan hoặc chủ đề, có thể thêm tỉnh, ví dụ: "
                      "/nhiemvu Sở Nội vụ, /nhiemvu chuyển đổi số Cần Thơ."),
    "hanchot.usage": ("Gõ /hanchot, có thể thêm kỳ (tháng, quý, năm — hoặc tháng 12/2025, quý III/2025, 2026) "
                      "và tỉnh, ví dụ: /hanchot quý Cần Thơ."),
    "theodoi.usage": "Gõ /theodoi kèm tỉnh hoặc cơ quan, ví dụ: /theodoi Cần Thơ, /theodoi Sở Nội vụ.",
    "xuat.usage": "Gõ /xuat kèm chỉ tiêu hoặc cơ quan, ví dụ: /xuat thanh toán trực tuyến, /xuat Sở Nội vụ.",
    "deadline.month": "tháng {month}/{year}",
    "deadline.quarter": "quý {quarter}/{year}",
    "deadline.year": "năm {year}",
    "deadline.none": "không ghi hạn",
    "page.footer": "Trang {page}/{pages} · {total} {what}",
    "unit.targets": "chỉ tiêu",
    "unit.tasks": "nhiệm vụ",
    "scope.period": "giai đoạn {start}–{end}",
    "scope.year": "năm {year}",
    "kind.result": "kết quả đã đạt",
    "kind.target": "mục tiêu",
    "chart.head.result": "Kết quả đã đạt",
    "chart.head.target": "Chỉ tiêu (mục tiêu)",
    "chart.by_year": " — {place}, theo năm",
    "chart.by_province": " — theo tỉnh, thành phố",
    "chart.year": ", năm {year}",
    "chart.caption": "📊 {title}\nNguồn: {sources}",
    "compare.none": ("Không tìm thấy chỉ tiêu tính theo % nào về “{scope}” để so sánh. "
                     "Thử /muctieu để xem mọi chỉ tiêu của chủ đề này."),
    "compare.header": "📊 So sánh {kind}: “{scope}”",
    "compare.results_only": "Không có mục tiêu tính theo % về nội dung này; dưới đây là kết quả đã đạt.",
    "compare.includes": " (gồm {province})",
    "compare.more": "… và {count} chỉ tiêu khác (xem /xuat để tải đủ).",
    "task.overdue": " ⏰ đã quá hạn",
    "task.deadline": "Hạn: {when}",
    "task.lead": "Chủ trì: {agency}",
    "task.partners": "Phối hợp: {partners}",
    "tasks.none": ("Không tìm thấy nhiệm vụ nào về “{scope}” (theo cơ quan chủ trì, phối hợp "
                   "hoặc nội dung). Thử tên cơ quan khác, ví dụ: /nhiemvu Sở Nội vụ."),
    "tasks.header.agency": "📋 Nhiệm vụ do cơ quan chủ trì hoặc phối hợp “{scope}” ({count}), theo thời hạn",
    "tasks.header.topic": "📋 Nhiệm vụ về nội dung “{scope}” ({count}), theo thời hạn",
    "hanchot.header": "⏳ Hạn chót {window}{where}",
    "hanchot.today": "Tính đến hôm nay, {today}.",
    "hanchot.due": "Đến hạn trong {window} ({count})",
    "hanchot.more_due": "… và {count} việc khác (gõ /xuat hoặc /nhiemvu để xem đủ).",
    "hanchot.no_due": "Không có việc nào đến hạn trong kỳ này.",
    "hanchot.overdue": "Đã quá hạn ({count})",
    "hanchot.overdue_note": "Theo thời hạn ghi trong văn bản; bot không biết việc đã hoàn thành hay chưa.",
    "hanchot.more_overdue": "… và {count} việc khác.",
    "hanchot.no_overdue": "Không có việc nào đã quá hạn.",
    "hanchot.bad_window": "Không hiểu kỳ “{words}”. ",
    "theodoi.done": ("✅ Đã theo dõi “{subject}”. Mỗi sáng thứ Hai (giờ Việt Nam) bot gửi các việc đến hạn "
                     "trong 30 ngày tới. Đang theo dõi: {subjects}. Gõ /huytheodoi để thôi."),
    "theodoi.unknown": ("Không tìm thấy tỉnh hay cơ quan nào tên “{subject}” trong các nhiệm vụ. "
                        "Thử ví dụ: /theodoi Cần Thơ, /theodoi Sở Nội vụ."),
    "theodoi.limit": "Mỗi cuộc trò chuyện theo dõi được tối đa {n} mục. Gõ /huytheodoi để bỏ bớt.",
    "huytheodoi.none": "Bạn chưa theo dõi mục nào như vậy.",
    "huytheodoi.following": " Đang theo dõi: {subjects}.",
    "huytheodoi.done": "Đã thôi theo dõi: {subjects}.",
    "huytheodoi.left": " Vẫn theo dõi: {subjects}.",
    "digest.header": "🗓 Bản tin hạn chót tuần này ({today}): việc đến hạn trong 30 ngày tới",
    "digest.more": "… và {count} việc khác: gõ /hanchot để xem đủ.",
    "digest.stop": "Gõ /huytheodoi để thôi nhận bản tin.",
    "export.caption": "📥 {rows} {what} về “{subject}”, mỗi dòng kèm văn bản và đoạn trích nguồn.",
    "export.nothing": "Không tìm thấy chỉ tiêu hay nhiệm vụ nào về “{subject}” để xuất.",
}
