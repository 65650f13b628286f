"""Personal data in free Dutch text: what is found (kind and exact span), what is left alone, and redaction."""

from __future__ import annotations

from collections import namedtuple

import pytest

from klantreis_tui.i18n import using_language
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from klantreis_tui import pii
from klantreis_tui.pii import PiiKind, labels, PiiMatch, detection, find_pii, kinds_in, redact, redact_value

BSN, IBAN, PHONE, EMAIL, ADDRESS = PiiKind.BSN, PiiKind.IBAN, PiiKind.PHONE, PiiKind.EMAIL, PiiKind.ADDRESS

# Elfproef, checked by hand (9*d1 + 8*d2 + 7*d3 + 6*d4 + 5*d5 + 4*d6 + 3*d7 + 2*d8 - d9):
#   123456782: 9+16+21+24+25+24+21+16-2 = 154 = 14*11
#   111222333: 9+8+7+12+10+8+9+6-3      =  66 =  6*11
#   234567892: 18+24+28+30+30+28+24+18-2 = 198 = 18*11
#   876543219: 72+56+42+30+20+12+6+2-9  = 231 = 21*11
#   314159265: 27+8+28+6+25+36+6+12-5   = 143 = 13*11
#   271828183: 18+56+7+48+10+32+3+16-3  = 187 = 17*11
#   100000009: 9-9                      =   0 =  0*11 (not all zeros, so valid)
VALID_BSNS = ["123456782", "111222333", "234567892", "876543219", "314159265", "271828183", "100000009"]
# The same with one digit changed (sums 153, 67, 197, 240, 144, 186, 155), plus all zeros and 123456789 (147).
INVALID_BSNS = ["123456783", "111222334", "234567891", "876543210", "314159266", "271828184", "223456782",
                "000000000", "123456789"]

VALID_IBANS = [
    "NL91ABNA0417164300",
    "NL02ABNA0123456789",
    "BE68539007547034",
    "DE89370400440532013000",
    "GB29NWBK60161331926819",
    "FR1420041010050500013M02606",
]
# One digit changed in each (account part or check digits); and one a digit short.
INVALID_IBANS = [
    "NL91ABNA0417164301",
    "NL02ABNA0123456780",
    "BE68539007547035",
    "DE89370400440532013001",
    "GB29NWBK60161331926818",
    "FR1420041010050500013M02607",
    "NL92ABNA0417164300",
    "NL91ABNA041716430",
]


def expect_one(text: str, kind: PiiKind, span: str) -> None:
    start = text.index(span)
    assert find_pii(text) == [PiiMatch(kind, start, start + len(span), span)]


