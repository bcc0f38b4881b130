"""The citizens' web words in Somali (a first version: a native speaker should read it)."""

from __future__ import annotations

from collections.abc import Mapping

WORDS: Mapping[str, str] = {
    # web.py
    "skip": "U gudub qoraalka",
    "language": "Luqadda",
    "choose_language": "Dooro luqadda",
    "next": "Xiga",
    "back": "Dib u noqo",
    "send": "Dir jawaabahayga",
    "continue": "Sii wad",
    "start": "Bilow",
    "all_optional": "Su'aal kasta waa ikhtiyaari. Waad ka boodi kartaa waxaadan rabin inaad "
    "ka jawaabto.",
    "optional": "waad ka boodi kartaa",
    "page_of": "Bogga {n} ee {total}",
    "errors_title": "Wax baa u baahan in la saxo",
    "saved": "Jawaabahaaga waa la kaydiyay. Waad nasan kartaa oo dib u soo noqon kartaa.",
    "reconsent_notice": "Waxaan beddelnay qoraalka oggolaanshaha. Akhri, oo mar kale ka jawaab. "
    "Inta aadan jawaabin, oggolaanshahaagii hore ayaa shaqaynaya.",
    "csrf_again": "Waqti badan ayaa dhaafay. Waxaad qortay weli waa jiraan. Mar kale riix "
    "badhanka.",
    "code_title": "Qor koodka jawaabta",
    "code_help": "Koodka jawaabta wuxuu ku qoran yahay warqadda aad heshay. Wuxuu leeyahay "
    "xarfo iyo tirooyin.",
    "code_label": "Koodka jawaabta",
    "code_wrong": "Koodkaas ma aanu helin. Eeg warqadda oo mar kale isku day.",
    "code_empty": "Qor koodka jawaabta ee warqadda.",
    "too_many": "Marar badan ayaad isku dayday. Wax yar sug, kadibna mar kale isku day.",
    "not_found_title": "Boggan ma aanu helin",
    "not_found_text": "Xiriirku ma shaqaynayo. Waxaad qori kartaa koodka jawaabta ee warqadda.",
    "anonymous_title": "Foomkan waa warqad",
    "anonymous_text": "Buuxi foomka warqadda ah oo ku dir baqshadda. Shaambada waa la bixiyay.",
    "ended_title": "Waqtigii waa dhammaaday",
    "ended_text": "Muddo ayaad maqnayd. Jawaabahaaga waa la kaydiyay. Mar kale fur xiriirka "
    "warqadda, ama qor koodka jawaabta.",
    "type_code": "Qor koodka jawaabta",
    "read_information": "Akhri warqadda macluumaadka oo dhan",
    "information_title": "Warqadda macluumaadka",
    "back_to_consent": "Ku noqo oggolaanshaha",
    "consent_intro": "Calaamadee waxaad oggoshahay. Waxaad oggolaan kartaa wax, waxna diidi "
    "kartaa.",
    "consent_legend": "Waan oggolahay:",
    "consent_send": "Dir oggolaanshahayga",
    "consent_needed": "Si aad uga qayb qaadato, waa inaad oggolaato: {item}. Haddii aadan "
    "rabin inaad ka qayb qaadato, waxba ha samayn.",
    "thanks_title": "Mahadsanid!",
    "thanks_text": "Jawaabahaaga waan helnay.",
    "receipt": "Soo deji rasiidh (PDF)",
    "receipt_page": "Eeg rasiidhkaaga",
    "receipt_print": "Ma rabtaa rasiidhka oo warqad ah? Dooro «Daabac» barowsarkaaga.",
    "consent_record": "Soo deji waxaad oggolaatay, fayl kombiyuutar ah",
    "receipt_help": "Rasiidhku wuxuu muujinayaa waxaad oggolaatay iyo waxaad diiday.",
    "my_consents": "Waxaad oggolaatay",
    "see_consents": "Eeg ama ka noqo oggolaanshahaaga",
    "withdrawn": "Laga noqday",
    "withdraw": "Ka noqo oggolaanshaha",
    "withdraw_confirm_title": "Ma hubtaa?",
    "withdraw_confirm_text": "Waxaad ka noqonaysaa oggolaanshaha: {item}. Uma baahnid inaad "
    "sababta sheegto. Ma beddelayso caawimaadda aad hesho.",
    "withdraw_yes": "Haa, ka noqo oggolaanshahayga",
    "withdraw_no": "Maya, dib u noqo",
    "withdraw_done": "Waad ka noqotay oggolaanshaha: {item}.",
    "questions_link": "Ka jawaab su'aalaha",
    "error_title": "Wax baa khaldamay",
    "error_text": "Wax yar kadib mar kale isku day.",
    "scale_hint": "1 waa {low}. {high_n} waa {high}.",
    "date_hint": "Sidan u qor: 31.12.2025",
    "answer_required": "Fadlan ka jawaab tan: {label}",
    "answer_choice": "Dooro hal jawaab: {label}",
    "answer_number": "Qor tiro kaliya, tusaale ahaan 3: {label}",
    "answer_date": "Taariikhda sidan u qor: 31.12.2025 ({label})",
    "answer_too_long": "Qoraalku aad buu u dheer yahay. Wax ka yar qor: {label}",
    "http_400": "Wax khalad ah ayaa ku jiray waxa la soo diray",
    "http_401": "Fadlan soo gal",
    "http_403": "Ma furi kartid boggan",
    "http_405": "Halkan lagama samayn karo taas",
    "http_413": "Faylku aad buu u weyn yahay",
    "http_429": "Isku day aad u badan",
    # records.py: what the web pages show of the receipt and of a consent's state
    "at_time": "saacadda",
    "your_code": "Koodkaaga mashruuca waa {code}. Waxaan isticmaalnaa koodka halkii magacaaga.",
    "receipt_title": "Rasiidhka oggolaanshahaaga",
    "receipt_intro": "Mahadsanid! Waa kan waxaad ka jawaabtay mashruuca «{study}» {date}.",
    "receipt_version": "Waxaad akhriday qoraalka nuqulka {version}. Qoraalkaas ayaan kaydinaynaa.",
    "receipt_reference": "Tixraac: {reference}.",
    "receipt_change": "Waad beddeli kartaa go'aankaaga goor kasta. Uma baahnid inaad sababta "
    "sheegto. Isticmaal isla xiriirkii hore.",
    "receipt_yes_heading": "Waxaad oggolaatay:",
    "receipt_yes_none": "Hadda waxba ma aadan oggolaan.",
    "receipt_no_heading": "Waxaad diiday:",
    "receipt_withdrawn_heading": "Waxaad ka noqotay:",
    "receipt_not_asked_heading": "Weli kama aadan jawaabin:",
    "receipt_about_heading": "Ku saabsan rasiidhkan",
    "receipt_withdraw_heading": "Sida aad uga noqon karto oggolaanshaha",
    "receipt_withdraw_web": "Ama tag {url} oo qor koodka jawaabta ee warqadda.",
    "receipt_withdraw_slip": "Sidoo kale waxaad boostada ku diri kartaa jeexa jawaabta ee "
    "warqadda.",
    "receipt_withdraw_phone": "Ama naga wac {phone}.",
    "state_granted": "Haa",
    "state_declined": "Maya",
    "state_withdrawn": "Laga noqday",
    "state_not asked": "Weli lama weydiin",
}

