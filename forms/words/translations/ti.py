"""The citizens' web words in Tigrinya (a first version: a native speaker should read it)."""

from __future__ import annotations

from collections.abc import Mapping

WORDS: Mapping[str, str] = {
    # web.py
    "skip": "ናብ ትሕዝቶ ኺድ",
    "language": "ቋንቋ",
    "choose_language": "ቋንቋ ምረጽ",
    "next": "ዝቕጽል",
    "back": "ተመለስ",
    "send": "መልስታተይ ስደድ",
    "continue": "ቀጽል",
    "start": "ጀምር",
    "all_optional": "ኩሎም ሕቶታት ብድሌትካ እዮም። ክትምልሶ ዘይደለኻዮ ክትሓልፎ ትኽእል ኢኻ።",
    "optional": "ክትሓልፎ ትኽእል",
    "page_of": "ገጽ {n} ካብ {total}",
    "errors_title": "ዝእረም ነገር ኣሎ",
    "saved": "መልስታትካ ተዓቂቦም። ዕረፍቲ ወሲድካ ደሓር ክትምለስ ትኽእል።",
    "reconsent_notice": "ጽሑፍ ፍቓድ ቀይርናዮ። ኣንብቦ፣ ደጊምካ ድማ መልሲ ሃብ። ክሳብ እትምልስ፣ ቀዳማይ ፍቓድካ ይሰርሕ።",
    "csrf_again": "ብዙሕ ግዜ ሓሊፉ። ዝጸሓፍካዮ ኣይጠፍአን። ነቲ መጠወቒ ደጊምካ ጠውቆ።",
    "code_title": "ኮድ መልሲ ጽሓፍ",
    "code_help": "ኮድ መልሲ ኣብቲ ዝበጽሓካ ደብዳበ ኣሎ። ፊደላትን ቁጽሪታትን ኣለዎ።",
    "code_label": "ኮድ መልሲ",
    "code_wrong": "ነዚ ኮድ ኣይረኸብናዮን። ኣብ ደብዳበ ርአ እሞ ደጊምካ ፈትን።",
    "code_empty": "ካብ ደብዳበ ኮድ መልሲ ጽሓፍ።",
    "too_many": "ብዙሕ ግዜ ፈቲንካ። ቁሩብ ተጸበ እሞ ደጊምካ ፈትን።",
    "not_found_title": "ነዚ ገጽ ኣይረኸብናዮን",
    "not_found_text": "እቲ መላግቦ ኣይሰርሕን። ኣብ ክንዳኡ ካብ ደብዳበ ኮድ መልሲ ክትጽሕፍ ትኽእል።",
    "anonymous_title": "እዚ ቅጥዒ ኣብ ወረቐት እዩ",
    "anonymous_text": "ነቲ ቅጥዒ ኣብ ወረቐት መሊእካ ኣብቲ ፖስታ ኣእቲኻ ስደዶ። ቴምብሩ ተኸፊሉ እዩ።",
    "ended_title": "ግዜ ወዲኡ",
    "ended_text": "ንሓጺር ግዜ ኣይነበርካን። መልስታትካ ተዓቂቦም። ነቲ ኣብ ደብዳበ ዘሎ መላግቦ ደጊምካ ክፈቶ፣ ወይ ኮድ መልሲ ጽሓፍ።",
    "type_code": "ኮድ መልሲ ጽሓፍ",
    "read_information": "ምሉእ ደብዳበ ሓበሬታ ኣንብብ",
    "information_title": "ደብዳበ ሓበሬታ",
    "back_to_consent": "ናብ ፍቓድ ተመለስ",
    "consent_intro": "ንዝሰማማዕካሉ ምልክት ግበረሉ። ንገለ እወ፣ ንገለ ኣይፋል ክትብል ትኽእል።",
    "consent_legend": "ነዚ እወ እብል:",
    "consent_send": "ፍቓደይ ስደድ",
    "consent_needed": "ክትሳተፍ እንተደሊኻ፣ ነዚ እወ ክትብል ኣለካ: {item}። ክትሳተፍ እንተዘይደሊኻ፣ ገለ ክትገብር ኣየድልየካን።",
    "thanks_title": "የቐንየልና!",
    "thanks_text": "መልስታትካ በጺሑና።",
    "receipt": "ቅብሊት ኣውርድ (PDF)",
    "receipt_page": "ቅብሊትካ ርአ",
    "receipt_print": "ቅብሊት ብወረቐት ትደሊ ዶ? ኣብ መርበብ «ሕተም» ምረጽ።",
    "consent_record": "እወ ዝበልካሉ ከም ፋይል ንኮምፒተር ኣውርድ",
    "receipt_help": "እቲ ቅብሊት እወን ኣይፋልን ዝበልካሉ የርኢ።",
    "my_consents": "እወ ዝበልካሉ",
    "see_consents": "ፍቓድካ ርአ ወይ ኣንሳሕቦ",
    "withdrawn": "ተሳሒቡ",
    "withdraw": "ፍቓድ ኣንሳሕብ",
    "withdraw_confirm_title": "ርግጸኛ ዲኻ?",
    "withdraw_confirm_text": "ፍቓድካ ትስሕብ ኣለኻ: {item}። ስለምንታይ ክትብል ኣየድልየካን። ነቲ ትረኽቦ ሓገዝ ኣይቕይሮን።",
    "withdraw_yes": "እወ፣ ፍቓደይ ኣንሳሕብ",
    "withdraw_no": "ኣይፋል፣ ተመለስ",
    "withdraw_done": "ፍቓድካ ተሳሒቡ: {item}።",
    "questions_link": "ንሕቶታት መልስ",
    "error_title": "ገለ ጌጋ ተፈጢሩ",
    "error_text": "ድሕሪ ቁሩብ ደጊምካ ፈትን።",
    "scale_hint": "1 {low} እዩ። {high_n} {high} እዩ።",
    "date_hint": "ከምዚ ጽሓፍ: 31.12.2025",
    "answer_required": "በጃኻ ነዚ መልስ: {label}",
    "answer_choice": "ሓደ መልሲ ምረጽ: {label}",
    "answer_number": "ቁጽሪ ጥራይ ጽሓፍ፣ ንኣብነት 3: {label}",
    "answer_date": "ዕለት ከምዚ ጽሓፍ: 31.12.2025 ({label})",
    "answer_too_long": "እቲ ጽሑፍ ነዊሕ እዩ። ሓጺር ጽሓፍ: {label}",
    "http_400": "ኣብቲ ዝተላእከ ጌጋ ነይሩ",
    "http_401": "ክትኣቱ ኣለካ",
    "http_403": "ናብዚ ገጽ ፍቓድ የብልካን",
    "http_405": "እዚ ኣብዚ ክግበር ኣይከኣልን",
    "http_413": "እቲ ፋይል ኣዝዩ ዓቢ እዩ",
    "http_429": "ብዙሕ ፈተነታት",
    # records.py: what the web pages show of the receipt and of a consent's state
    "at_time": "ሰዓት",
    "your_code": "ኣብቲ ፕሮጀክት ኮድካ {code} እዩ። ኣብ ክንዲ ስምካ ነቲ ኮድ ንጥቀመሉ።",
    "receipt_title": "ቅብሊት ፍቓድካ",
    "receipt_intro": "የቐንየልና! ኣብ ፕሮጀክት «{study}» {date} ዝመለስካዮ እዚ እዩ።",
    "receipt_version": "ዘንበብካዮ ጽሑፍ ስሪት {version} እዩ። ነቲ ጽሑፍ ከምዘሎ ንዕቅቦ።",
    "receipt_reference": "መወከሲ: {reference}።",
    "receipt_change": "ኣብ ዝኾነ ግዜ ሓሳብካ ክትቕይር ትኽእል። ስለምንታይ ክትብል ኣየድልየካን። ነቲ ሓደ መላግቦ ተጠቐም።",
    "receipt_yes_heading": "እወ ዝበልካሉ:",
    "receipt_yes_none": "ሕጂ ንዋላ ሓደ እወ ኣይበልካን።",
    "receipt_no_heading": "ኣይፋል ዝበልካሉ:",
    "receipt_withdrawn_heading": "ዝሰሓብካዮ:",
    "receipt_not_asked_heading": "ዘይመለስካዮ:",
    "receipt_about_heading": "ብዛዕባ እዚ ቅብሊት",
    "receipt_withdraw_heading": "ፍቓድካ ብኸመይ ትስሕብ",
    "receipt_withdraw_web": "ወይ ናብ {url} ኪድ እሞ ካብ ደብዳበ ኮድ መልሲ ጽሓፍ።",
    "receipt_withdraw_slip": "ነቲ ኣብ ደብዳበ ዘሎ ወረቐት መልሲ ብፖስታ ክትሰዶ ትኽእል ኢኻ።",
    "receipt_withdraw_phone": "ወይ ብ {phone} ደውለልና።",
    "state_granted": "እወ",
    "state_declined": "ኣይፋል",
    "state_withdrawn": "ተሳሒቡ",
    "state_not asked": "ገና ኣይተሓተትካን",
}