# (text, kind, the exact text that is found)
POSITIVE = [
    # BSN
    ("Mijn BSN is 123456782.", BSN, "123456782"),
    ("bsn: 1234.56.782", BSN, "1234.56.782"),
    ("BSN 1234 56 782 staat op de brief", BSN, "1234 56 782"),
    ("burgerservicenummer 123 456 782, zei ze", BSN, "123 456 782"),
    ("(111222333)", BSN, "111222333"),
    ("BSN: 111-222-333", BSN, "111-222-333"),
    # IBAN
    ("Rekening NL91ABNA0417164300 staat op naam van haar man.", IBAN, "NL91ABNA0417164300"),
    ("IBAN: NL91 ABNA 0417 1643 00 voor de huur", IBAN, "NL91 ABNA 0417 1643 00"),
    ("in kleine letters nl91abna0417164300 ook", IBAN, "nl91abna0417164300"),
    ("Mijn IBAN is NL02ABNA0123456789.", IBAN, "NL02ABNA0123456789"),
    ("Belgische rekening BE68 5390 0754 7034", IBAN, "BE68 5390 0754 7034"),
    ("DE89 3704 0044 0532 0130 00 in Duitsland", IBAN, "DE89 3704 0044 0532 0130 00"),
    ("GB29NWBK60161331926819", IBAN, "GB29NWBK60161331926819"),
    ("na ab12 komt NL91ABNA0417164300", IBAN, "NL91ABNA0417164300"),
    # PHONE, national
    ("Bel me op 0612345678.", PHONE, "0612345678"),
    ("mobiel 06-12345678 na vijven", PHONE, "06-12345678"),
    ("06 1234 5678", PHONE, "06 1234 5678"),
    ("tel. 06-1234 5678", PHONE, "06-1234 5678"),
    ("(06) 12345678", PHONE, "(06) 12345678"),
    ("06 12 34 56 78", PHONE, "06 12 34 56 78"),
    ("0612 345 678", PHONE, "0612 345 678"),
    ("kantoor 010-1234567", PHONE, "010-1234567"),
    ("020 123 4567 is het nummer", PHONE, "020 123 4567"),
    ("0513-123456 in Friesland", PHONE, "0513-123456"),
    ("010 123 45 67", PHONE, "010 123 45 67"),
    ("(020) 1234567", PHONE, "(020) 1234567"),
    ("voip 085-1234567", PHONE, "085-1234567"),
    ("mijn nummer (0612345678) staat erop", PHONE, "0612345678"),
    ("bel 0612345678 2 keer per dag", PHONE, "0612345678"),
    ("06-12345678 3 keer geprobeerd", PHONE, "06-12345678"),
    # PHONE, international
    ("+31 6 12345678", PHONE, "+31 6 12345678"),
    ("+31612345678", PHONE, "+31612345678"),
    ("bel +31(0)612345678 aub", PHONE, "+31(0)612345678"),
    ("+31 (0)6 12345678", PHONE, "+31 (0)6 12345678"),
    ("0031 6 12345678", PHONE, "0031 6 12345678"),
    ("+31 20 123 4567", PHONE, "+31 20 123 4567"),
    ("haar zus in Londen: +44 20 7946 0958", PHONE, "+44 20 7946 0958"),
    ("+32 2 123 45 67", PHONE, "+32 2 123 45 67"),
    ("+1 555 123 4567", PHONE, "+1 555 123 4567"),
    ("0049 30 1234567", PHONE, "0049 30 1234567"),
    # EMAIL
    ("mail naar jan@voorbeeld.nl graag", EMAIL, "jan@voorbeeld.nl"),
    ("j.de.vries+gemeente@mail.voorbeeld.nl.", EMAIL, "j.de.vries+gemeente@mail.voorbeeld.nl"),
    ("Adres: p.jansen@sub.domein.gemeente.nl, zei hij", EMAIL, "p.jansen@sub.domein.gemeente.nl"),
    ("<info_2@x-y.org>", EMAIL, "info_2@x-y.org"),
    ("josé@voorbeeld.nl", EMAIL, "josé@voorbeeld.nl"),
    ("...jan@voorbeeld.nl", EMAIL, "jan@voorbeeld.nl"),
    ("0612345678@voorbeeld.nl", EMAIL, "0612345678@voorbeeld.nl"),
    # ADDRESS: postcode with house number
    ("1234 AB 12", ADDRESS, "1234 AB 12"),
    ("postcode 1234AB 12a", ADDRESS, "1234AB 12a"),
    ("1234 ab, nr 5", ADDRESS, "1234 ab, nr 5"),
    ("1234AB en huisnummer 12", ADDRESS, "1234AB en huisnummer 12"),
    ("huisnummer 12, 1234 AB", ADDRESS, "huisnummer 12, 1234 AB"),
    ("9999 zz 1-2", ADDRESS, "9999 zz 1-2"),
    # ADDRESS: street with house number, with or without postcode
    ("Dorpsstraat 12, 1234 AB Utrecht", ADDRESS, "Dorpsstraat 12, 1234 AB"),
    ("Kerkweg 5a 1234AB", ADDRESS, "Kerkweg 5a 1234AB"),
    ("ik woon op de Dorpsstraat 12", ADDRESS, "Dorpsstraat 12"),
    ("Ze woont aan de Burgemeester de Vlugtlaan 12 in Utrecht", ADDRESS, "Burgemeester de Vlugtlaan 12"),
    ("Op de Van Goghstraat 3 woont ze", ADDRESS, "Van Goghstraat 3"),
    ("De Ruyterstraat 12", ADDRESS, "De Ruyterstraat 12"),
    ("op de Grote Markt 1 is het loket", ADDRESS, "Grote Markt 1"),
    ("Stadsring 12", ADDRESS, "Stadsring 12"),
    ("Kerkpad 3b", ADDRESS, "Kerkpad 3b"),
    ("Prinsengracht 263-1", ADDRESS, "Prinsengracht 263-1"),
    ("Molendijk nr. 4", ADDRESS, "Molendijk nr. 4"),
    ("Emmaplein 7.", ADDRESS, "Emmaplein 7"),
]

