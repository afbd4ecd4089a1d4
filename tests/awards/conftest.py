"""A plan with one bloc of 7 agencies ranked by PAR score: quota floor(7/3) = 2; the 2nd and 3rd
are equal (93), so they straddle the cut-off and reach the council as a tie."""

import datetime as dt

import pytest

from agencies.models import Role
from scoring.results import compute_results
from tests.factories import award_form_with_quota, council_of, user_with_role
from tests.scoring.conftest import Plan

SCORES = [("a1", 95), ("a2", 93), ("a3", 93), ("a4", 90), ("a5", 88), ("a6", 85), ("a7", 80)]


class Cycle(Plan):
    def __init__(self, council_size=9):
        super().__init__()
        self.form = award_form_with_quota(self.campaign)
        self.agencies = {code: self.agency(code, par=score) for code, score in SCORES}
        self.run = compute_results(self.campaign)
        self.officer = user_with_role(Role.HOME_AFFAIRS, self.province)
        self.leader = user_with_role(Role.LEADERSHIP, self.province)
        self.council = council_of(self.province, council_size)
        self.day = dt.date(2028, 1, 15)


@pytest.fixture
def cycle(db):
    return Cycle()

# ký số: the SoftHSM2 token of the session and its PIN (tests/awards/signing_setup.py)
from tests.awards.signing_setup import softhsm, token_pin  # noqa: E402, F401
