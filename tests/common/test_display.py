"""One number format on every page (issue 9: "78,9" in a history beside "78,90" on the same page)."""

from decimal import Decimal

from django.template import Context, Template
from django.utils import translation

from campaigns.models import TargetGroup
from common.audit import display_value
from common.display import number
from scoring.models import ParIndexResult


def test_number_has_two_decimals_and_the_decimal_comma():
    values = [Decimal("78.9"), 78.9, "78.90", Decimal("100"), Decimal("0.005"), None, "", "abc"]
    assert [number(v) for v in values] == ["78,90", "78,90", "78,90", "100,00", "0,01", "", "", "abc"]
    with translation.override("en"):
        assert number(Decimal("78.9")) == "78.90"


def test_history_filter_and_sentences_agree():
    score = ParIndexResult._meta.get_field("score")
    assert display_value(score, "78.9", {}) == "78,90"
    assert Template("{% load portal %}{{ v|number }}").render(Context({"v": Decimal("78.9")})) == "78,90"


def test_history_shows_labels_for_a_list_of_choices():
    kinds = TargetGroup._meta.get_field("person_kinds")
    assert display_value(kinds, '["official", "civil_servant"]', {}) == "Cán bộ, Công chức"
    assert display_value(kinds, "['worker']", {}) == "Người lao động"
    assert display_value(kinds, "[]", {}) == "–"
