"""Words in the letters about a person's own data: what we know about you, the consent receipt."""

from __future__ import annotations

from collections.abc import Mapping

WORDS: Mapping[str, Mapping[str, str]] = {
    # "22. november 2026 kl. 03:32": before the time of day a consent was given
    "at_time": {"nb": "kl.", "nn": "kl.", "en": "at"},
    "access_title": {
        "nb": "Dette vet vi om deg",
        "nn": "Dette veit vi om deg",
        "en": "What we know about you",
    },
    "access_intro": {
        "nb": "Du har spurt hva vi har lagret om deg i prosjektet «{study}». Her er alt. Vi "
        "laget dette brevet {date}.",
        "nn": "Du har spurt kva vi har lagra om deg i prosjektet «{study}». Her er alt. Vi "
        "laga dette brevet {date}.",
        "en": "You asked what we keep about you in the project «{study}». Here it all is. We "
        "made this letter on {date}.",
    },
    "your_code": {
        "nb": "Koden din i prosjektet er {code}. Vi bruker koden i stedet for navnet ditt.",
        "nn": "Koden din i prosjektet er {code}. Vi bruker koden i staden for namnet ditt.",
        "en": "Your code in the project is {code}. We use the code instead of your name.",
    },
    "contact_heading": {
        "nb": "Navn og adresse",
        "nn": "Namn og adresse",
        "en": "Name and address",
    },
    "contact_intro": {
        "nb": "Dette bruker vi bare for å sende deg brev. Vi holder det adskilt fra svarene dine.",
        "nn": "Dette bruker vi berre for å sende deg brev. Vi held det åtskilt frå svara dine.",
        "en": "We only use this to send you letters. We keep it apart from your answers.",
    },
    "no_contact": {
        "nb": "Vi har ikke navnet eller adressen din lenger.",
        "nn": "Vi har ikkje namnet eller adressa di lenger.",
        "en": "We no longer have your name or address.",
    },
    "answers_heading": {
        "nb": "Svarene dine",
        "nn": "Svara dine",
        "en": "Your answers",
    },
    "no_answers": {
        "nb": "Vi har ingen svar fra deg.",
        "nn": "Vi har ingen svar frå deg.",
        "en": "We have no answers from you.",
    },
    "answered_on": {
        "nb": "Svar på «{form}», mottatt {date} ({channel}).",
        "nn": "Svar på «{form}», motteke {date} ({channel}).",
        "en": "Answers to «{form}», received {date} ({channel}).",
    },
    "pages_kept": {
        "nb": "Vi har {n} bilder av skjemaer du sendte på papir. De viser hva du krysset av "
        "og at du skrev under.",
        "nn": "Vi har {n} bilete av skjema du sende på papir. Dei viser kva du kryssa av og "
        "at du skreiv under.",
        "en": "We keep {n} pictures of forms you sent on paper. They show what you ticked "
        "and that you signed.",
    },
    "consent_heading": {
        "nb": "Hva du har sagt ja til",
        "nn": "Kva du har sagt ja til",
        "en": "What you said yes to",
    },
    "history_heading": {
        "nb": "Alt som har skjedd med samtykket ditt",
        "nn": "Alt som har skjedd med samtykket ditt",
        "en": "Everything that happened to your consent",
    },
    "no_history": {
        "nb": "Ingenting er registrert ennå.",
        "nn": "Ingenting er registrert enno.",
        "en": "Nothing is recorded yet.",
    },
    "records_heading": {
        "nb": "Samtykket ditt som fil",
        "nn": "Samtykket ditt som fil",
        "en": "Your consent as a file",
    },
    "records_intro": {
        "nb": "Vi kan gi deg samtykket ditt som en fil. Andre datamaskiner kan lese den. "
        "Hver linje under er ett ja eller nei. Tallet viser hvor det står i loggen vår.",
        "nn": "Vi kan gi deg samtykket ditt som ei fil. Andre datamaskiner kan lese ho. "
        "Kvar linje under er eitt ja eller nei. Talet viser kvar det står i loggen vår.",
        "en": "We can give you your consent as a file. Other computers can read it. "
        "Each line below is one yes or no. The number shows where it is in our log.",
    },
    "rights_heading": {
        "nb": "Dine rettigheter",
        "nn": "Rettane dine",
        "en": "Your rights",
    },
    "rights": {
        "nb": "Du kan be oss rette det som er feil. Du kan be oss slette alt. Du kan trekke "
        "samtykket når du vil. Du trenger ikke si hvorfor. Du kan klage til "
        "Datatilsynet.",
        "nn": "Du kan be oss rette det som er feil. Du kan be oss slette alt. Du kan trekke "
        "samtykket når du vil. Du treng ikkje seie kvifor. Du kan klage til "
        "Datatilsynet.",
        "en": "You can ask us to correct what is wrong. You can ask us to delete it all. You "
        "can take back your consent at any time. You do not need to say why. You can "
        "complain to the Data Protection Authority (Datatilsynet).",
    },
    "questions_contact": {
        "nb": "Har du spørsmål? Kontakt {leader}.",
        "nn": "Har du spørsmål? Kontakt {leader}.",
        "en": "Questions? Contact {leader}.",
    },
    "dpo": {
        "nb": "Personvernombudet: {dpo}.",
        "nn": "Personvernombodet: {dpo}.",
        "en": "Data protection officer: {dpo}.",
    },
    "erased": {
        "nb": "Vi har slettet opplysningene dine. Vi har bare koden din og en merknad om at "
        "vi slettet.",
        "nn": "Vi har sletta opplysningane dine. Vi har berre koden din og ein merknad om at "
        "vi sletta.",
        "en": "We have deleted your data. We only keep your code and a note that we deleted it.",
    },
    "left_project": {
        "nb": "Du har trukket deg fra prosjektet. Vi kontakter deg ikke mer.",
        "nn": "Du har trekt deg frå prosjektet. Vi kontaktar deg ikkje meir.",
        "en": "You have left the project. We will not contact you again.",
    },
    "receipt_title": {
        "nb": "Kvittering for samtykket ditt",
        "nn": "Kvittering for samtykket ditt",
        "en": "Receipt for your consent",
    },
    "receipt_intro": {
        "nb": "Takk! Dette har du svart i prosjektet «{study}» {date}.",
        "nn": "Takk! Dette har du svart i prosjektet «{study}» {date}.",
        "en": "Thank you! This is what you answered in the project «{study}» on {date}.",
    },
    "receipt_version": {
        "nb": "Du leste tekst-versjon {version}. Vi tar vare på nøyaktig den teksten.",
        "nn": "Du las tekst-versjon {version}. Vi tek vare på nøyaktig den teksten.",
        "en": "You read text version {version}. We keep exactly that text.",
    },
    "receipt_reference": {
        "nb": "Referanse: {reference}.",
        "nn": "Referanse: {reference}.",
        "en": "Reference: {reference}.",
    },
    "receipt_change": {
        "nb": "Du kan ombestemme deg når du vil. Du trenger ikke si hvorfor. Bruk den samme "
        "lenken som før.",
        "nn": "Du kan ombestemme deg når du vil. Du treng ikkje seie kvifor. Bruk den same "
        "lenka som før.",
        "en": "You can change your mind at any time. You do not need to say why. Use the same "
        "link as before.",
    },
    "receipt_yes_heading": {
        "nb": "Du har sagt ja til:",
        "nn": "Du har sagt ja til:",
        "en": "You said yes to:",
    },
    "receipt_yes_none": {
        "nb": "Du har ikke sagt ja til noe nå.",
        "nn": "Du har ikkje sagt ja til noko no.",
        "en": "You have not said yes to anything now.",
    },
    "receipt_no_heading": {
        "nb": "Du har sagt nei til:",
        "nn": "Du har sagt nei til:",
        "en": "You said no to:",
    },
    "receipt_withdrawn_heading": {
        "nb": "Du har trukket tilbake:",
        "nn": "Du har trekt tilbake:",
        "en": "You took back your yes to:",
    },
    "receipt_not_asked_heading": {
        "nb": "Du har ikke svart på:",
        "nn": "Du har ikkje svart på:",
        "en": "You have not answered:",
    },
    "receipt_about_heading": {
        "nb": "Om kvitteringen",
        "nn": "Om kvitteringa",
        "en": "About this receipt",
    },
    "receipt_withdraw_heading": {
        "nb": "Slik trekker du samtykket",
        "nn": "Slik trekkjer du samtykket",
        "en": "How to take back your consent",
    },
    "receipt_withdraw_web": {
        "nb": "Eller gå til {url} og skriv inn svarkoden fra brevet.",
        "nn": "Eller gå til {url} og skriv inn svarkoden frå brevet.",
        "en": "Or go to {url} and type in the answer code from the letter.",
    },
    "receipt_withdraw_slip": {
        "nb": "Du kan også sende svarslippen fra brevet i posten.",
        "nn": "Du kan også sende svarslippen frå brevet i posten.",
        "en": "You can also send the reply slip from the letter by post.",
    },
    "receipt_withdraw_phone": {
        "nb": "Eller ring oss på {phone}.",
        "nn": "Eller ring oss på {phone}.",
        "en": "Or call us on {phone}.",
    },
    "field_name": {
        "nb": "Navn",
        "nn": "Namn",
        "en": "Name",
    },
    "field_address": {
        "nb": "Adresse",
        "nn": "Adresse",
        "en": "Address",
    },
    "field_postcode": {
        "nb": "Postnummer",
        "nn": "Postnummer",
        "en": "Postcode",
    },
    "field_city": {
        "nb": "Sted",
        "nn": "Stad",
        "en": "Town",
    },
    "field_phone": {
        "nb": "Telefon",
        "nn": "Telefon",
        "en": "Phone",
    },
    "field_email": {
        "nb": "E-post",
        "nn": "E-post",
        "en": "E-mail",
    },
    "state_granted": {
        "nb": "Ja",
        "nn": "Ja",
        "en": "Yes",
    },
    "state_declined": {
        "nb": "Nei",
        "nn": "Nei",
        "en": "No",
    },
    "state_withdrawn": {
        "nb": "Trukket tilbake",
        "nn": "Trekt tilbake",
        "en": "Taken back",
    },
    "state_not asked": {
        "nb": "Ikke spurt ennå",
        "nn": "Ikkje spurt enno",
        "en": "Not asked yet",
    },
    "action_grant": {
        "nb": "Sa ja",
        "nn": "Sa ja",
        "en": "Said yes",
    },
    "action_decline": {
        "nb": "Sa nei",
        "nn": "Sa nei",
        "en": "Said no",
    },
    "action_withdraw": {
        "nb": "Trakk tilbake",
        "nn": "Trekte tilbake",
        "en": "Took back",
    },
    "action_erase": {
        "nb": "Vi slettet opplysningene",
        "nn": "Vi sletta opplysningane",
        "en": "We deleted your data",
    },
    "action_note": {
        "nb": "Merknad",
        "nn": "Merknad",
        "en": "Note",
    },
    "channel_paper": {
        "nb": "på papir",
        "nn": "på papir",
        "en": "on paper",
    },
    "channel_web": {
        "nb": "på nett",
        "nn": "på nett",
        "en": "on the web",
    },
    "channel_phone": {
        "nb": "på telefon",
        "nn": "på telefon",
        "en": "by phone",
    },
    "channel_staff": {
        "nb": "registrert av oss",
        "nn": "registrert av oss",
        "en": "recorded by us",
    },
    "channel_manual": {
        "nb": "skrevet inn av oss",
        "nn": "skrive inn av oss",
        "en": "typed in by us",
    },
    "channel_pdf": {
        "nb": "PDF",
        "nn": "PDF",
        "en": "PDF",
    },
    "since": {
        "nb": "fra {date}",
        "nn": "frå {date}",
        "en": "since {date}",
    },
    "page_n": {
        "nb": "Side {n}",
        "nn": "Side {n}",
        "en": "Page {n}",
    },
}