NEGATIVE = [
    # BSN look-alikes
    "123456783",
    "123456789",
    "000000000",
    "123.456.782",  # dots in threes: an amount
    "111-222-334",  # hyphens, but no elfproef
    "zaak 2024-111-222-333",  # part of a longer number
    "€ 123456782",
    "€123456782",
    "2024-123456782",
    "Z123456782",
    "1234567820",
    "12 123 456 782",
    "123 456 782 1",
    "zaak 123456782-01",
    # IBAN look-alikes
    "NL91ABNA0417164301",
    "NL91ABNA041716430",
    "xNL91ABNA0417164300",
    "AB12 is geen rekening",
    # Organisation and short numbers
    "bel 0800-1234",
    "0800 0123 of 0800-022 33 44",
    "0900-1234567",
    "0900 123456",
    "0800 123456",
    "0881234567",
    "0900 8844",
    "0906-123456",
    "0909-1234567",
    "088-1234567",
    "+31 88 1234567",
    "+31 800 1234",
    "bel 14 020",
    "14 0513",
    "bel 112",
    "097-123456789",
    # Dates, times, amounts, years, case numbers
    "12-03-2024",
    "12.03.2024",
    "op 06-03-2024 om 10.30 uur",
    "06 03 2024 12 uur",
    "06/03/2024",
    "om 06:30",
    "€ 1.250,00",
    "1250 euro",
    "0,50 per maand",
    "van 1998 tot 2024",
    "zaaknummer 2024-0012345",
    "kenmerk 2024/0012345",
    "Z-2024-0012345",
    "06 12345678 12 keer",
    "020 123 4567 8",
    "0612345678-2",
    "0612345678abc",
    "tel0612345678",
    # E-mail look-alikes
    "@gemeente",
    "info@gemeente",
    "stuur het naar de @gemeente",
    "a@b.c",
    # Postcode look-alikes and postcodes without a house number
    "Postcode Loterij",
    "4 weken",
    "3 AB-tests",
    "in 2024 en 12 maanden later",
    "ca 1500 km 12 keer",
    "postcode 1234 AB",
    "1234AB",
    "1234 SA 12",
    "1234sd 5",
    "1234 SS 1",
    "0123 AB 12",
    # Street look-alikes
    "Laan 12",
    "de straat 12",
    "ik woon op de dorpsstraat 12",
    "ik ben in de Kalverstraat 3 keer geweest",
    "Uitkering 3 is gestopt",
    "Verzekering 2 kost veel",
    "Onderweg 2 uur",
    "Supermarkt 2 keer",
    "Dorpsstraat 12,50 euro",
    "Dorpsstraat 10.30 uur",
    "Markt 3",
    # Plain interview text
    "Ze kreeg in 2021 een uitkering van € 1.250,00 per maand en moest 4 weken wachten.",
    "Ik heb 3 keer gebeld en na 12 dagen kwam er een brief, kenmerk 2024-0012345.",
    "",
]


@pytest.mark.parametrize(("text", "kind", "span"), POSITIVE, ids=[f"{k.value}:{t}" for t, k, _ in POSITIVE])
def test_positive(text, kind, span):
    expect_one(text, kind, span)


@pytest.mark.parametrize("text", NEGATIVE)
def test_negative(text):
    assert find_pii(text) == []
    # Next to real personal data, only that is found.
    probe = text + " mail jan@voorbeeld.nl"
    assert [(m.kind, m.text) for m in find_pii(probe)] == [(EMAIL, "jan@voorbeeld.nl")]


@pytest.mark.parametrize("bsn", VALID_BSNS)
def test_elfproef_valid_bsns_are_found(bsn):
    expect_one(f"BSN {bsn} klopt", BSN, bsn)
    assert pii.elfproef(bsn)


@pytest.mark.parametrize("bsn", INVALID_BSNS)
def test_elfproef_invalid_bsns_are_not(bsn):
    assert find_pii(f"BSN {bsn} klopt niet") == []
    assert not pii.elfproef(bsn)


@pytest.mark.parametrize("iban", VALID_IBANS)
def test_valid_ibans_are_found_compact_and_grouped(iban):
    expect_one(f"rekening {iban} ", IBAN, iban)
    grouped = " ".join(iban[i : i + 4] for i in range(0, len(iban), 4))
    expect_one(f"rekening {grouped} ", IBAN, grouped)
    expect_one(f"rekening {iban.lower()} ", IBAN, iban.lower())


@pytest.mark.parametrize("iban", INVALID_IBANS)
def test_ibans_with_a_changed_digit_are_not(iban):
    assert find_pii(f"rekening {iban} ") == []
    assert not pii.iban_is_valid(iban)


def test_several_kinds_in_one_text_in_order():
    text = (
        "Mevrouw (BSN 123456782) woont op de Dorpsstraat 12, 1234 AB Utrecht, bel 06-12345678 "
        "of mail m.jansen@voorbeeld.nl; rekening NL91 ABNA 0417 1643 00."
    )
    found = [(m.kind, m.text) for m in find_pii(text)]
    assert found == [
        (BSN, "123456782"),
        (ADDRESS, "Dorpsstraat 12, 1234 AB"),
        (PHONE, "06-12345678"),
        (EMAIL, "m.jansen@voorbeeld.nl"),
        (IBAN, "NL91 ABNA 0417 1643 00"),
    ]
    assert all(text[m.start : m.end] == m.text for m in find_pii(text))
    assert kinds_in(text) == [BSN, ADDRESS, PHONE, EMAIL, IBAN]