#: The information letter's fixed wording (letter.py) and the declaration's signature lines.
#: A first version, like the web words: a native speaker should read it.
LETTER: Mapping[str, str] = {
    "letter_title": "ኣብ ናይ መጽናዕቲ ፕሮጀክት «{title}» ክትሳተፍ ትደሊ ዶ?",
    "letter_intro": "ኣብ ናይ መጽናዕቲ ፕሮጀክት ክትሳተፍ ንሓተካ ኣለና። "
    "ኣብዚ ደብዳበ እቲ ፕሮጀክት ብዛዕባ እንታይ ምዃኑ ንነግረካ። "
    "ምስታፍ ንዓኻ እንታይ ማለት ምዃኑ'ውን ክትፈልጥ ኢኻ።",
    "letter_h_purpose": "ዕላማ ፕሮጀክት",
    "letter_h_responsible": "ንፕሮጀክት ተሓታቲ መን እዩ?",
    "letter_responsible": "ንፕሮጀክት ተሓታቲ {institution} እዩ።",
    "letter_partners": "ምስ {partners} ንሰርሕ።",
    "letter_h_why_asked": "ስለምንታይ ክትሳተፍ ትሕተት ኣለኻ?",
    "letter_h_participation": "ምስታፍ ንዓኻ እንታይ ማለት እዩ?",
    "letter_h_voluntary": "ምስታፍ ብድሌትካ እዩ",
    "letter_voluntary": "ኣብቲ ፕሮጀክት ምስታፍ ብድሌትካ እዩ። "
    "እንተ ተሳቲፍካ፣ ኣብ ዝኾነ ግዜ ፍቓድካ ክትስሕብ ትኽእል ኢኻ። "
    "ምኽንያት ክትነግር ኣየድልየካን።",
    "letter_withdraw_delete": "እንተ ወጺእካ፣ ብዛዕባኻ ዘሎ ኩሉ ሓበሬታ ንድምስሶ።",
    "letter_withdraw_keep": "እንተ ወጺእካ፣ ብዛዕባኻ ተወሳኺ ሓበሬታ ኣይንእክብን። "
    "ቅድሚ ምውጻእካ ዝረኸብናዮ ሒዝና ኣብቲ ፕሮጀክት ንጥቀመሉ።",
    "letter_no_consequences": "ኣይፋል እንተ ኢልካ ዋላ ሓደ ነገር ኣይወርደካን። ደሓር እንተ ወጺእካ'ውን ከምኡ እዩ።",
    "letter_h_privacy": "ውልቃዊ ሓበሬታኻ: ከመይ ጌርና ሓበሬታኻ ንዕቅቦን ንጥቀመሉን",
    "letter_privacy": "ሓበሬታኻ ነቲ ኣብዚ ደብዳበ ዝበልናዮ ጥራይ ኢና ንጥቀመሉ። ብምስጢር ንሕዞ። ሕግታት ምሕላው ውልቃዊ ሓበሬታ ንኽተል።",
    "letter_names_apart": "ስምካን ናይ ርክብ ሓበሬታኻን ካብ መልስታትካ ፈሊና ንዕቅቦ። ኣብ መልስታትካ ኮድ ጥራይ ኣሎ።",
    "letter_h_end": "ፕሮጀክት ምስ ተወድአ ሓበሬታኻ እንታይ ይኸውን?",
    "letter_end_date": "እቲ ፕሮጀክት ኣብ {date} ይውዳእ።",
    "letter_end_delete": "ሽዑ ብዛዕባኻ ዘሎ ኩሉ ሓበሬታ ንድምስሶ።",
    "letter_end_anonymise": "ሽዑ ስምካን ንዓኻ ከርኢ ዝኽእል ካልእ ኩሉን ንድምስሶ። ዝተረፈ ምሳኻ ክኣስሮ ዝኽእል ሰብ የለን።",
    "letter_end_keep": "ገለ ሓበሬታ ድሕሪ ምውዳእ ፕሮጀክት ይዕቀብ።",
    "letter_h_rights": "መሰላትካ",
    "letter_rights": "ክሳብ ኣብቲ ሓበሬታ ክንረኽበካ እንኽእል፣ እዞም መሰላት ኣለዉኻ፦ "
    "ብዛዕባኻ እንታይ ሓበሬታ ከም ዘለና ክትርኢ ትኽእል። ቅዳሑ ክትረክብ ትኽእል። "
    "ጌጋ ሓበሬታ ክእረም ክትሓትት ትኽእል። "
    "ብዛዕባኻ ዘሎ ሓበሬታ ክድምሰስ ክትሓትት ትኽእል። "
    "ንግዚኡ ሓበሬታኻ ምጥቃም ከነቋርጽ ክትሓትተና ትኽእል፣ ንኣብነት ክሳብ ነረጋግጾ። "
    "ዝሃብካና ሓበሬታ ንኻልኦት ክትህቦ እትኽእል ብፋይል ክትረክቦ ትኽእል።",
    "letter_complaint": "ሓበሬታኻ ብጌጋ ንጥቀመሉ ከም ዘለና ትሓስብ ዶ? "
    "ሽዑ ናብ Datatilsynet ክትጠርዕ ትኽእል። "
    "ንሱ ናይ ኖርወይ በዓል ስልጣን ምሕላው ሓበሬታ እዩ።",
    "letter_h_legal_basis": "ሓበሬታኻ ክንጥቀም መሰል ዝህበና እንታይ እዩ?",
    "letter_legal_consent": "ፍቓድካ ስለ ዝሃብካ ኢና ሓበሬታኻ ንጥቀም (ፍቓድ)።",
    "letter_sikt_assessment": "Sikt ነቲ ፕሮጀክት ገምጊማቶ። "
    "ሕግታት ምሕላው ውልቃዊ ሓበሬታ ከም እንኽተል ትኣምን። "
    "ኣብ Sikt ቁጽሪ መዝገብ {reference} እዩ።",
    "letter_h_more": "ተወሳኺ ኣበይ ክትፈልጥ ትኽእል?",
    "letter_more_intro": "ሕቶ ኣለካ ዶ፣ ወይ መሰላትካ ክትጥቀም ትደሊ? ርኸብ፦",
    "letter_project_leader": "መራሒ ፕሮጀክት",
    "letter_dpo": "ሓላፊ ምሕላው ሓበሬታ",
    "letter_at": "ኣብ",
    "letter_phone": "ተሌፎን",
    "letter_email": "ኢመይል",
    "letter_sikt_contact": "Sikt፣ ኣብ መጽናዕቲ ብዛዕባ ምሕላው ውልቃዊ ሓበሬታ ምኽሪ ዝህብ፦ "
    "ኢመይል {email}፣ ተሌፎን {phone}።",
    "letter_h_consent": "ናይ ፍቓድ መግለጺ",
    "letter_declaration": "ብዛዕባ እቲ ፕሮጀክት «{title}» ሓበሬታ ረኺበ ተረዲኡኒ ድማ፣ "
    "ሕቶታት ክሓትት ዕድል ረኺበ። ፍቓደይ ዝህበሉ፦",
    "letter_until_end": "ክሳብ እቲ ፕሮጀክት ዝውዳእ፣ {date}፣ ሓበሬታይ ክጥቀሙሉ ፍቓደይ እህብ።",
    "letter_required_note": "ክትሳተፍ፣ ነቶም * ዘለዎም ምልክት ግበረሎም።",
    "letter_greeting": "ምስ ሰላምታ",
    # paper.py: the declaration's signature lines (Ethiopic has no capital letters)
    "signature": "ፊርማ",
    "date": "ዕለት",
    "name_block_letters": "ስም ብንጹር ጽሑፍ",
}
