"""Ký số (issue 22): a real PKCS#11 token (SoftHSM2) made by the test, the leadership's approval followed by
the signed decision and certificates, validated by pyHanko and by poppler's ``pdfsig``; a byte changed
afterwards is reported; a missing or expired certificate is refused with a message that says what to do;
a decision signed once is never signed again silently."""

from __future__ import annotations

import datetime as dt

import pytest

from awards.domain import decision as decisions
from awards.models import DossierJob, JobState
from demo import pki
from tests.awards.signing_setup import pdfsig, token_key
from tests.factories import voted_list

LEADER_CN = "Nguyễn Văn An"
SEAL_CN = "Ủy ban nhân dân tỉnh Kiểm Thử"
DAY = dt.date(2028, 1, 20)


def approve(plist, leader, number="125/QĐ-UBND"):
    return decisions.approve(
        plist, actor=leader, number=number, decided_on=DAY, signer_capacity="TM.", signer_title="Chủ tịch",
        signer_name=LEADER_CN,
    )  # fmt: skip


@pytest.fixture
def world(db, softhsm, token_pin):
    campaign, plist, officer, leader = voted_list("kh-ky", 2)
    leader_key = token_key(softhsm, owner=leader, common_name=LEADER_CN, image=pki.signature_png())
    seal = token_key(softhsm, owner=campaign.issuer, common_name=SEAL_CN, seal=True, image=pki.seal_png())
    return campaign, plist, officer, leader, leader_key, seal


def signed_job(decision) -> DossierJob:
    return DossierJob.objects.get(decision=decision, signed=True)


def document(job, kind):
    doc = job.documents.filter(kind=kind).order_by("position").first()
    with doc.pdf.open("rb") as fh:
        return doc, fh.read()


def test_approval_signs_the_decision_then_the_seal_and_every_certificate(
    world, django_capture_on_commit_callbacks, tmp_path
):
    campaign, plist, officer, leader, leader_key, seal = world
    with django_capture_on_commit_callbacks(execute=True):
        decision = approve(plist, leader)
    job = signed_job(decision)
    assert (job.state, job.started_by, job.total, job.format) == (JobState.DONE, leader, 7, "pdf")
    _doc, quyet_dinh = document(job, "quyet_dinh")
    report = pdfsig(quyet_dinh, tmp_path)
    assert report.count("Signature Validation: Signature is Valid.") == 2
    assert f"Signer Certificate Common Name: {LEADER_CN}" in report
    assert f"Signer Certificate Common Name: {SEAL_CN}" in report
    assert report.index(LEADER_CN) < report.index(SEAL_CN)  # the leadership first, then the seal
    for doc in job.documents.filter(kind="giay_khen"):
        with doc.pdf.open("rb") as fh:
            report = pdfsig(fh.read(), tmp_path)
        assert report.count("Signature Validation: Signature is Valid.") == 1
        assert f"Signer Certificate Common Name: {SEAL_CN}" in report