def test_two_phone_numbers_next_to_each_other():
    text = "06 12345678 06 87654321"
    assert [m.text for m in find_pii(text)] == ["06 12345678", "06 87654321"]


def test_kinds_in_lists_each_kind_once_in_order_of_first_appearance():
    assert kinds_in("0612345678, jan@voorbeeld.nl, 0687654321, 123456782, piet@voorbeeld.nl") == [PHONE, EMAIL, BSN]
    assert kinds_in("niets bijzonders") == []


def test_longer_match_wins_an_overlap():
    # The local part is a phone number, but the e-mail address is longer.
    assert [(m.kind, m.text) for m in find_pii("0612345678@voorbeeld.nl")] == [(EMAIL, "0612345678@voorbeeld.nl")]


def test_priority_decides_between_equally_long_matches(monkeypatch):
    # No real text gives two kinds the very same span, so the finders are replaced by fixed ones.
    def spans(*found):
        return lambda text: iter(found)

    monkeypatch.setattr(
        detection,
        "_FINDERS",
        (
            (PHONE, spans((0, 10), (20, 25))),
            (ADDRESS, spans((0, 10), (12, 18))),
            (BSN, spans((12, 18), (30, 40))),
            (IBAN, spans((30, 40), (20, 25))),
            (EMAIL, spans((30, 40), (41, 45))),
        ),
    )
    text = "1" * 50  # a digit: past the quick test that skips text without digits or @
    assert [(m.kind, m.start, m.end) for m in find_pii(text)] == [
        (ADDRESS, 0, 10),
        (BSN, 12, 18),
        (IBAN, 20, 25),
        (EMAIL, 30, 40),
        (EMAIL, 41, 45),
    ]


def test_labels():
    assert labels("nl") == labels("nl-BE") == labels("fr") == {
        BSN: "[BSN]",
        IBAN: "[IBAN]",
        PHONE: "[telefoonnummer]",
        EMAIL: "[e-mailadres]",
        ADDRESS: "[adres]",
        PiiKind.NAME: "[naam]",
    }
    assert labels("en") == labels("en_GB") == {
        BSN: "[BSN]",
        IBAN: "[IBAN]",
        PHONE: "[phone number]",
        EMAIL: "[e-mail address]",
        ADDRESS: "[address]",
        PiiKind.NAME: "[name]",
    }


SENTENCE = (
    "Ik woon op de Dorpsstraat 12, 1234 AB Utrecht; mijn BSN is 1234.56.782, "
    "bel 06-12345678 of mail jan@voorbeeld.nl, en stort op NL91ABNA0417164300. Dat was op 12-03-2024."
)


def test_redact_dutch():
    assert redact(SENTENCE) == (
        "Ik woon op de [adres] Utrecht; mijn BSN is [BSN], "
        "bel [telefoonnummer] of mail [e-mailadres], en stort op [IBAN]. Dat was op 12-03-2024."
    )
    assert redact(SENTENCE) == redact(SENTENCE)


def test_redact_english(english):
    assert redact(SENTENCE) == (
        "Ik woon op de [address] Utrecht; mijn BSN is [BSN], "
        "bel [phone number] of mail [e-mail address], en stort op [IBAN]. Dat was op 12-03-2024."
    )


def test_redact_leaves_amounts_dates_and_case_numbers_alone():
    text = "Ze wachtte 4 weken op € 1.250,00 (zaak 2024-0012345, brief van 12-03-2024), tel. 0612345678."
    expected = "Ze wachtte 4 weken op € 1.250,00 (zaak 2024-0012345, brief van 12-03-2024), tel. {}."
    assert redact(text) == expected.format("[telefoonnummer]")
    with using_language("en"):
        assert redact(text) == expected.format("[phone number]")