#: The information letter's fixed wording (letter.py) and the declaration's signature lines.
#: A first version, like the web words: a native speaker should read it.
LETTER: Mapping[str, str] = {
    "letter_title": "Ma rabtaa inaad ka qayb qaadato mashruuca cilmi-baarista «{title}»?",
    "letter_intro": "Waxaan ku weydiinaynaa inaad ka qayb qaadato mashruuc cilmi-baaris ah. "
    "Warqaddan waxaan kugu sheegaynaa waxa mashruucu ku saabsan yahay. "
    "Waxaad sidoo kale ogaan doontaa waxa ka qayb qaadashadu kuu tahay.",
    "letter_h_purpose": "Ujeeddada mashruuca",
    "letter_h_responsible": "Yaa mas'uul ka ah mashruuca?",
    "letter_responsible": "{institution} ayaa mas'uul ka ah mashruuca.",
    "letter_partners": "Waxaan la shaqaynaa {partners}.",
    "letter_h_why_asked": "Maxaa lagaa weydiinayaa inaad ka qayb qaadato?",
    "letter_h_participation": "Maxay ka qayb qaadashadu kuu tahay?",
    "letter_h_voluntary": "Ka qayb qaadashadu waa ikhtiyaari",
    "letter_voluntary": "Ka qayb qaadashada mashruuca waa ikhtiyaari. "
    "Haddii aad ka qayb qaadato, waxaad kala noqon kartaa oggolaanshahaaga wakhti kasta. "
    "Uma baahnid inaad sheegto sababta.",
    "letter_withdraw_delete": "Haddii aad ka baxdo, waxaan tirtiraynaa dhammaan macluumaadka "
    "kugu saabsan.",
    "letter_withdraw_keep": "Haddii aad ka baxdo, wax kale kaama ururinayno. "
    "Waxaan haynaa oo mashruuca ku isticmaalaynaa waxaan helnay ka hor intaadan bixin.",
    "letter_no_consequences": "Waxba kuma noqonayso haddii aad tiraahdo maya. "
    "Sidoo kale haddii aad goor dambe ka baxdo.",
    "letter_h_privacy": "Ilaalinta xogtaada: sida aan u kaydinno oo u isticmaalno macluumaadkaaga",
    "letter_privacy": "Macluumaadka kugu saabsan waxaan u isticmaalnaa oo keliya waxa "
    "warqaddan ku qoran. Waan qarinaynaa. "
    "Waxaan raacnaa xeerarka ilaalinta xogta shakhsiga.",
    "letter_names_apart": "Magacaaga iyo xogta lagugu xiriiro waxaan u kaydinnaa si gaar ah, "
    "oo ka fog jawaabahaaga. Jawaabahaaga waxaa ku qoran kood keliya.",
    "letter_h_end": "Maxaa ku dhacaya macluumaadkaaga marka mashruucu dhammaado?",
    "letter_end_date": "Mashruucu wuxuu dhammaanayaa {date}.",
    "letter_end_delete": "Markaas waxaan tirtiraynaa dhammaan macluumaadka kugu saabsan.",
    "letter_end_anonymise": "Markaas waxaan tirtiraynaa magacaaga iyo wax kasta oo kale "
    "oo muujin kara inay adiga tahay. Waxa hadha qofna kuguma xiri karo.",
    "letter_end_keep": "Macluumaad qaar ayaa la kaydin doonaa kadib marka mashruucu dhammaado.",
    "letter_h_rights": "Xuquuqdaada",
    "letter_rights": "Inta aan kaa heli karno macluumaadka, waxaad leedahay xuquuqdan: "
    "Waxaad arki kartaa macluumaadka aan kaa hayno. Waxaad heli kartaa nuqul ka mid ah. "
    "Waxaad codsan kartaa in la saxo macluumaadka khaldan. "
    "Waxaad codsan kartaa in la tirtiro macluumaadka kugu saabsan. "
    "Waxaad na weydiin kartaa inaan muddo joojinno isticmaalka macluumaadkaaga, "
    "tusaale ahaan inta aan hubinayno. "
    "Waxaad heli kartaa macluumaadka aad na siisay, fayl aad dadka kale siin karto.",
    "letter_complaint": "Ma u malaynaysaa inaan si khaldan u isticmaalno macluumaadkaaga? "
    "Markaas waxaad cabasho u gudbin kartaa Datatilsynet. "
    "Waa hay'adda Norway ee ilaalisa xogta shakhsiga.",
    "letter_h_legal_basis": "Maxaa na siinaya xaqa aan ku isticmaalno macluumaadka kugu saabsan?",
    "letter_legal_consent": "Waxaan isticmaalnaa macluumaadka kugu saabsan sababtoo ah "
    "waad oggolaatay (oggolaansho).",
    "letter_sikt_assessment": "Sikt ayaa qiimaysay mashruuca. "
    "Waxay qabaan inaan raacno xeerarka ilaalinta xogta. "
    "Lambarka kiiska ee Sikt waa {reference}.",
    "letter_h_more": "Xagee ka heli kartaa macluumaad dheeraad ah?",
    "letter_more_intro": "Ma qabtaa su'aalo, mise waxaad rabtaa inaad isticmaasho "
    "xuquuqdaada? La xiriir:",
    "letter_project_leader": "hoggaamiyaha mashruuca",
    "letter_dpo": "sarkaalka ilaalinta xogta",
    "letter_at": "ee",
    "letter_phone": "taleefan",
    "letter_email": "iimayl",
    "letter_sikt_contact": "Sikt, oo talo ka bixisa ilaalinta xogta ee cilmi-baarista: "
    "iimayl {email}, taleefan {phone}.",
    "letter_h_consent": "Caddaynta oggolaanshaha",
    "letter_declaration": "Waxaan helay oo fahmay macluumaad ku saabsan mashruuca "
    "«{title}», waxaana helay fursad aan su'aalo ku weydiiyo. Waxaan oggolahay:",
    "letter_until_end": "Waxaan oggolahay in macluumaadkayga la isticmaalo ilaa mashruucu "
    "dhammaado, {date}.",
    "letter_required_note": "Si aad uga qayb qaadato, calaamadee waxyaabaha leh *.",
    "letter_greeting": "Salaan diiran",
    # paper.py: the declaration's signature lines
    "signature": "Saxiix",
    "date": "Taariikh",
    "name_block_letters": "Magaca oo xarfo waaweyn ah",
}
