"""The information letter's fixed wording: the Sikt shape's headings and standard sentences.

These are measured in the "plain" register, as the whole printed information letter is:
the consent declaration quotes Sikt's own formula, and a few standard sentences (rights,
legal basis) run longer than the easy register's limit. Our own sentences stay short
(tests/forms/test_information.py holds them to 18 words).

The same keys are written in Arabic, Polish, Ukrainian, Somali and Tigrinya in
``forms/words/translations/`` (each module's ``LETTER``).
"""

from __future__ import annotations

from collections.abc import Mapping

#: The readability register these words are measured in (see forms.readability.REGISTERS).
REGISTER = "plain"

WORDS: Mapping[str, Mapping[str, str]] = {
    "letter_title": {
        "nb": "Vil du delta i forskningsprosjektet «{title}»?",
        "nn": "Vil du delta i forskingsprosjektet «{title}»?",
        "en": "Will you take part in the research project «{title}»?",
    },
    "letter_intro": {
        "nb": "Dette er et spørsmål til deg om å være med i et forskningsprosjekt. "
        "I dette skrivet forteller vi hva prosjektet handler om. "
        "Du får også vite hva det betyr for deg å være med.",
        "nn": "Dette er eit spørsmål til deg om å vere med i eit forskingsprosjekt. "
        "I dette skrivet fortel vi kva prosjektet handlar om. "
        "Du får også vite kva det betyr for deg å vere med.",
        "en": "This is a question to you about taking part in a research project. "
        "In this letter we tell you what the project is about. "
        "You can also read what it means for you to take part.",
    },
    "letter_h_purpose": {"nb": "Formål", "nn": "Formål", "en": "Purpose of the project"},
    "letter_h_responsible": {
        "nb": "Hvem er ansvarlig for prosjektet?",
        "nn": "Kven er ansvarleg for prosjektet?",
        "en": "Who is responsible for the project?",
    },
    "letter_responsible": {
        "nb": "{institution} er ansvarlig for prosjektet.",
        "nn": "{institution} er ansvarleg for prosjektet.",
        "en": "{institution} is responsible for the project.",
    },
    "letter_partners": {
        "nb": "Vi samarbeider med {partners}.",
        "nn": "Vi samarbeider med {partners}.",
        "en": "We work together with {partners}.",
    },
    "letter_h_why_asked": {
        "nb": "Hvorfor får du spørsmål om å være med?",
        "nn": "Kvifor får du spørsmål om å vere med?",
        "en": "Why are you asked to take part?",
    },
    "letter_h_participation": {
        "nb": "Hva betyr det for deg å være med?",
        "nn": "Kva betyr det for deg å vere med?",
        "en": "What does taking part mean for you?",
    },
    "letter_h_voluntary": {
        "nb": "Det er frivillig å være med",
        "nn": "Det er frivillig å vere med",
        "en": "Taking part is voluntary",
    },
    "letter_voluntary": {
        "nb": "Det er frivillig å være med i prosjektet. "
        "Hvis du er med, kan du når som helst trekke samtykket ditt. "
        "Du trenger ikke å si hvorfor.",
        "nn": "Det er frivillig å vere med i prosjektet. "
        "Viss du er med, kan du når som helst trekkje samtykket ditt. "
        "Du treng ikkje å seie kvifor.",
        "en": "Taking part in the project is voluntary. "
        "If you take part, you can withdraw your consent at any time. "
        "You do not need to say why.",
    },
    "letter_withdraw_delete": {
        "nb": "Trekker du deg, sletter vi alle opplysningene om deg.",
        "nn": "Trekkjer du deg, slettar vi alle opplysningane om deg.",
        "en": "If you withdraw, we delete all the information about you.",
    },
    "letter_withdraw_keep": {
        "nb": "Trekker du deg, samler vi ikke inn mer om deg. "
        "Det vi fikk før du trakk deg, beholder vi og bruker i prosjektet.",
        "nn": "Trekkjer du deg, samlar vi ikkje inn meir om deg. "
        "Det vi fekk før du trekte deg, held vi på og brukar i prosjektet.",
        "en": "If you withdraw, we collect nothing more about you. "
        "We keep and use what we got before you withdrew.",
    },
    "letter_no_consequences": {
        "nb": "Det får ingen følger for deg om du sier nei. Det gjelder også om du trekker "
        "deg senere.",
        "nn": "Det får ingen følgjer for deg om du seier nei. Det gjeld også om du trekkjer "
        "deg seinare.",
        "en": "Nothing happens to you if you say no. The same goes if you withdraw later.",
    },
    "letter_h_privacy": {
        "nb": "Ditt personvern: slik lagrer og bruker vi opplysningene dine",
        "nn": "Personvernet ditt: slik lagrar og brukar vi opplysningane dine",
        "en": "Your privacy: how we store and use your information",
    },
    "letter_privacy": {
        "nb": "Vi bruker opplysningene om deg bare til det vi har sagt i dette brevet. "
        "Vi holder dem hemmelige. Vi følger reglene for personvern.",
        "nn": "Vi brukar opplysningane om deg berre til det vi har sagt i dette brevet. "
        "Vi held dei hemmelege. Vi følgjer reglane for personvern.",
        "en": "We use the information about you only for what this letter tells you about. "
        "We treat it in confidence and follow the privacy rules.",
    },
    "letter_names_apart": {
        "nb": "Navnet ditt og kontaktopplysningene dine lagrer vi for seg, "
        "adskilt fra svarene dine. På svarene står det bare en kode.",
        "nn": "Namnet ditt og kontaktopplysningane dine lagrar vi for seg, "
        "skilde frå svara dine. På svara står det berre ein kode.",
        "en": "We keep your name and contact details on their own, "
        "apart from your answers. Your answers carry only a code.",
    },
    "letter_h_end": {
        "nb": "Hva skjer med opplysningene dine når prosjektet er slutt?",
        "nn": "Kva skjer med opplysningane dine når prosjektet er slutt?",
        "en": "What happens to your information when the project ends?",
    },
    "letter_end_date": {
        "nb": "Prosjektet slutter {date}.",
        "nn": "Prosjektet sluttar {date}.",
        "en": "The project ends on {date}.",
    },
    "letter_end_delete": {
        "nb": "Da sletter vi alle opplysningene om deg.",
        "nn": "Då slettar vi alle opplysningane om deg.",
        "en": "We will then delete all the information about you.",
    },
    "letter_end_anonymise": {
        "nb": "Da sletter vi navn og alt annet som kan vise at det er deg. "
        "Det som er igjen, kan ingen knytte til deg.",
        "nn": "Då slettar vi namn og alt anna som kan vise at det er deg. "
        "Det som er att, kan ingen knyte til deg.",
        "en": "We will then delete your name and everything else that can show it is you. "
        "Nobody can link what is left to you.",
    },
    "letter_end_keep": {
        "nb": "Noen opplysninger blir lagret videre etter at prosjektet er slutt.",
        "nn": "Nokre opplysningar blir lagra vidare etter at prosjektet er slutt.",
        "en": "Some information will be kept after the project ends.",
    },
    "letter_h_rights": {"nb": "Dine rettigheter", "nn": "Rettane dine", "en": "Your rights"},
    "letter_rights": {
        "nb": "Så lenge vi kan finne deg i opplysningene, har du disse rettighetene: "
        "Du kan se hvilke opplysninger vi har om deg. Du kan få en kopi av dem. "
        "Du kan få rettet opplysninger som er feil. "
        "Du kan få slettet opplysninger om deg. "
        "Du kan be oss stanse bruken av opplysningene dine en tid, "
        "for eksempel mens vi sjekker dem. "
        "Du kan få opplysningene du har gitt oss, i en fil du kan gi til andre.",
        "nn": "Så lenge vi kan finne deg i opplysningane, har du desse rettane: "
        "Du kan sjå kva opplysningar vi har om deg. Du kan få ein kopi av dei. "
        "Du kan få retta opplysningar som er feil. "
        "Du kan få sletta opplysningar om deg. "
        "Du kan be oss stanse bruken av opplysningane dine ei tid, "
        "til dømes medan vi sjekkar dei. "
        "Du kan få opplysningane du har gitt oss, i ei fil du kan gi til andre.",
        "en": "As long as we can find you in the information, you have these rights: "
        "You can see what information we hold about you. You can get a copy of it. "
        "You can have wrong information corrected. "
        "You can have information about you deleted. "
        "You can ask us to stop using your information for a time, "
        "for example while we check it. "
        "You can get the information you gave us in a file you can give to others.",
    },
    "letter_complaint": {
        "nb": "Du kan klage til Datatilsynet hvis du mener vi bruker opplysningene dine feil.",
        "nn": "Du kan klage til Datatilsynet viss du meiner vi brukar opplysningane dine feil.",
        "en": "Do you think we use your information in a wrong way? "
        "Then you can complain to Datatilsynet. It is the Norwegian Data Protection Authority.",
    },
    "letter_h_legal_basis": {
        "nb": "Hva gir oss rett til å bruke opplysninger om deg?",
        "nn": "Kva gir oss rett til å bruke opplysningar om deg?",
        "en": "What gives us the right to use information about you?",
    },
    "letter_legal_consent": {
        "nb": "Vi bruker opplysninger om deg fordi du har sagt ja til det (samtykke).",
        "nn": "Vi brukar opplysningar om deg fordi du har sagt ja til det (samtykke).",
        "en": "We use information about you because you have said yes to it (consent).",
    },
    "letter_sikt_assessment": {
        "nb": "Sikt har vurdert prosjektet. De mener at vi følger reglene for personvern. "
        "Saksnummeret hos Sikt er {reference}.",
        "nn": "Sikt har vurdert prosjektet. Dei meiner at vi følgjer reglane for personvern. "
        "Saksnummeret hos Sikt er {reference}.",
        "en": "Sikt has assessed the project. They find that we follow the privacy rules. "
        "The reference number at Sikt is {reference}.",
    },
    "letter_h_more": {
        "nb": "Hvor kan du finne ut mer?",
        "nn": "Kvar kan du finne ut meir?",
        "en": "Where can you find out more?",
    },
    "letter_more_intro": {
        "nb": "Har du spørsmål, eller vil du bruke rettighetene dine? Ta kontakt med:",
        "nn": "Har du spørsmål, eller vil du bruke rettane dine? Ta kontakt med:",
        "en": "Do you have questions, or do you want to use your rights? Contact:",
    },
    "letter_project_leader": {"nb": "prosjektleder", "nn": "prosjektleiar", "en": "project leader"},
    "letter_dpo": {
        "nb": "personvernombudet",
        "nn": "personvernombodet",
        "en": "the data protection officer",
    },
    "letter_at": {"nb": "ved", "nn": "ved", "en": "at"},
    "letter_phone": {"nb": "telefon", "nn": "telefon", "en": "phone"},
    "letter_email": {"nb": "e-post", "nn": "e-post", "en": "email"},
    "letter_sikt_contact": {
        "nb": "Sikt, som gir råd om personvern i forskning: e-post {email}, telefon {phone}.",
        "nn": "Sikt, som gir råd om personvern i forsking: e-post {email}, telefon {phone}.",
        "en": "Sikt, who give advice on privacy in research: email {email}, phone {phone}.",
    },
    "letter_h_consent": {
        "nb": "Samtykkeerklæring",
        "nn": "Samtykkeerklæring",
        "en": "Consent declaration",
    },
    "letter_declaration": {
        "nb": "Jeg har fått og forstått informasjon om prosjektet «{title}», "
        "og jeg har fått stille spørsmål. Jeg samtykker til:",
        "nn": "Eg har fått og forstått informasjon om prosjektet «{title}», "
        "og eg har fått stille spørsmål. Eg samtykkjer til:",
        "en": "I have received and understood information about the project «{title}», "
        "and I have had the chance to ask questions. I consent to:",
    },
    "letter_until_end": {
        "nb": "Jeg samtykker til at opplysningene mine blir brukt til prosjektet er slutt, {date}.",
        "nn": "Eg samtykkjer til at opplysningane mine blir brukte til prosjektet er slutt, "
        "{date}.",
        "en": "I consent to my information being used until the project ends on {date}.",
    },
    "letter_required_note": {
        "nb": "Du må krysse av for det som er merket med *, for å være med.",
        "nn": "Du må krysse av for det som er merkt med *, for å vere med.",
        "en": "To take part, you must tick the items marked with *.",
    },
    "letter_greeting": {
        "nb": "Med vennlig hilsen",
        "nn": "Med venleg helsing",
        "en": "Kind regards",
    },
}
