"""Words on the citizens' web pages: buttons, headings, messages, what is wrong with an answer.

The staff pages are in English and are not in this table; the staff's manual-entry
page borrows the citizens' question blocks, and with them these words in English.
"""

from __future__ import annotations

from collections.abc import Mapping

WORDS: Mapping[str, Mapping[str, str]] = {
    "skip": {
        "nb": "Gå til innholdet",
        "nn": "Gå til innhaldet",
        "en": "Skip to content",
    },
    "language": {
        "nb": "Språk",
        "nn": "Språk",
        "en": "Language",
    },
    "choose_language": {
        "nb": "Velg språk",
        "nn": "Vel språk",
        "en": "Choose language",
    },
    "next": {
        "nb": "Neste",
        "nn": "Neste",
        "en": "Next",
    },
    "back": {
        "nb": "Tilbake",
        "nn": "Tilbake",
        "en": "Back",
    },
    "send": {
        "nb": "Send svarene",
        "nn": "Send svara",
        "en": "Send my answers",
    },
    "continue": {
        "nb": "Gå videre",
        "nn": "Gå vidare",
        "en": "Continue",
    },
    "start": {
        "nb": "Start",
        "nn": "Start",
        "en": "Start",
    },
    # said once at the top of a page where no question must be answered
    "all_optional": {
        "nb": "Alle spørsmålene er frivillige. Du kan hoppe over det du ikke vil svare på.",
        "nn": "Alle spørsmåla er frivillige. Du kan hoppe over det du ikkje vil svare på.",
        "en": "Every question is optional. You can skip what you do not want to answer.",
    },
    "optional": {
        "nb": "frivillig",
        "nn": "frivillig",
        "en": "you can skip this",
    },
    "page_of": {
        "nb": "Side {n} av {total}",
        "nn": "Side {n} av {total}",
        "en": "Page {n} of {total}",
    },
    "errors_title": {
        "nb": "Noe må rettes",
        "nn": "Noko må rettast",
        "en": "Something needs fixing",
    },
    "saved": {
        "nb": "Svarene dine er lagret. Du kan ta en pause og komme tilbake senere.",
        "nn": "Svara dine er lagra. Du kan ta ein pause og kome tilbake seinare.",
        "en": "Your answers are saved. You can take a break and come back later.",
    },
    "reconsent_notice": {
        "nb": "Vi har endret teksten i samtykket. Les den, og svar på nytt. "
        "Til du svarer, gjelder det du sa ja til før.",
        "nn": "Vi har endra teksten i samtykket. Les han, og svar på nytt. "
        "Til du svarar, gjeld det du sa ja til før.",
        "en": "We have changed the text of the consent. Read it, and answer again. "
        "Until you answer, what you said yes to before still counts.",
    },
    "csrf_again": {
        "nb": "Det gikk for lang tid. Det du skrev, er ikke borte. Trykk på knappen igjen.",
        "nn": "Det gjekk for lang tid. Det du skreiv, er ikkje borte. Trykk på knappen igjen.",
        "en": "Too much time went by. What you wrote is still here. Press the button again.",
    },
    "code_title": {
        "nb": "Skriv svarkoden din",
        "nn": "Skriv svarkoden din",
        "en": "Type your answer code",
    },
    "code_help": {
        "nb": "Svarkoden står i brevet du fikk. Den har bokstaver og tall.",
        "nn": "Svarkoden står i brevet du fekk. Han har bokstavar og tal.",
        "en": "The answer code is in the letter you got. It has letters and numbers.",
    },
    "code_label": {
        "nb": "Svarkode",
        "nn": "Svarkode",
        "en": "Answer code",
    },
    "code_wrong": {
        "nb": "Vi fant ikke den koden. Se etter i brevet og prøv igjen.",
        "nn": "Vi fann ikkje den koden. Sjå etter i brevet og prøv igjen.",
        "en": "We did not find that code. Look in the letter and try again.",
    },
    "code_empty": {
        "nb": "Skriv svarkoden fra brevet.",
        "nn": "Skriv svarkoden frå brevet.",
        "en": "Type the answer code from the letter.",
    },
    "too_many": {
        "nb": "Du har prøvd mange ganger. Vent litt og prøv igjen om en stund.",
        "nn": "Du har prøvd mange gonger. Vent litt og prøv igjen om ei stund.",
        "en": "You have tried many times. Please wait a while and try again.",
    },
    "not_found_title": {
        "nb": "Vi fant ikke siden",
        "nn": "Vi fann ikkje sida",
        "en": "We could not find this page",
    },
    "not_found_text": {
        "nb": "Lenken virker ikke. Du kan skrive svarkoden fra brevet i stedet.",
        "nn": "Lenka verkar ikkje. Du kan skrive svarkoden frå brevet i staden.",
        "en": "The link does not work. You can type the answer code from the letter instead.",
    },
    "anonymous_title": {
        "nb": "Dette skjemaet er på papir",
        "nn": "Dette skjemaet er på papir",
        "en": "This form is on paper",
    },
    "anonymous_text": {
        "nb": "Fyll ut skjemaet på papiret og send det i konvolutten. Frimerket er betalt.",
        "nn": "Fyll ut skjemaet på papiret og send det i konvolutten. Frimerket er betalt.",
        "en": "Fill in the form on the paper and post it in the envelope. The stamp is paid.",
    },
    "ended_title": {
        "nb": "Tiden gikk ut",
        "nn": "Tida gjekk ut",
        "en": "Time ran out",
    },
    "ended_text": {
        "nb": "Du har vært borte en stund. Det du har svart, er lagret. Åpne lenken i brevet "
        "igjen, eller skriv svarkoden.",
        "nn": "Du har vore borte ei stund. Det du har svart, er lagra. Opne lenka i brevet "
        "igjen, eller skriv svarkoden.",
        "en": "You have been away for a while. Your answers are saved. Open the link in the "
        "letter again, or type the answer code.",
    },
    "type_code": {
        "nb": "Skriv svarkoden",
        "nn": "Skriv svarkoden",
        "en": "Type the answer code",
    },
    "read_information": {
        "nb": "Les hele informasjonsskrivet",
        "nn": "Les heile informasjonsskrivet",
        "en": "Read the full information letter",
    },
    "information_title": {
        "nb": "Informasjonsskriv",
        "nn": "Informasjonsskriv",
        "en": "Information letter",
    },
    "back_to_consent": {
        "nb": "Tilbake til samtykket",
        "nn": "Tilbake til samtykket",
        "en": "Back to the consent form",
    },
    "consent_intro": {
        "nb": "Kryss av for det du sier ja til. Du kan si ja til noe og nei til noe annet.",
        "nn": "Kryss av for det du seier ja til. Du kan seie ja til noko og nei til noko anna.",
        "en": "Tick what you say yes to. You can say yes to some things and no to others.",
    },
    "consent_legend": {
        "nb": "Jeg sier ja til:",
        "nn": "Eg seier ja til:",
        "en": "I say yes to:",
    },
    "consent_send": {
        "nb": "Send samtykket",
        "nn": "Send samtykket",
        "en": "Send my consent",
    },
    "consent_needed": {
        "nb": "For å være med må du si ja til: {item}. Vil du ikke være med, trenger du ikke "
        "gjøre noe.",
        "nn": "For å vere med må du seie ja til: {item}. Vil du ikkje vere med, treng du "
        "ikkje gjere noko.",
        "en": "To take part, you must say yes to: {item}. If you do not want to take part, "
        "you do not need to do anything.",
    },
    "thanks_title": {
        "nb": "Takk!",
        "nn": "Takk!",
        "en": "Thank you!",
    },
    "thanks_text": {
        "nb": "Vi har fått svarene dine.",
        "nn": "Vi har fått svara dine.",
        "en": "We have got your answers.",
    },
    "receipt": {
        "nb": "Last ned kvittering (PDF)",
        "nn": "Last ned kvittering (PDF)",
        "en": "Download a receipt (PDF)",
    },
    "receipt_page": {
        "nb": "Se kvitteringen",
        "nn": "Sjå kvitteringa",
        "en": "See your receipt",
    },
    "receipt_print": {
        "nb": "Vil du ha kvitteringen på papir? Velg «Skriv ut» i nettleseren.",
        "nn": "Vil du ha kvitteringa på papir? Vel «Skriv ut» i nettlesaren.",
        "en": "Do you want the receipt on paper? Choose «Print» in your browser.",
    },
    "consent_record": {
        "nb": "Last ned det du har sagt ja til, som fil for datamaskiner",
        "nn": "Last ned det du har sagt ja til, som fil for datamaskiner",
        "en": "Download what you said yes to, as a file for computers",
    },
    "receipt_help": {
        "nb": "Kvitteringen viser hva du har sagt ja og nei til.",
        "nn": "Kvitteringa viser kva du har sagt ja og nei til.",
        "en": "The receipt shows what you have said yes and no to.",
    },
    "my_consents": {
        "nb": "Dette har du sagt ja til",
        "nn": "Dette har du sagt ja til",
        "en": "What you have said yes to",
    },
    "see_consents": {
        "nb": "Se eller trekk samtykket ditt",
        "nn": "Sjå eller trekk samtykket ditt",
        "en": "See or withdraw your consent",
    },
    "withdrawn": {
        "nb": "Trukket",
        "nn": "Trekt",
        "en": "Withdrawn",
    },
    "withdraw": {
        "nb": "Trekk samtykket",
        "nn": "Trekk samtykket",
        "en": "Withdraw consent",
    },
    "withdraw_confirm_title": {
        "nb": "Er du sikker?",
        "nn": "Er du sikker?",
        "en": "Are you sure?",
    },
    "withdraw_confirm_text": {
        "nb": "Du trekker samtykket for: {item}. Du trenger ikke si hvorfor. Det har ingen "
        "følger for hjelpen du får.",
        "nn": "Du trekkjer samtykket for: {item}. Du treng ikkje seie kvifor. Det har ingen "
        "følgjer for hjelpa du får.",
        "en": "You withdraw your consent for: {item}. You do not need to say why. It does "
        "not change the help you get.",
    },
    "withdraw_yes": {
        "nb": "Ja, trekk samtykket",
        "nn": "Ja, trekk samtykket",
        "en": "Yes, withdraw my consent",
    },
    "withdraw_no": {
        "nb": "Nei, gå tilbake",
        "nn": "Nei, gå tilbake",
        "en": "No, go back",
    },
    "withdraw_done": {
        "nb": "Samtykket er trukket for: {item}.",
        "nn": "Samtykket er trekt for: {item}.",
        "en": "Your consent is withdrawn for: {item}.",
    },
    "questions_link": {
        "nb": "Svar på spørsmålene",
        "nn": "Svar på spørsmåla",
        "en": "Answer the questions",
    },
    "error_title": {
        "nb": "Noe gikk galt",
        "nn": "Noko gjekk gale",
        "en": "Something went wrong",
    },
    "error_text": {
        "nb": "Prøv igjen om litt.",
        "nn": "Prøv igjen om litt.",
        "en": "Please try again in a little while.",
    },
    "scale_hint": {
        "nb": "1 er {low}. {high_n} er {high}.",
        "nn": "1 er {low}. {high_n} er {high}.",
        "en": "1 is {low}. {high_n} is {high}.",
    },
    "date_hint": {
        "nb": "Skriv slik: 31.12.2025",
        "nn": "Skriv slik: 31.12.2025",
        "en": "Write it like this: 31.12.2025",
    },
    # what is wrong with an answer ({label} is the question)
    "answer_required": {
        "nb": "Du må svare på dette: {label}",
        "nn": "Du må svare på dette: {label}",
        "en": "Please answer this: {label}",
    },
    "answer_choice": {
        "nb": "Velg et av svarene: {label}",
        "nn": "Vel eitt av svara: {label}",
        "en": "Please choose one of the answers: {label}",
    },
    "answer_number": {
        "nb": "Skriv bare tall, for eksempel 3: {label}",
        "nn": "Skriv berre tal, til dømes 3: {label}",
        "en": "Please write a number only, for example 3: {label}",
    },
    "answer_date": {
        "nb": "Skriv datoen slik: 31.12.2025 ({label})",
        "nn": "Skriv datoen slik: 31.12.2025 ({label})",
        "en": "Please write the date like this: 31.12.2025 ({label})",
    },
    "answer_too_long": {
        "nb": "Teksten er for lang. Skriv kortere: {label}",
        "nn": "Teksten er for lang. Skriv kortare: {label}",
        "en": "The text is too long. Please write less: {label}",
    },
    # error pages, by HTTP status
    "http_400": {
        "nb": "Noe var feil i det som ble sendt",
        "nn": "Noko var feil i det som vart sendt",
        "en": "Something was wrong with what was sent",
    },
    "http_401": {
        "nb": "Du må logge inn",
        "nn": "Du må logge inn",
        "en": "Please log in",
    },
    "http_403": {
        "nb": "Du har ikke tilgang til denne siden",
        "nn": "Du har ikkje tilgang til denne sida",
        "en": "You do not have access to this page",
    },
    "http_405": {
        "nb": "Det går ikke an å gjøre det her",
        "nn": "Det går ikkje an å gjere det her",
        "en": "That cannot be done here",
    },
    "http_413": {
        "nb": "Filen er for stor",
        "nn": "Fila er for stor",
        "en": "The file is too large",
    },
    "http_429": {
        "nb": "For mange forsøk",
        "nn": "For mange forsøk",
        "en": "Too many tries",
    },
}