def test_redact_value_nested():
    Pair = namedtuple("Pair", "label value")
    data = {
        "respondent": "R07",
        "answers": [
            "bel 0612345678",
            ("mail jan@voorbeeld.nl", 42, None),
            {"adres": "Kerkweg 5a 1234AB", "leeftijd": 34, "score": 2.5, "ok": True},
        ],
        "pair": Pair("bsn", "111222333"),
        "kind": PiiKind.EMAIL,
        "bytes": b"0612345678",
    }
    result = redact_value(data)
    assert result == {
        "respondent": "R07",
        "answers": [
            "bel [telefoonnummer]",
            ("mail [e-mailadres]", 42, None),
            {"adres": "[adres]", "leeftijd": 34, "score": 2.5, "ok": True},
        ],
        "pair": Pair("bsn", "[BSN]"),
        "kind": PiiKind.EMAIL,
        "bytes": b"0612345678",
    }
    assert isinstance(result["answers"][1], tuple)
    assert isinstance(result["pair"], Pair)
    assert result["kind"] is PiiKind.EMAIL
    assert data["answers"][0] == "bel 0612345678"  # the input is not changed
    with using_language("en"):
        assert redact_value(["jan@voorbeeld.nl"]) == ["[e-mail address]"]
    assert redact_value({"0612345678": "x"}) == {"0612345678": "x"}  # keys are left alone
    assert redact_value(7) == 7
    assert redact_value(None) is None


ADVERSARIAL = [
    "1 2 3 4 5 6 7 8 9 0 " * 5_000,
    "1" * 100_000,
    "0-" * 50_000,
    "12 34-56.78/90 " * 7_000,
    "+3" * 50_000,
    "(0" * 50_000,
    "a" * 100_000,
    "a." * 50_000,
    "a@" * 50_000,
    "a" * 50_000 + "@" + "b" * 50_000,
    "a@b." * 25_000,
    "NL91 " * 20_000,
    "NL91" + "A" * 100_000,
    "Dorpsstraat " * 9_000,
    "Aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa" * 2_700,
    "1234 " * 20_000,
    "De " * 33_000 + "Dorpsstraat 1",
]


@pytest.mark.parametrize("text", ADVERSARIAL, ids=lambda t: repr(t[:12]))
def test_long_adversarial_texts_return(text):
    found = find_pii(text)
    assert isinstance(found, list)
    if text.startswith("De "):
        # at most four name words before the street word are taken along
        assert [m.text for m in found] == ["De De De De Dorpsstraat 1"]
    else:
        assert found == []


def test_ten_thousand_characters_of_mixed_text():
    piece = "Zij woont op de Dorpsstraat 12 (06-12345678), BSN 123456782, kreeg € 1.250,00 op 12-03-2024. "
    text = piece * (10_000 // len(piece))
    found = find_pii(text)
    assert len(found) == 3 * (10_000 // len(piece))


FRAGMENTS = [
    "123456782", "1234.56.782", "123 456 782", "NL91ABNA0417164300", "NL91 ABNA 0417 1643 00", "0612345678",
    "06-12345678", "+31 6 12345678", "(06) 12345678", "020 123 4567", "jan@voorbeeld.nl", "a.b+c@x.y.nl",
    "1234 AB 12", "Dorpsstraat 12", "1234AB", "Kerkweg 5a", " ", "-", ".", ",", "@", "+", "(", ")", "0", "1", "nr ",
    "De ", "Van ", "en ", "€ ", "\n", "AB", "ab", "straat", "NL", "12", "06", "31", "[BSN]", "é",
]
TEXTS = st.one_of(
    st.text(),
    st.text(alphabet="0123456789 -./+()@,abNLSé"),
    st.lists(st.sampled_from(FRAGMENTS), max_size=30).map("".join),
)


@settings(max_examples=400, suppress_health_check=[HealthCheck.too_slow], deadline=None)
@given(TEXTS)
def test_matches_are_sorted_disjoint_and_within_bounds(text):
    end = 0
    for m in find_pii(text):
        assert end <= m.start < m.end <= len(text)
        assert m.text == text[m.start : m.end]
        end = m.end


@settings(max_examples=400, suppress_health_check=[HealthCheck.too_slow], deadline=None)
@given(TEXTS, st.sampled_from(["nl", "en"]))
def test_redacted_text_has_nothing_left_to_find(text, lang):
    assert find_pii(redact(text)) == []


@pytest.mark.parametrize("text", [row[0] for row in POSITIVE])
def test_might_contain_never_passes_over_personal_data(text):
    """The quick test lets nothing through that find_pii would flag (it only skips text without a digit or @)."""
    assert pii.might_contain(text)
    assert pii.might_contain(["niets", {"k": text}])


def test_might_contain_skips_plain_text():
    assert not pii.might_contain("Belde de gemeente, kreeg geen antwoord")
    assert not pii.might_contain("Ik belde de Gemeente Utrecht op Maandag")
    assert pii.might_contain("Ik belde met mevrouw Jansen")
    assert not pii.might_contain(["telefoon", ("brief",), {"a": "balie"}, None, True])
