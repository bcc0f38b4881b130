"""Words on printed forms and letters: marking help, page furniture, how to answer.

The words printed on a form itself (:data:`FORM_KEYS`) are also written in
Portuguese (``pt``), so a form imported in Portuguese prints its instructions
in Portuguese; a form in a language they lack prints them in English, and
`deltaker check` says so.
"""

from __future__ import annotations

from collections.abc import Mapping

WORDS: Mapping[str, Mapping[str, str]] = {
    "marking_instruction": {
        "nb": "Sett et kryss i ruta. Feil rute? Fyll ruta helt, og sett kryss i riktig rute.",
        "nn": "Set eit kryss i ruta. Feil rute? Fyll ruta heilt, og set kryss i rett rute.",
        "en": "Put a cross in the box. Wrong box? Fill it in completely and put a cross in "
        "the right one.",
        "pt": "Ponha uma cruz no quadrado. Quadrado errado? Pinte-o todo e ponha uma cruz no "
        "quadrado certo.",
    },
    "choose_one": {
        "nb": "Sett ett kryss.",
        "nn": "Set eitt kryss.",
        "en": "Put one cross.",
        "pt": "Ponha uma cruz.",
    },
    "choose_any": {
        "nb": "Sett kryss ved alt som passer.",
        "nn": "Set kryss ved alt som passar.",
        "en": "Put a cross by everything that fits.",
        "pt": "Ponha uma cruz em tudo o que se aplica.",
    },
    # After a question repeated at the top of a page, where its choices go on.
    "continued": {
        "nb": "(fortsetter)",
        "nn": "(held fram)",
        "en": "(continued)",
        "pt": "(continuação)",
    },
    "date_format": {
        "nb": "Dag, måned, år",
        "nn": "Dag, månad, år",
        "en": "Day, month, year",
        "pt": "Dia, mês, ano",
    },
    "number_hint": {
        "nb": "Skriv et tall.",
        "nn": "Skriv eit tal.",
        "en": "Write a number.",
        "pt": "Escreva um número.",
    },
    "signature": {
        "nb": "Signatur",
        "nn": "Signatur",
        "en": "Signature",
        "pt": "Assinatura",
    },
    "date": {
        "nb": "Dato",
        "nn": "Dato",
        "en": "Date",
        "pt": "Data",
    },
    "name_block_letters": {
        "nb": "Navn med store bokstaver",
        "nn": "Namn med store bokstavar",
        "en": "Name in capital letters",
        "pt": "Nome em letras maiúsculas",
    },
    "yes": {
        "nb": "Ja",
        "nn": "Ja",
        "en": "Yes",
        "pt": "Sim",
    },
    "no": {
        "nb": "Nei",
        "nn": "Nei",
        "en": "No",
        "pt": "Não",
    },
    # page furniture
    "page_x_of_y": {
        "nb": "Side {x} av {y}",
        "nn": "Side {x} av {y}",
        "en": "Page {x} of {y}",
        "pt": "Página {x} de {y}",
    },
    "participant_code": {
        "nb": "Deltakerkode",
        "nn": "Deltakarkode",
        "en": "Participant code",
        "pt": "Código de participante",
    },
    "text_version": {
        "nb": "Tekstversjon",
        "nn": "Tekstversjon",
        "en": "Text version",
        "pt": "Versão do texto",
    },
    "serial_number": {
        "nb": "Løpenummer",
        "nn": "Løpenummer",
        "en": "Serial number",
        "pt": "Número de série",
    },
    # the letter: answering on paper or on a phone
    "answer_code": {
        "nb": "Svarkode",
        "nn": "Svarkode",
        "en": "Answer code",
    },
    "or_go_to_url": {
        "nb": "Eller gå til {url} og skriv inn svarkoden.",
        "nn": "Eller gå til {url} og skriv inn svarkoden.",
        "en": "Or go to {url} and type in the answer code.",
    },
    "how_to_answer_title": {
        "nb": "Slik svarer du",
        "nn": "Slik svarar du",
        "en": "How to answer",
    },
    "how_to_answer_one_way": {
        "nb": "Du trenger bare å svare én gang. Velg den måten som passer deg.",
        "nn": "Du treng berre å svare éin gong. Vel den måten som passar deg.",
        "en": "You only need to answer once. Choose the way that suits you.",
    },
    "how_to_answer_paper": {
        "nb": "På papir: Fyll ut skjemaet. Legg det i den frankerte svarkonvolutten, og send "
        "det i posten. Du trenger ikke frimerke.",
        "nn": "På papir: Fyll ut skjemaet. Legg det i den frankerte svarkonvolutten, og send "
        "det i posten. Du treng ikkje frimerke.",
        "en": "On paper: Fill in the form. Put it in the prepaid reply envelope, and post "
        "it. You do not need a stamp.",
    },
    "how_to_answer_phone": {
        "nb": "På mobilen: Skann koden på skjemaet. Da kommer du rett til svarene dine.",
        "nn": "På mobilen: Skann koden på skjemaet. Då kjem du rett til svara dine.",
        "en": "On your phone: Scan the code on the form. It takes you straight to your answers.",
    },
    "how_to_answer_keep": {
        "nb": "Behold brevet og informasjonsskrivet. Send bare skjemaene tilbake.",
        "nn": "Ta vare på brevet og informasjonsskrivet. Send berre skjemaa tilbake.",
        "en": "Keep the letter and the information sheet. Send only the forms back.",
    },
    "reconsent_how_title": {
        "nb": "Slik svarer du på nytt",
        "nn": "Slik svarar du på nytt",
        "en": "How to answer again",
    },
    "reconsent_how_form": {
        "nb": "Skjemaet i dette brevet har den nye teksten. Kryss av for det du sier ja til.",
        "nn": "Skjemaet i dette brevet har den nye teksten. Kryss av for det du seier ja til.",
        "en": "The form in this letter has the new text. Tick what you say yes to.",
    },
    "reconsent_how_paper": {
        "nb": "På papir: Fyll ut skjemaet og skriv under. Send det i svarkonvolutten. "
        "Du trenger ikke frimerke.",
        "nn": "På papir: Fyll ut skjemaet og skriv under. Send det i svarkonvolutten. "
        "Du treng ikkje frimerke.",
        "en": "On paper: Fill in the form and sign it. Post it in the reply envelope. "
        "You do not need a stamp.",
    },
    "reconsent_how_phone": {
        "nb": "På mobilen: Skann koden i brevet. Du kan også bruke svarkoden.",
        "nn": "På mobilen: Skann koden i brevet. Du kan også bruke svarkoden.",
        "en": "On your phone: Scan the code in the letter. You can also use the answer code.",
    },
    "reconsent_how_until": {
        "nb": "Til du svarer, gjelder det du sa ja til før.",
        "nn": "Til du svarar, gjeld det du sa ja til før.",
        "en": "Until you answer, what you said yes to before still counts.",
    },
    "reconsent_how_no": {
        "nb": "Du kan også si nei nå. Det er helt i orden.",
        "nn": "Du kan også seie nei no. Det er heilt i orden.",
        "en": "You can also say no now. That is fine.",
    },
    "reconsent_changed_text": {
        "nb": "Vi har endret teksten om dette: {item}",
        "nn": "Vi har endra teksten om dette: {item}",
        "en": "We have changed the text about this: {item}",
    },
    "questions_call": {
        "nb": "Har du spørsmål? Ring {name} på {phone}.",
        "nn": "Har du spørsmål? Ring {name} på {phone}.",
        "en": "Do you have questions? Call {name} on {phone}.",
    },
    "questions_email": {
        "nb": "Du kan også sende e-post til {email}.",
        "nn": "Du kan også sende e-post til {email}.",
        "en": "You can also send an email to {email}.",
    },
    "voluntary": {
        "nb": "Det er frivillig å være med.",
        "nn": "Det er frivillig å vere med.",
        "en": "Taking part is up to you.",
    },
    "withdraw_how": {
        "nb": "Vil du trekke deg? Bruk den samme koden, send svarslippen, eller ring oss.",
        "nn": "Vil du trekkje deg? Bruk den same koden, send svarslippen, eller ring oss.",
        "en": "Do you want to stop? Use the same code, send the reply slip, or call us.",
    },
    "letter_qr": {
        "nb": "Vil du svare på mobilen? Skann koden.",
        "nn": "Vil du svare på mobilen? Skann koden.",
        "en": "Do you want to answer on your phone? Scan the code.",
    },
    "return_address": {
        "nb": "Avsender: {sender}",
        "nn": "Avsendar: {sender}",
        "en": "From: {sender}",
    },
    "blank_page": {
        "nb": "Denne siden er tom med vilje.",
        "nn": "Denne sida er tom med vilje.",
        "en": "This page is blank on purpose.",
        "pt": "Esta página está em branco de propósito.",
    },
    # Before a note that follows one answer: paper cannot leave it out, so it says when
    # to read it (forms.references.condition_words).
    "only_if_answered": {
        "nb": "Les dette bare hvis du svarte «{answer}» på «{label}».",
        "nn": "Les dette berre om du svarte «{answer}» på «{label}».",
        "en": "Read this only if you answered “{answer}” to “{label}”.",
        "pt": "Leia isto só se respondeu «{answer}» a «{label}».",
    },
    # In a question's help when it follows one answer: paper asks every question.
    "answer_only_if_answered": {
        "nb": "Svar bare hvis du svarte «{answer}» på «{label}».",
        "nn": "Svar berre om du svarte «{answer}» på «{label}».",
        "en": "Answer only if you answered “{answer}” to “{label}”.",
        "pt": "Responda só se respondeu «{answer}» a «{label}».",
    },
}


#: The words printed on a form (not the letter around it): a form language is printed
#: with its own instructions when every one of these is written in it.
FORM_KEYS: tuple[str, ...] = (
    "marking_instruction",
    "choose_one",
    "choose_any",
    "continued",
    "date_format",
    "number_hint",
    "signature",
    "date",
    "name_block_letters",
    "yes",
    "no",
    "page_x_of_y",
    "participant_code",
    "text_version",
    "serial_number",
    "blank_page",
    "only_if_answered",
    "answer_only_if_answered",
)
