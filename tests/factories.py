"""Factories that build definitions in code, for tests that must not depend on YAML.

``make_form(**overrides)`` and ``make_study(**overrides)`` return a small but
complete definition covering every item type.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import replace

from forms.model import (
    Choice,
    ConsentItem,
    Contact,
    DataAtEnd,
    Form,
    FormKind,
    Item,
    ItemType,
    Letter,
    Section,
    Study,
    Text,
    WithdrawalPolicy,
)

LANGS = ("nb", "nn", "en")


def t(nb: str, nn: str | None = None, en: str | None = None) -> Text:
    """A text in all three bundled languages (nn and en default to the nb text)."""
    return Text({"nb": nb, "nn": nn or nb, "en": en or nb})


def make_questionnaire(**overrides) -> Form:
    items = (
        Item(
            "intro",
            ItemType.INFO,
            t("Svar på det du vil.", "Svar på det du vil.", "Answer what you like."),
        ),
        Item(
            "housing",
            ItemType.SINGLE_CHOICE,
            t("Hvor bor du?", "Kvar bur du?", "Where do you live?"),
            choices=(
                Choice("rent", t("Jeg leier", "Eg leiger", "I rent")),
                Choice("own", t("Jeg eier", "Eg eig", "I own")),
                Choice("other", t("Annet", "Anna", "Other")),
            ),
            required=True,
        ),
        Item(
            "help",
            ItemType.MULTIPLE_CHOICE,
            t("Hvem har hjulpet deg?", "Kven har hjelpt deg?", "Who has helped you?"),
            choices=(
                Choice("nav", t("NAV")),
                Choice("kommune", t("Kommunen", "Kommunen", "The municipality")),
                Choice("family", t("Familie", "Familie", "Family")),
            ),
        ),
        Item(
            "children", ItemType.YES_NO, t("Har du barn?", "Har du born?", "Do you have children?")
        ),
        Item(
            "satisfied",
            ItemType.SCALE,
            t("Hvor fornøyd er du?", "Kor nøgd er du?", "How happy are you?"),
            scale_min=1,
            scale_max=5,
            scale_low=t("Lite", "Lite", "Not at all"),
            scale_high=t("Mye", "Mykje", "Very"),
        ),
        Item("rooms", ItemType.NUMBER, t("Hvor mange rom?", "Kor mange rom?", "How many rooms?")),
        Item(
            "moved",
            ItemType.DATE,
            t("Når flyttet du inn?", "Når flytta du inn?", "When did you move in?"),
        ),
        Item("name", ItemType.SHORT_TEXT, t("Fornavn", "Førenamn", "First name")),
        Item(
            "story",
            ItemType.LONG_TEXT,
            t("Fortell oss mer", "Fortel oss meir", "Tell us more"),
            lines=3,
        ),
    )
    form = Form(
        id="families",
        kind=FormKind.QUESTIONNAIRE,
        title=t("Spørsmål til familier", "Spørsmål til familiar", "Questions for families"),
        sections=(Section("s1", t("Om deg", "Om deg", "About you"), items),),
        languages=LANGS,
    )
    return replace(form, **overrides)


def make_consent_form(**overrides) -> Form:
    items = (
        Item(
            "understood",
            ItemType.INFO,
            t(
                "Jeg har fått informasjon.",
                "Eg har fått informasjon.",
                "I have received information.",
            ),
        ),
        Item(
            "c_interview",
            ItemType.CONSENT,
            t("Intervju", "Intervju", "Interview"),
            consent_item="interview",
        ),
        Item(
            "c_audio",
            ItemType.CONSENT,
            t("Lydopptak", "Lydopptak", "Audio recording"),
            consent_item="audio",
        ),
        Item(
            "signature", ItemType.SIGNATURE, t("Signatur", "Signatur", "Signature"), required=True
        ),
        Item("signed_on", ItemType.DATE, t("Dato", "Dato", "Date"), required=True),
    )
    form = Form(
        id="consent",
        kind=FormKind.CONSENT,
        title=t("Samtykkeerklæring", "Samtykkeerklæring", "Consent form"),
        sections=(Section("declaration", None, items),),
        languages=LANGS,
    )
    return replace(form, **overrides)


def make_study(**overrides) -> Study:
    leader = Contact(
        "Kari Nordmann",
        t("Prosjektleder", "Prosjektleiar", "Project leader"),
        "Høgskolen",
        "12345678",
        "kari@example.no",
    )
    study = Study(
        id="u-sving",
        title=t("U-sving", "U-sving", "U-turn"),
        languages=LANGS,
        purpose=t("Vi vil lære.", "Vi vil lære.", "We want to learn."),
        institution="Høgskolen",
        partners=("Kommunen", "NAV"),
        why_asked=t("Du har erfaring.", "Du har erfaring.", "You have experience."),
        mediated_by=t("NAV sendte brevet.", "NAV sende brevet.", "NAV sent the letter."),
        participation=t("Vi snakker sammen.", "Vi snakkar saman.", "We talk together."),
        data_collected=t("Svar og lydopptak.", "Svar og lydopptak.", "Answers and audio."),
        no_effect_on_services=t(
            "Det påvirker ikke hjelpen du får.",
            "Det påverkar ikkje hjelpa du får.",
            "It does not change the help you get.",
        ),
        withdrawal_policy=WithdrawalPolicy.DELETE,
        access=t("Bare forskerne.", "Berre forskarane.", "Only the researchers."),
        storage=t("Lagret trygt.", "Lagra trygt.", "Stored safely."),
        recognisable=t(
            "Ingen kjenner deg igjen.", "Ingen kjenner deg att.", "Nobody will recognise you."
        ),
        end_date=dt.date(2027, 12, 31),
        data_at_end=DataAtEnd.DELETE,
        end_of_project=t("Vi sletter alt.", "Vi slettar alt.", "We delete everything."),
        rights=t("Du kan se dataene dine.", "Du kan sjå dataa dine.", "You can see your data."),
        legal_basis=t("Ditt samtykke.", "Ditt samtykke.", "Your consent."),
        sikt_reference="123456",
        project_leader=leader,
        dpo=Contact("Ola Personvern", None, "Høgskolen", None, "personvern@example.no"),
        contacts=(leader,),
        consent_items=(
            ConsentItem(
                "interview",
                t(
                    "Å være med på intervju",
                    "Å vere med på intervju",
                    "To take part in an interview",
                ),
                required=True,
            ),
            ConsentItem(
                "audio",
                t(
                    "Lydopptak av intervjuet",
                    "Lydopptak av intervjuet",
                    "Audio recording of the interview",
                ),
            ),
        ),
        forms=(make_consent_form(), make_questionnaire()),
        letters=(
            Letter(
                "invitation",
                t(
                    "Hei!\n\nVil du være med?",
                    "Hei!\n\nVil du vere med?",
                    "Hello!\n\nWill you join?",
                ),
            ),
        ),
        sender=leader,
    )
    return replace(study, **overrides)


# --- right-to-left forms (Arabic and Persian), for print and scan tests ---------------------

RTL_LANGS = ("nb", "ar", "fa")


def rtl(nb: str, ar: str, fa: str) -> Text:
    """A text in bokmål, Arabic and Persian."""
    return Text({"nb": nb, "ar": ar, "fa": fa})


#: A sentence with a number and a Latin name inside right-to-left text.
RTL_MIXED = rtl(
    "Du har bodd i Eksempelby i 12 år.",
    "تسكن في Eksempelby منذ 12 سنة.",
    "شما 12 سال در Eksempelby زندگی کرده‌اید.",
)


def make_rtl_questionnaire(**overrides) -> Form:
    """Every answer kind in Arabic and Persian (with bokmål), the mixed sentence first."""
    items = (
        Item("intro", ItemType.INFO, RTL_MIXED),
        Item(
            "housing",
            ItemType.SINGLE_CHOICE,
            rtl("Hvor bor du?", "أين تسكن؟", "کجا زندگی می‌کنید؟"),
            choices=(
                Choice("rent", rtl("Jeg leier", "أستأجر", "اجاره می‌کنم")),
                Choice("own", rtl("Jeg eier", "أملك بيتي", "خانهٔ خودم است")),
                Choice("other", rtl("Annet", "غير ذلك", "دیگر")),
            ),
            required=True,
        ),
        Item(
            "help",
            ItemType.MULTIPLE_CHOICE,
            rtl("Hvem har hjulpet deg?", "من ساعدك؟", "چه کسی به شما کمک کرده است؟"),
            choices=(
                Choice("nav", rtl("NAV", "NAV", "NAV")),
                Choice("kommune", rtl("Kommunen", "البلدية", "شهرداری")),
                Choice("family", rtl("Familie", "العائلة", "خانواده")),
            ),
        ),
        Item(
            "children",
            ItemType.YES_NO,
            rtl("Har du barn?", "هل لديك أطفال؟", "فرزند دارید؟"),
            choices=(
                Choice("yes", rtl("Ja", "نعم", "بله")),
                Choice("no", rtl("Nei", "لا", "نه")),
            ),
        ),
        Item(
            "satisfied",
            ItemType.SCALE,
            rtl("Hvor fornøyd er du?", "ما مدى رضاك؟", "چقدر راضی هستید؟"),
            scale_min=1,
            scale_max=5,
            scale_low=rtl("Lite", "قليلًا", "کم"),
            scale_high=rtl("Mye", "كثيرًا", "زیاد"),
        ),
        Item("rooms", ItemType.NUMBER, rtl("Hvor mange rom?", "كم غرفة؟", "چند اتاق؟")),
        Item("name", ItemType.SHORT_TEXT, rtl("Fornavn", "الاسم الأول", "نام")),
        Item(
            "story",
            ItemType.LONG_TEXT,
            rtl("Fortell oss mer", "أخبرنا المزيد", "بیشتر بگویید"),
            lines=3,
        ),
    )
    form = Form(
        id="families",
        kind=FormKind.QUESTIONNAIRE,
        title=rtl("Spørsmål til familier", "أسئلة للعائلات", "پرسش‌هایی برای خانواده‌ها"),
        sections=(Section("s1", rtl("Om deg", "عنك", "دربارهٔ شما"), items),),
        languages=RTL_LANGS,
    )
    return replace(form, **overrides)


def make_rtl_consent_form(**overrides) -> Form:
    items = (
        Item(
            "c_interview",
            ItemType.CONSENT,
            rtl("Intervju", "أوافق على المقابلة", "با مصاحبه موافقم"),
            consent_item="interview",
        ),
        Item(
            "c_audio",
            ItemType.CONSENT,
            rtl("Lydopptak", "أوافق على التسجيل الصوتي", "با ضبط صدا موافقم"),
            consent_item="audio",
        ),
        Item("signature", ItemType.SIGNATURE, rtl("Signatur", "التوقيع", "امضا"), required=True),
        Item("signed_on", ItemType.DATE, rtl("Dato", "التاريخ", "تاریخ"), required=True),
    )
    form = Form(
        id="consent",
        kind=FormKind.CONSENT,
        title=rtl("Samtykkeerklæring", "الموافقة", "رضایت‌نامه"),
        sections=(Section("declaration", None, items),),
        languages=RTL_LANGS,
    )
    return replace(form, **overrides)
