"""The citizens' web words in Arabic (Modern Standard Arabic, plain and short)."""

from __future__ import annotations

from collections.abc import Mapping

WORDS: Mapping[str, str] = {
    # web.py
    "skip": "انتقل إلى المحتوى",
    "language": "اللغة",
    "choose_language": "اختر اللغة",
    "next": "التالي",
    "back": "رجوع",
    "send": "أرسل إجاباتي",
    "continue": "تابع",
    "start": "ابدأ",
    "all_optional": "كل الأسئلة اختيارية. يمكنك أن تترك ما لا تريد الإجابة عنه.",
    "optional": "يمكنك ترك هذا",
    "page_of": "الصفحة {n} من {total}",
    "errors_title": "يجب تصحيح شيء",
    "saved": "حفظنا إجاباتك. يمكنك أن تأخذ استراحة وتعود لاحقًا.",
    "reconsent_notice": "غيّرنا نص الموافقة. اقرأه، وأجب مرة أخرى. "
    "حتى تجيب، تبقى موافقتك السابقة سارية.",
    "csrf_again": "مرّ وقت طويل. ما كتبته لم يضع. اضغط على الزر مرة أخرى.",
    "code_title": "اكتب رمز الإجابة",
    "code_help": "رمز الإجابة مكتوب في الرسالة التي وصلتك. فيه حروف وأرقام.",
    "code_label": "رمز الإجابة",
    "code_wrong": "لم نجد هذا الرمز. انظر في الرسالة وحاول مرة أخرى.",
    "code_empty": "اكتب رمز الإجابة من الرسالة.",
    "too_many": "حاولت مرات كثيرة. انتظر قليلًا ثم حاول مرة أخرى.",
    "not_found_title": "لم نجد هذه الصفحة",
    "not_found_text": "الرابط لا يعمل. يمكنك أن تكتب رمز الإجابة من الرسالة بدلًا منه.",
    "anonymous_title": "هذا الاستبيان على الورق",
    "anonymous_text": "املأ الاستبيان على الورق وأرسله في الظرف. الطابع مدفوع.",
    "ended_title": "انتهى الوقت",
    "ended_text": "غبت بعض الوقت. حفظنا إجاباتك. افتح الرابط في الرسالة مرة أخرى، "
    "أو اكتب رمز الإجابة.",
    "type_code": "اكتب رمز الإجابة",
    "read_information": "اقرأ رسالة المعلومات كاملة",
    "information_title": "رسالة المعلومات",
    "back_to_consent": "رجوع إلى الموافقة",
    "consent_intro": "ضع علامة على ما توافق عليه. يمكنك أن توافق على شيء وترفض شيئًا آخر.",
    "consent_legend": "أوافق على:",
    "consent_send": "أرسل موافقتي",
    "consent_needed": "لكي تشارك، يجب أن توافق على: {item}. إذا كنت لا تريد المشاركة، "
    "فلا تحتاج إلى فعل أي شيء.",
    "thanks_title": "شكرًا!",
    "thanks_text": "وصلتنا إجاباتك.",
    "receipt": "نزّل إيصالًا (PDF)",
    "receipt_page": "انظر إلى الإيصال",
    "receipt_print": "هل تريد الإيصال على الورق؟ اختر «طباعة» في المتصفح.",
    "consent_record": "نزّل ما وافقت عليه كملف للحواسيب",
    "receipt_help": "الإيصال يبيّن ما وافقت عليه وما رفضته.",
    "my_consents": "هذا ما وافقت عليه",
    "see_consents": "انظر إلى موافقتك أو اسحبها",
    "withdrawn": "مسحوبة",
    "withdraw": "اسحب الموافقة",
    "withdraw_confirm_title": "هل أنت متأكد؟",
    "withdraw_confirm_text": "أنت تسحب موافقتك على: {item}. لا تحتاج أن تقول لماذا. "
    "هذا لا يغيّر المساعدة التي تحصل عليها.",
    "withdraw_yes": "نعم، اسحب موافقتي",
    "withdraw_no": "لا، ارجع",
    "withdraw_done": "سحبت موافقتك على: {item}.",
    "questions_link": "أجب عن الأسئلة",
    "error_title": "حدث خطأ",
    "error_text": "حاول مرة أخرى بعد قليل.",
    "scale_hint": "1 تعني {low}. {high_n} تعني {high}.",
    "date_hint": "اكتب التاريخ هكذا: 31.12.2025",
    "answer_required": "أجب عن هذا السؤال: {label}",
    "answer_choice": "اختر إجابة واحدة: {label}",
    "answer_number": "اكتب رقمًا فقط، مثلًا 3: {label}",
    "answer_date": "اكتب التاريخ هكذا: 31.12.2025 ({label})",
    "answer_too_long": "النص طويل جدًا. اكتب أقل: {label}",
    "http_400": "كان هناك خطأ فيما أُرسل",
    "http_401": "يجب أن تسجّل الدخول",
    "http_403": "لا يمكنك فتح هذه الصفحة",
    "http_405": "لا يمكن فعل ذلك هنا",
    "http_413": "الملف كبير جدًا",
    "http_429": "محاولات كثيرة جدًا",
    # records.py: what the web pages show of the receipt and of a consent's state
    "at_time": "الساعة",
    "your_code": "رمزك في المشروع هو {code}. نستعمل الرمز بدلًا من اسمك.",
    "receipt_title": "إيصال موافقتك",
    "receipt_intro": "شكرًا! هذا ما أجبت به في المشروع «{study}» في {date}.",
    "receipt_version": "قرأت النص رقم {version}. نحتفظ بهذا النص كما هو.",
    "receipt_reference": "المرجع: {reference}.",
    "receipt_change": "يمكنك أن تغيّر رأيك في أي وقت. لا تحتاج أن تقول لماذا. استعمل الرابط نفسه.",
    "receipt_yes_heading": "وافقت على:",
    "receipt_yes_none": "لم توافق على أي شيء الآن.",
    "receipt_no_heading": "رفضت:",
    "receipt_withdrawn_heading": "سحبت موافقتك على:",
    "receipt_not_asked_heading": "لم تجب عن:",
    "receipt_about_heading": "عن هذا الإيصال",
    "receipt_withdraw_heading": "كيف تسحب موافقتك",
    "receipt_withdraw_web": "أو اذهب إلى {url} واكتب رمز الإجابة من الرسالة.",
    "receipt_withdraw_slip": "يمكنك أيضًا أن ترسل قسيمة الرد من الرسالة بالبريد.",
    "receipt_withdraw_phone": "أو اتصل بنا على {phone}.",
    "state_granted": "نعم",
    "state_declined": "لا",
    "state_withdrawn": "مسحوبة",
    "state_not asked": "لم نسأل بعد",
}

