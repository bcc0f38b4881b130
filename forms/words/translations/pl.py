"""The citizens' web words in Polish (informal "ty", as the Norwegian "du")."""

from __future__ import annotations

from collections.abc import Mapping

WORDS: Mapping[str, str] = {
    # web.py
    "skip": "Przejdź do treści",
    "language": "Język",
    "choose_language": "Wybierz język",
    "next": "Dalej",
    "back": "Wstecz",
    "send": "Wyślij odpowiedzi",
    "continue": "Przejdź dalej",
    "start": "Zacznij",
    "all_optional": "Wszystkie pytania są dobrowolne. Możesz pominąć to, na co nie chcesz "
    "odpowiadać.",
    "optional": "możesz to pominąć",
    "page_of": "Strona {n} z {total}",
    "errors_title": "Coś trzeba poprawić",
    "saved": "Twoje odpowiedzi są zapisane. Możesz zrobić przerwę i wrócić później.",
    "reconsent_notice": "Zmieniliśmy tekst zgody. Przeczytaj go i odpowiedz jeszcze raz. "
    "Dopóki nie odpowiesz, ważna jest twoja wcześniejsza zgoda.",
    "csrf_again": "Minęło za dużo czasu. Twój tekst nie zniknął. Naciśnij przycisk jeszcze raz.",
    "code_title": "Wpisz swój kod odpowiedzi",
    "code_help": "Kod odpowiedzi jest w liście od nas. Ma litery i cyfry.",
    "code_label": "Kod odpowiedzi",
    "code_wrong": "Nie znaleźliśmy tego kodu. Sprawdź list i spróbuj jeszcze raz.",
    "code_empty": "Wpisz kod odpowiedzi z listu.",
    "too_many": "Było wiele prób. Poczekaj chwilę i spróbuj jeszcze raz.",
    "not_found_title": "Nie znaleźliśmy tej strony",
    "not_found_text": "Link nie działa. Możesz zamiast tego wpisać kod odpowiedzi z listu.",
    "anonymous_title": "Ten formularz jest na papierze",
    "anonymous_text": "Wypełnij formularz na papierze i wyślij go w kopercie. Znaczek jest "
    "opłacony.",
    "ended_title": "Czas minął",
    "ended_text": "Nie było cię przez chwilę. Twoje odpowiedzi są zapisane. Otwórz znowu link "
    "z listu albo wpisz kod odpowiedzi.",
    "type_code": "Wpisz kod odpowiedzi",
    "read_information": "Przeczytaj cały list informacyjny",
    "information_title": "List informacyjny",
    "back_to_consent": "Wróć do zgody",
    "consent_intro": "Zaznacz to, na co się zgadzasz. Możesz zgodzić się na jedno, a na "
    "drugie nie.",
    "consent_legend": "Zgadzam się na:",
    "consent_send": "Wyślij zgodę",
    "consent_needed": "Aby wziąć udział, musisz zgodzić się na: {item}. Jeśli nie chcesz brać "
    "udziału, nie musisz nic robić.",
    "thanks_title": "Dziękujemy!",
    "thanks_text": "Mamy twoje odpowiedzi.",
    "receipt": "Pobierz potwierdzenie (PDF)",
    "receipt_page": "Zobacz potwierdzenie",
    "receipt_print": "Chcesz mieć potwierdzenie na papierze? Wybierz «Drukuj» w przeglądarce.",
    "consent_record": "Pobierz swoje zgody jako plik dla komputerów",
    "receipt_help": "Potwierdzenie pokazuje, na co mówisz tak, a na co nie.",
    "my_consents": "Na to się zgadzasz",
    "see_consents": "Zobacz albo wycofaj swoją zgodę",
    "withdrawn": "Wycofana",
    "withdraw": "Wycofaj zgodę",
    "withdraw_confirm_title": "Czy na pewno?",
    "withdraw_confirm_text": "Wycofujesz zgodę na: {item}. Nie musisz mówić dlaczego. Nie "
    "zmienia to pomocy, którą dostajesz.",
    "withdraw_yes": "Tak, wycofaj moją zgodę",
    "withdraw_no": "Nie, wróć",
    "withdraw_done": "Twoja zgoda jest wycofana: {item}.",
    "questions_link": "Odpowiedz na pytania",
    "error_title": "Coś poszło nie tak",
    "error_text": "Spróbuj jeszcze raz za chwilę.",
    "scale_hint": "1 to {low}. {high_n} to {high}.",
    "date_hint": "Napisz tak: 31.12.2025",
    "answer_required": "Odpowiedz na to pytanie: {label}",
    "answer_choice": "Wybierz jedną odpowiedź: {label}",
    "answer_number": "Napisz tylko liczbę, na przykład 3: {label}",
    "answer_date": "Napisz datę tak: 31.12.2025 ({label})",
    "answer_too_long": "Tekst jest za długi. Napisz krócej: {label}",
    "http_400": "Coś było nie tak w tym, co zostało wysłane",
    "http_401": "Musisz się zalogować",
    "http_403": "Nie masz dostępu do tej strony",
    "http_405": "Tego nie można zrobić tutaj",
    "http_413": "Plik jest za duży",
    "http_429": "Za dużo prób",
    # records.py: what the web pages show of the receipt and of a consent's state
    "at_time": "o godzinie",
    "your_code": "Twój kod w projekcie to {code}. Używamy kodu zamiast twojego imienia.",
    "receipt_title": "Potwierdzenie twojej zgody",
    "receipt_intro": "Dziękujemy! To są twoje odpowiedzi w projekcie «{study}» z dnia {date}.",
    "receipt_version": "Tekst, który czytasz, ma wersję {version}. Przechowujemy dokładnie ten "
    "tekst.",
    "receipt_reference": "Numer: {reference}.",
    "receipt_change": "Możesz zmienić zdanie, kiedy chcesz. Nie musisz mówić dlaczego. Użyj "
    "tego samego linku co wcześniej.",
    "receipt_yes_heading": "Zgadzasz się na:",
    "receipt_yes_none": "Teraz nie zgadzasz się na nic.",
    "receipt_no_heading": "Nie zgadzasz się na:",
    "receipt_withdrawn_heading": "Wycofana zgoda na:",
    "receipt_not_asked_heading": "Jeszcze bez odpowiedzi:",
    "receipt_about_heading": "O potwierdzeniu",
    "receipt_withdraw_heading": "Jak wycofać zgodę",
    "receipt_withdraw_web": "Albo wejdź na {url} i wpisz kod odpowiedzi z listu.",
    "receipt_withdraw_slip": "Możesz też wysłać pocztą odcinek odpowiedzi z listu.",
    "receipt_withdraw_phone": "Albo zadzwoń do nas pod numer {phone}.",
    "state_granted": "Tak",
    "state_declined": "Nie",
    "state_withdrawn": "Wycofana",
    "state_not asked": "Jeszcze nie pytaliśmy",
}

