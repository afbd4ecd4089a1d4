"""The one parser for numbers, dates and search text from users (issue 9, item 7)."""

import datetime as dt
from decimal import Decimal

import pytest
from django.urls import reverse

from agencies.models import AgencyKind, Role
from common.parsing import (
    ParseError,
    id_param,
    ids_param,
    page_param,
    parse_date,
    parse_decimal,
    parse_int,
    parse_year,
    search_param,
    year_param,
)
from tests.factories import AgencyFactory, user_with_role


@pytest.mark.parametrize("text", ["²", "٣", "５", "1e3", "", " ", "1.5", "0x10", "9" * 5000, "1_000", "\x00"])
def test_parse_int_takes_ascii_digits_only(text):
    with pytest.raises(ParseError):
        parse_int(text)


def test_parse_int_bounds_and_messages():
    assert parse_int(" 42 ") == 42
    assert parse_int("-3") == -3
    with pytest.raises(ParseError) as exc:
        parse_int("101", minimum=0, maximum=100)
    assert exc.value.message == "“101” phải từ 0 đến 100."
    with pytest.raises(ParseError) as exc:
        parse_int("²")
    assert exc.value.message == "“²” không phải là số nguyên."
    with pytest.raises(ParseError) as exc:
        parse_int("9" * 5000)
    assert exc.value.message == "“" + "9" * 37 + "…” không phải là số nguyên."


def test_parse_decimal_comma_point_places_bounds():
    assert parse_decimal("85,25") == Decimal("85.25")
    assert parse_decimal("85.25") == Decimal("85.25")
    assert parse_decimal("7") == Decimal("7")
    for text in ["1e20", "NaN", "Infinity", "1.234,5", "85,2,5", "²", "", "９０"]:
        with pytest.raises(ParseError):
            parse_decimal(text)
    with pytest.raises(ParseError) as exc:
        parse_decimal("120", minimum=0, maximum=100)
    assert exc.value.message == "“120” phải từ 0 đến 100."
    with pytest.raises(ParseError) as exc:
        parse_decimal("1,125", places=2)
    assert exc.value.message == "“1,125” có quá 2 chữ số thập phân."


def test_parse_date_and_year():
    assert parse_date("05/03/2027") == dt.date(2027, 3, 5)
    assert parse_date("2027-03-05") == dt.date(2027, 3, 5)
    assert parse_date(dt.datetime(2027, 3, 5, 8, 0)) == dt.date(2027, 3, 5)
    for text in ["31/02/2027", "05/03/27", "²/03/2027", "01/01/99999"]:
        with pytest.raises(ParseError):
            parse_date(text)
    assert parse_year("2027") == 2027
    with pytest.raises(ParseError) as exc:
        parse_year("²")
    assert exc.value.message == "Năm “²” không hợp lệ (từ 1900 đến 2200)."


def test_parameters_are_ignored_when_odd():
    assert [year_param(v) for v in ["2027", "²", "9" * 5000, "", None, "1800"]] == [
        2027,
        None,
        None,
        None,
        None,
        None,
    ]
    assert [page_param(v) for v in ["3", "²", "9" * 20, "0", None]] == [3, 1, 100_000, 1, 1]
    assert [id_param(v) for v in ["7", "9" * 20, "²", "-1"]] == [7, None, None, None]
    assert ids_param(["1", "²", "9" * 20, "3"]) == [1, 3]
    assert search_param("  Bình\x00 Tân\x07 ") == "Bình Tân"
    assert search_param("x" * 500) == "x" * 200


@pytest.mark.django_db
def test_directory_search_with_a_nul_byte(client):
    city = AgencyFactory(code="hcm", kind=AgencyKind.PROVINCE_PC, name="UBND Thành phố")
    AgencyFactory(code="w1", parent=city, name="Phường Bình Tân")
    client.force_login(user_with_role(Role.HOME_AFFAIRS, city))
    response = client.get(reverse("agencies:list"), {"q": "Bình\x00"})
    assert response.status_code == 200
    assert [a.code for a in response.context["agencies"]] == ["w1"]
    assert response.context["q"] == "Bình"


@pytest.mark.django_db
def test_notification_pages_with_odd_page_numbers(client):
    client.force_login(user_with_role(Role.STAFF, AgencyFactory()))
    for page in ["²", "9" * 20, "9" * 5000, "0", "-1"]:
        assert client.get(reverse("common:notifications"), {"page": page}).status_code == 200