#: The information letter's fixed wording (letter.py) and the declaration's signature lines.
LETTER: Mapping[str, str] = {
    "letter_title": "هل تريد أن تشارك في مشروع البحث «{title}»؟",
    "letter_intro": "نسألك إن كنت تريد أن تشارك في مشروع بحث. "
    "في هذه الرسالة نخبرك عن موضوع المشروع. "
    "وتعرف أيضًا ماذا تعني المشاركة لك.",
    "letter_h_purpose": "هدف المشروع",
    "letter_h_responsible": "من المسؤول عن المشروع؟",
    "letter_responsible": "الجهة المسؤولة عن المشروع هي {institution}.",
    "letter_partners": "نعمل مع {partners}.",
    "letter_h_why_asked": "لماذا نسألك أن تشارك؟",
    "letter_h_participation": "ماذا تعني المشاركة لك؟",
    "letter_h_voluntary": "المشاركة اختيارية",
    "letter_voluntary": "المشاركة في المشروع اختيارية. "
    "إذا شاركت، يمكنك أن تسحب موافقتك في أي وقت. "
    "لا تحتاج أن تقول لماذا.",
    "letter_withdraw_delete": "إذا انسحبت، نحذف كل المعلومات عنك.",
    "letter_withdraw_keep": "إذا انسحبت، لا نجمع شيئًا آخر عنك. "
    "ما حصلنا عليه قبل انسحابك نحتفظ به ونستعمله في المشروع.",
    "letter_no_consequences": "لن يحدث لك شيء سيئ إذا قلت لا. وهذا صحيح أيضًا إذا انسحبت لاحقًا.",
    "letter_h_privacy": "خصوصيتك: كيف نحفظ معلوماتك ونستعملها",
    "letter_privacy": "نستعمل المعلومات عنك فقط لما قلناه في هذه الرسالة. "
    "نحفظها سرًّا. نتبع قواعد حماية البيانات الشخصية.",
    "letter_names_apart": "نحفظ اسمك وبيانات الاتصال بك في مكان منفصل عن إجاباتك. "
    "على إجاباتك رمز فقط.",
    "letter_h_end": "ماذا يحدث لمعلوماتك عندما ينتهي المشروع؟",
    "letter_end_date": "ينتهي المشروع في {date}.",
    "letter_end_delete": "عندها نحذف كل المعلومات عنك.",
    "letter_end_anonymise": "عندها نحذف اسمك وكل شيء آخر يمكن أن يدل عليك. "
    "لا يستطيع أحد أن يربط ما يبقى بك.",
    "letter_end_keep": "نحتفظ ببعض المعلومات بعد نهاية المشروع.",
    "letter_h_rights": "حقوقك",
    "letter_rights": "ما دمنا نستطيع أن نجدك في المعلومات، فلك هذه الحقوق: "
    "يمكنك أن ترى المعلومات التي عندنا عنك. يمكنك أن تحصل على نسخة منها. "
    "يمكنك أن تطلب تصحيح المعلومات الخاطئة. "
    "يمكنك أن تطلب حذف المعلومات عنك. "
    "يمكنك أن تطلب منا أن نوقف استعمال معلوماتك بعض الوقت، مثلًا بينما نتحقق منها. "
    "يمكنك أن تحصل على المعلومات التي أعطيتنا إياها في ملف تستطيع أن تعطيه لغيرنا.",
    "letter_complaint": "هل تظن أننا نستعمل معلوماتك بطريقة خاطئة؟ "
    "عندها يمكنك أن تشتكي إلى Datatilsynet. هي هيئة حماية البيانات في النرويج.",
    "letter_h_legal_basis": "ما الذي يعطينا الحق في استعمال المعلومات عنك؟",
    "letter_legal_consent": "نستعمل المعلومات عنك لأنك وافقت على ذلك (الموافقة).",
    "letter_sikt_assessment": "قيّمت Sikt المشروع. ترى Sikt أننا نتبع قواعد حماية البيانات. "
    "رقم الملف عند Sikt هو {reference}.",
    "letter_h_more": "أين تجد معلومات أكثر؟",
    "letter_more_intro": "هل عندك أسئلة، أو تريد أن تستعمل حقوقك؟ تواصل مع:",
    "letter_project_leader": "مدير المشروع",
    "letter_dpo": "مسؤول حماية البيانات",
    "letter_at": "في",
    "letter_phone": "الهاتف",
    "letter_email": "البريد الإلكتروني",
    "letter_sikt_contact": "Sikt، التي تعطي نصائح عن حماية البيانات في البحث: "
    "البريد الإلكتروني {email}، الهاتف {phone}.",
    "letter_h_consent": "إقرار الموافقة",
    "letter_declaration": "حصلت على معلومات عن المشروع «{title}» وفهمتها، "
    "وكانت لي فرصة أن أسأل. أوافق على:",
    "letter_until_end": "أوافق على أن تُستعمل معلوماتي حتى ينتهي المشروع في {date}.",
    "letter_required_note": "لكي تشارك، يجب أن تضع علامة على البنود التي عليها *.",
    "letter_greeting": "مع أطيب التحيات",
    # paper.py: the declaration's signature lines (Arabic has no capital letters)
    "signature": "التوقيع",
    "date": "التاريخ",
    "name_block_letters": "الاسم بخط واضح",
}