#: The information letter's fixed wording (letter.py) and the declaration's signature lines.
LETTER: Mapping[str, str] = {
    "letter_title": "Czy chcesz wziąć udział w projekcie badawczym „{title}”?",
    "letter_intro": "Pytamy cię, czy chcesz wziąć udział w projekcie badawczym. "
    "W tym liście piszemy, o czym jest projekt. "
    "Piszemy też, co oznacza dla ciebie udział.",
    "letter_h_purpose": "Cel projektu",
    "letter_h_responsible": "Kto odpowiada za projekt?",
    "letter_responsible": "Za projekt odpowiada {institution}.",
    "letter_partners": "Współpracujemy z: {partners}.",
    "letter_h_why_asked": "Dlaczego pytamy właśnie ciebie?",
    "letter_h_participation": "Co oznacza dla ciebie udział?",
    "letter_h_voluntary": "Udział jest dobrowolny",
    "letter_voluntary": "Udział w projekcie jest dobrowolny. "
    "Jeśli weźmiesz udział, możesz w każdej chwili wycofać zgodę. "
    "Nie musisz mówić dlaczego.",
    "letter_withdraw_delete": "Jeśli się wycofasz, usuniemy wszystkie informacje o tobie.",
    "letter_withdraw_keep": "Jeśli się wycofasz, nie będziemy zbierać o tobie nic więcej. "
    "To, co dostaliśmy przed wycofaniem, zachowamy i użyjemy w projekcie.",
    "letter_no_consequences": "Jeśli powiesz nie, nie będzie to miało dla ciebie żadnych "
    "skutków. Tak samo, jeśli wycofasz się później.",
    "letter_h_privacy": "Twoja prywatność: jak przechowujemy i wykorzystujemy twoje dane",
    "letter_privacy": "Informacji o tobie używamy tylko do tego, o czym piszemy w tym liście. "
    "Zachowujemy je w tajemnicy. Przestrzegamy przepisów o ochronie danych osobowych.",
    "letter_names_apart": "Twoje imię i nazwisko oraz dane kontaktowe przechowujemy osobno, "
    "oddzielnie od twoich odpowiedzi. Przy odpowiedziach jest tylko kod.",
    "letter_h_end": "Co stanie się z twoimi danymi po zakończeniu projektu?",
    "letter_end_date": "Projekt kończy się {date}.",
    "letter_end_delete": "Wtedy usuniemy wszystkie informacje o tobie.",
    "letter_end_anonymise": "Wtedy usuniemy twoje imię i nazwisko oraz wszystko, "
    "co może pokazać, że to ty. Tego, co zostanie, nikt nie połączy z tobą.",
    "letter_end_keep": "Część informacji zachowamy także po zakończeniu projektu.",
    "letter_h_rights": "Twoje prawa",
    "letter_rights": "Dopóki możemy znaleźć cię w danych, masz takie prawa: "
    "Możesz zobaczyć, jakie informacje o tobie mamy. Możesz dostać ich kopię. "
    "Możesz poprosić o poprawienie błędnych informacji. "
    "Możesz poprosić o usunięcie informacji o tobie. "
    "Możesz poprosić, abyśmy na jakiś czas przestali używać twoich danych, "
    "na przykład gdy je sprawdzamy. "
    "Możesz dostać dane, które od ciebie mamy, w pliku, który możesz przekazać innym.",
    "letter_complaint": "Czy uważasz, że źle używamy twoich danych? "
    "Wtedy możesz złożyć skargę do Datatilsynet. "
    "To norweski urząd ochrony danych osobowych.",
    "letter_h_legal_basis": "Na jakiej podstawie możemy używać informacji o tobie?",
    "letter_legal_consent": "Używamy informacji o tobie na podstawie twojej zgody.",
    "letter_sikt_assessment": "Projekt został oceniony przez Sikt. "
    "Według Sikt przestrzegamy przepisów o ochronie danych. "
    "Numer sprawy w Sikt to {reference}.",
    "letter_h_more": "Gdzie dowiesz się więcej?",
    "letter_more_intro": "Masz pytania albo chcesz skorzystać ze swoich praw? Kontakt:",
    "letter_project_leader": "kierownik projektu",
    "letter_dpo": "inspektor ochrony danych",
    "letter_at": "w",
    "letter_phone": "telefon",
    "letter_email": "e-mail",
    "letter_sikt_contact": "Sikt (doradza w sprawach ochrony danych w badaniach): "
    "e-mail {email}, telefon {phone}.",
    "letter_h_consent": "Oświadczenie o zgodzie",
    "letter_declaration": "Otrzymałem(-am) i zrozumiałem(-am) informacje o projekcie "
    "„{title}”. Mogłem(-am) zadać pytania. Zgadzam się na:",
    "letter_until_end": "Zgadzam się, aby moje dane były używane do końca projektu, do {date}.",
    "letter_required_note": "Aby wziąć udział, zaznacz to, co jest oznaczone *.",
    "letter_greeting": "Z pozdrowieniami",
    # paper.py: the declaration's signature lines
    "signature": "Podpis",
    "date": "Data",
    "name_block_letters": "Imię i nazwisko drukowanymi literami",
}
