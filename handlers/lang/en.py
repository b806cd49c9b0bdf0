"""English wording, for users whose Telegram language is English or who chose /lang en. Same
keys and placeholders as `vi.py`; see `handlers/lang/__init__.py` for how to add one.

Answers stay the verbatim Vietnamese clause (the plans exist only in Vietnamese): the English
source line introduces it. Document names ("Quyết định 1256/QĐ-UBND") and province names are
proper names and stay as the documents write them.
"""

MESSAGES: dict[str, str] = {
    # --- the command menu (setMyCommands) and /help; usage lines are HTML (&lt; &gt;) ---------
    "cmd.start": "About the bot and example questions",
    "cmd.start.usage_html": "/start — what the bot knows and example questions",
    "cmd.help": "How to use the bot",
    "cmd.help.usage_html": "/help — this guide",
    "cmd.muctieu": "Targets by topic, province, year",
    "cmd.muctieu.usage_html": ("/muctieu &lt;topic&gt; [province] [year] — the numeric targets, "
                               "e.g. /muctieu dịch vụ công trực tuyến"),
    "cmd.tinh": "Provinces and their documents",
    "cmd.tinh.usage_html": "/tinh — the provinces, cities and documents the bot holds",
    "cmd.vanban": "One document by its number",
    "cmd.vanban.usage_html": "/vanban &lt;number&gt; — one document's details, e.g. /vanban 4168",
    "cmd.privacy": "What the bot stores",
    "cmd.privacy.usage_html": "/privacy — what the bot keeps and why",
    "cmd.lang": "Language: tiếng Việt / English",
    "cmd.lang.usage_html": "/lang vi | en — switch the interface language (tiếng Việt / English)",
    # --- bot profile (setMyDescription ≤ 512, setMyShortDescription ≤ 120 characters) -------
    "bot.description": ("Look up Vietnam's administrative-reform (CCHC) plans of provinces, cities and "
                        "ministries: targets, deadlines, lead agencies, PAR INDEX, SIPAS, PAPI and PCI goals. "
                        "Every answer is a verbatim clause (in Vietnamese) with the document's number, date "
                        "and link. Ask in English or Vietnamese, with or without diacritics."),
    "bot.short_description": "Administrative-reform plans of Vietnam: verbatim clauses with their source.",
    # --- /start, /help, /privacy -------------------------------------------------------------
    "start.hello": "Hello! I look up Vietnam's administrative-reform plans (CCHC).",
    "start.intro": "I answer with verbatim quotes from the plans (in Vietnamese) and name the source document.",
    "start.counts": "📚 {documents} documents, {clauses} clauses and {targets} targets.",
    "start.provinces": "🗺 {count} provinces and cities: {names}.",
    "start.years": "📅 Years: {years}.",
    "start.updated": "🔄 Updated: {date}.",
    "start.ask": "Type a question, or pick an example:",
    "start.help_hint": "Type /help for the commands.",
    "names.more": "{names} and {more} more",
    "help.title": "How to use",
    "help.how": "Type a question in English or Vietnamese (with or without diacritics), e.g.:",
    "help.results": "I return up to 3 best-matching clauses, targets in bold, with the source document.",
    "help.commands": "Commands",
    "help.admin": "For administrators (in Vietnamese)",
    "help.console": "In this window: type + for more results, /quit to leave.",
    "help.groups_title": "In groups",
    "help.groups": "Mention the bot (@bot_name question) or reply to one of its messages.",
    "help.inline_title": "In any chat",
    "help.inline": "Type @bot_name and a question to insert a target with its source.",
    "privacy.title": "Privacy",
    "privacy.questions": ("For each question (in chat or inline mode) the bot keeps: the time, the question, "
                          "whether it was answered, the processing time, the ids of the clauses returned, the "
                          "topic of the first clause, the channel (chat/inline) and a pseudonym of the asker."),
    "privacy.feedback": "For each 👍/👎: the time, the pseudonym, the question, the clause ids and the vote.",
    "privacy.pseudonym": ("The pseudonym is an HMAC-SHA256 of the Telegram user id under a secret key kept "
                          "outside the log: the log alone cannot tell who asked. The bot stores no names, "
                          "usernames, phone numbers, Telegram user ids or group ids."),
    "privacy.state": ("So that the buttons under an answer keep working after the bot restarts, it keeps recent "
                      "questions (who rated them only as a pseudonym) in a state file. Only if you choose a "
                      "language with /lang is that choice kept with your Telegram user id, to remember it."),
    "privacy.use": ("The data is used only for statistics and to improve the bot, never shared with third "
                    "parties. Please do not put personal information in questions."),
    # --- /lang --------------------------------------------------------------------------------
    "lang.set": "Switched to English. Type /help for the commands.",
    "lang.usage": "Type /lang en (English) or /lang vi (tiếng Việt). Current: English.",
    # --- answers --------------------------------------------------------------------------------
    "answer.header": "Results {range}",
    "answer.for": "for:",
    "answer.more_hint": "Type + for more results.",
    "source.line": "Quoted verbatim from {document}:",
    "source.first": "yes",  # "yes": the source line introduces the clause instead of following it
    # Between the pieces of one answer: after an article, the date it resolves to; else the same date restated.
    "answer.part.resolves": "📅 The date itself, as the document gives it:",
    "answer.part.also": "📅 The document also states:",
    "date.day": "{day}/{month}/{year}",
    "date.month": "{month}/{year}",
    "date.year": "{year}",
    "province.now": "{then}, now {now}",
    "target.until": "by {deadline}",
    "target.until_year": "by {deadline}",
    "note.old_province": "ℹ️ {province} is now part of {current} (since {since}).",
    "note.no_number": "📭 The bot does not hold document {numbers}.",
    "note.no_document": "📭 No document of {provinces} on this yet.",
    "note.no_document_held": "📭 No document of {provinces} on this yet; the bot holds: {available}.",
    "note.no_document_instead": ("📭 No document of {provinces} of its own; below are documents of {instead}, "
                                 "not of {provinces}."),
    "note.no_document_named": "📭 No document of {provinces} of its own; below are other documents naming {named}.",
    "note.no_match": "📭 No document of {provinces} on this yet; held: {held}.",
    "note.no_year": "📭 No {years} plan of {provinces} yet.",
    "note.no_year_held": "📭 No {years} plan of {provinces} yet; available: {available}.",
    "note.no_year_current": "{current} (which {provinces} is now part of) holds: {available}.",
    "note.too_short": "✍️ The question is too short to search: add a few words about what you need, e.g.:",
    "note.english": "🇬🇧 Answer quoted verbatim from the Vietnamese source document below.",
    "note.english_source": "🇬🇧 Answer quoted verbatim, in Vietnamese, from {document}.",
    "note.english_none": "🇬🇧 The administrative-reform plans the bot holds do not answer this question.",
    "not_answered": "🤔 The administrative-reform plans the bot holds do not cover this",
    "not_answered.topics": "Perhaps you meant:",
    "not_answered.buttons": "Perhaps you meant one of the topics below.",
    "not_answered.rephrase": "Try putting it differently, e.g.:",
    # --- buttons and their toasts ---------------------------------------------------------------
    "button.more": "More ▶",
    "button.back": "◀ Back",
    "button.sources": "📄 Source",
    "button.sources_n": "📄 Source {number}",
    "feedback.thanks": "Thank you for the feedback!",
    "feedback.already": "You have already rated this answer.",
    "button.stale": "This question is old; please send it again.",
    "button.no_more": "No more results.",
    "button.unknown": "This button no longer works.",
    # --- small talk, hints, errors ---------------------------------------------------------------
    "greeting": ("Hello! 👋 Ask about Vietnam's administrative-reform plans, e.g. "
                 "“{example}”. Type /help for the guide."),
    "thanks": "Glad to help! Ask again any time. 🙂",
    "media": "I can only read text messages. Type a question, e.g. “{example}”.",
    "flood": "You are asking a bit fast 🙏 — please wait about {seconds} seconds, then ask again.",
    "error": "Sorry, something went wrong with that request. Please try again in a few minutes.",
    "unknown_command": "I don't know this command. Type /help for the commands you can use.",
    "admin_only": "This command is for administrators only.",
    "admin_private_only": "Admin commands work only in a private chat with the bot.",
    "empty_question": "What would you like to ask? Type a question about the administrative-reform plans.",
    # --- documents, provinces, targets ------------------------------------------------------------
    "card.number": "Number: {number}",
    "card.issued": "Issued: {date}",
    "card.signer": "Signed by: {signer}",
    "card.province": "Issued by the province/city: {province}",
    "card.now": "Now part of: {province}",
    "card.full_text": "🔗 Full text",
    "card.section": "Section: {section}",
    "card.excerpt": "The clause in the document:",
    "document.not_found": "No document numbered “{number}”. Type /tinh for the documents the bot holds.",
    "document.choose": ("{count} documents are numbered “{number}” (each province has its own). Pick one, "
                        "or add a province or a year, e.g. {example}:"),
    "document.more": "… and {count} more: add a province or a year to narrow it down.",
    "vanban.usage": "Type /vanban with a document number, e.g. /vanban 4168 or /vanban 4168/QĐ-UBND.",
    "muctieu.usage": ("Type /muctieu with a topic, optionally a province and a year, e.g. "
                      "/muctieu dịch vụ công trực tuyến, /muctieu thanh toán trực tuyến Hà Tĩnh 2026."),
    "provinces.none": "There are no documents yet.",
    "provinces.header": "{provinces} provinces and cities — {documents} documents",
    "provinces.unknown": "Province unknown",
    "provinces.footer": "Type /vanban <number> for one document's details.",
    "targets.none": "No targets found on “{scope}”. Try another topic, e.g. /muctieu dịch vụ công trực tuyến.",
    "targets.header": "🎯 Targets on “{scope}” ({count})",
    # --- inline mode --------------------------------------------------------------------------------
    "inline.tip1": "Type a question after the bot's name",
    "inline.tip1.example": "E.g. online payment — inserts the target with its source",
    "inline.tip2": "Ask about a target",
    "inline.tip2.example": "E.g. share of applications processed fully online",
    "inline.tip3": "Ask by province and year",
    "inline.tip3.example": "E.g. online public services Hà Tĩnh 2026",
    "inline.nothing": "Not found in the plans",
    # staff commands (issue 12): menu lines; their replies are at the end of this catalog
    "cmd.sosanh": "Compare a target across provinces (chart)",
    "cmd.sosanh.usage_html": ("/sosanh &lt;indicator&gt; [year | period] — compare provinces, with a bar chart, "
                              "e.g. /sosanh thanh toán trực tuyến 2025; /sosanh &lt;indicator&gt; &lt;province&gt; — "
                              "one province over the years"),
    "cmd.nhiemvu": "Tasks by agency or topic",
    "cmd.nhiemvu.usage_html": ("/nhiemvu &lt;agency | topic&gt; [province] — tasks with lead agency, partners and "
                               "deadline, e.g. /nhiemvu Sở Nội vụ"),
    "cmd.hanchot": "What is due and overdue",
    "cmd.hanchot.usage_html": ("/hanchot [month | quarter | year] [province] — tasks due in the window and overdue "
                               "ones, e.g. /hanchot quý Cần Thơ"),
    "cmd.theodoi": "Weekly digest of deadlines",
    "cmd.theodoi.usage_html": ("/theodoi &lt;province | agency&gt; — every Monday morning, the tasks due in the "
                               "next 30 days"),
    "cmd.huytheodoi": "Stop the digest",
    "cmd.huytheodoi.usage_html": "/huytheodoi [province | agency] — stop following one subject, or all",
    "cmd.xuat": "Export targets or tasks to Excel",
    "cmd.xuat.usage_html": ("/xuat &lt;indicator | agency&gt; — an Excel file (.xlsx), one row per target or task, "
                            "with its source document"),
    # --- staff features (issue 12): /sosanh, /muctieu, /nhiemvu, /hanchot, /theodoi, /xuat ---------
    # Deadline windows ("quý III/2026"), agencies, provinces and quoted measures stay as written.
    "button.chart": "📊 Chart",
    "button.file": "📎 Document",
    "file.missing": "This document's original file is no longer in the plans folder.",
    "file.sending": "Sending the document…",
    "file.original_link": "🔗 Original on the government portal",
    "source.of": "From {document}",
    "sosanh.usage": ("Type /sosanh with an indicator, optionally a year, a period or one province, e.g. "
                     "/sosanh thanh toán trực tuyến, /sosanh dịch vụ công trực tuyến 2021-2025, "
                     "/sosanh thanh toán trực tuyến Hà Nội."),
    "nhiemvu.usage": ("Type /nhiemvu with an agency or a topic, optionally a province, e.g. "
                      "/nhiemvu Sở Nội vụ, /nhiemvu chuyển đổi số Cần Thơ."),
    "hanchot.usage": ("Type /hanchot, optionally with a window (tháng, quý, năm — or tháng 12/2025, quý III/2025, "
                      "2026) and a province, e.g. /hanchot quý Cần Thơ."),
    "theodoi.usage": "Type /theodoi with a province or an agency, e.g. /theodoi Cần Thơ, /theodoi Sở Nội vụ.",
    "xuat.usage": "Type /xuat with an indicator or an agency, e.g. /xuat thanh toán trực tuyến, /xuat Sở Nội vụ.",
    "deadline.month": "{month}/{year}",
    "deadline.quarter": "Q{quarter} {year}",
    "deadline.year": "{year}",
    "deadline.none": "no deadline stated",
    "page.footer": "Page {page}/{pages} · {total} {what}",
    "unit.targets": "targets",
    "unit.tasks": "tasks",
    "scope.period": "{start}–{end}",
    "scope.year": "{year}",
    "kind.result": "results achieved",
    "kind.target": "targets",
    "chart.head.result": "Results achieved",
    "chart.head.target": "Targets",
    "chart.by_year": " — {place}, by year",
    "chart.by_province": " — by province and city",
    "chart.year": ", {year}",
    "chart.caption": "📊 {title}\nSources: {sources}",
    "compare.none": ("No target in % found on “{scope}” to compare. "
                     "Try /muctieu to see every target on this topic."),
    "compare.header": "📊 Comparing {kind}: “{scope}”",
    "compare.results_only": "No target in % on this; below are the results achieved.",
    "compare.includes": " (including {province})",
    "compare.more": "… and {count} more targets (type /xuat to download them all).",
    "task.overdue": " ⏰ overdue",
    "task.deadline": "Due: {when}",
    "task.lead": "Lead: {agency}",
    "task.partners": "Partners: {partners}",
    "tasks.none": ("No tasks found on “{scope}” (by lead agency, partners or content). "
                   "Try another agency, e.g. /nhiemvu Sở Nội vụ."),
    "tasks.header.agency": "📋 Tasks led or supported by “{scope}” ({count}), by deadline",
    "tasks.header.topic": "📋 Tasks on “{scope}” ({count}), by deadline",
    "hanchot.header": "⏳ Deadlines {window}{where}",
    "hanchot.today": "As of today, {today}.",
    "hanchot.due": "Due in {window} ({count})",
    "hanchot.more_due": "… and {count} more (type /xuat or /nhiemvu to see them all).",
    "hanchot.no_due": "Nothing is due in this window.",
    "hanchot.overdue": "Overdue ({count})",
    "hanchot.overdue_note": "By the deadlines the documents state; the bot does not know whether a task is done.",
    "hanchot.more_overdue": "… and {count} more.",
    "hanchot.no_overdue": "Nothing is overdue.",
    "hanchot.bad_window": "Cannot read the window “{words}”. ",
    "theodoi.done": ("✅ Following “{subject}”. Every Monday morning (Vietnam time) the bot sends the tasks due "
                     "in the next 30 days. Following: {subjects}. Type /huytheodoi to stop."),
    "theodoi.unknown": ("No province or agency named “{subject}” in the tasks. "
                        "Try e.g. /theodoi Cần Thơ, /theodoi Sở Nội vụ."),
    "theodoi.limit": "A chat can follow at most {n} subjects. Type /huytheodoi to drop some.",
    "huytheodoi.none": "You are not following anything like that.",
    "huytheodoi.following": " Following: {subjects}.",
    "huytheodoi.done": "Stopped following: {subjects}.",
    "huytheodoi.left": " Still following: {subjects}.",
    "digest.header": "🗓 This week's deadlines ({today}): tasks due in the next 30 days",
    "digest.more": "… and {count} more: type /hanchot to see them all.",
    "digest.stop": "Type /huytheodoi to stop the digest.",
    "export.caption": "📥 {rows} {what} on “{subject}”, each row with its document and source clause.",
    "export.nothing": "No targets or tasks found on “{subject}” to export.",
}
