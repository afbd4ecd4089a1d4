"""Ký số (issue 22): a real PKCS#11 token (SoftHSM2) made by the test, the leadership's approval followed by
the signed decision and certificates, validated by pyHanko and by poppler's ``pdfsig``; a byte changed
afterwards is reported; a missing or expired certificate is refused with a message that says what to do;
a decision signed once is never signed again silently."""

from __future__ import annotations

import csv
import datetime as dt
import hashlib
import io
import subprocess
import zipfile

import pypdf
import pytest
from asn1crypto import x509 as asn1_x509
from cryptography.hazmat.primitives import serialization
from django.core.files.base import ContentFile

from awards.domain import decision as decisions
from awards.dossier import jobs
from awards.errors import AwardError, SigningError
from awards.models import DossierJob, JobState, KeyPurpose, SigningBackend, SigningKey
from awards.signing.keys import read_certificate
from common.display import user_display_name
from common.models import Notification
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
    return campaign, plist, officer, leader, leader_key, seal, softhsm.ca_cert


def signed_job(decision) -> DossierJob:
    return DossierJob.objects.get(decision=decision, signed=True)


def document(job, kind):
    doc = job.documents.filter(kind=kind).order_by("position").first()
    with doc.pdf.open("rb") as fh:
        return doc, fh.read()


def test_approval_signs_the_decision_then_the_seal_and_every_certificate(
    world, django_capture_on_commit_callbacks, tmp_path
):
    campaign, plist, officer, leader, leader_key, seal, _ca = world
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
    # pyHanko validates each signature against the test CA: intact, valid, trusted, in signing order
    from pyhanko.pdf_utils.reader import PdfFileReader
    from pyhanko.sign.validation import validate_pdf_signature
    from pyhanko_certvalidator import ValidationContext

    context = ValidationContext(
        trust_roots=[asn1_x509.Certificate.load(softhsm_ca_der(world))], allow_fetching=False
    )
    sigs = PdfFileReader(io.BytesIO(quyet_dinh)).embedded_signatures
    assert [s.field_name for s in sigs] == ["ChuKyNguoiKy", "ChuKyCoQuan"]
    for sig in sigs:
        status = validate_pdf_signature(sig, context)
        assert (status.intact, status.valid, status.trusted) == (True, True, True)
    # the electronic dossier: the whole-dossier PDF signed, the Word files with their signatures, the manifest
    with job.package.open("rb") as fh, zipfile.ZipFile(fh) as zf:
        files = {name.split("/", 1)[1]: zf.read(name) for name in zf.namelist()}
    assert sorted(files) == [
        "danh-sach.docx", "danh-sach.docx.p7s", "ho-so.pdf", "manifest.csv", "manifest.csv.p7s",
        "to-trinh.docx", "to-trinh.docx.p7s",
    ]  # fmt: skip
    whole = pypdf.PdfReader(io.BytesIO(files["ho-so.pdf"]))
    titles = [item.title if not isinstance(item, list) else [i.title for i in item] for item in whole.outline]
    docs = list(job.documents.order_by("position").values_list("kind", "title"))
    reports = [t for k, t in docs if k == "bao_cao"]
    certificates = [t for k, t in docs if k == "giay_khen"]
    assert titles == [
        "Tờ trình đề nghị khen thưởng", "Biên bản họp Hội đồng Thi đua - Khen thưởng", "Báo cáo thành tích",
        reports, "Quyết định khen thưởng 125/QĐ-UBND", "Giấy khen", certificates,
    ]  # fmt: skip
    assert sorted(reports) == ["Báo cáo thành tích – Cơ quan 0", "Báo cáo thành tích – Cơ quan 1"]
    assert len(whole.pages) == sum(
        len(pypdf.PdfReader(io.BytesIO(d.pdf.open("rb").read())).pages) for d in job.documents.all()
    )
    report = pdfsig(files["ho-so.pdf"], tmp_path)
    assert report.count("Signature Validation: Signature is Valid.") == 1
    assert "Signature #2" not in report  # the documents' own fields are drawn, not carried over broken
    rows = list(csv.reader(io.StringIO(files["manifest.csv"].decode("utf-8-sig"))))
    assert [(r[0], r[3]) for r in rows[1:]] == [
        (name, hashlib.sha256(files[name]).hexdigest())
        for name in (
            "ho-so.pdf",
            "to-trinh.docx",
            "to-trinh.docx.p7s",
            "danh-sach.docx",
            "danh-sach.docx.p7s",
        )
    ]
    ca_pem = tmp_path / "ca.pem"
    ca_pem.write_bytes(pki.pem(softhsm_ca(world)))
    for name in ("to-trinh.docx", "danh-sach.docx", "manifest.csv"):
        (tmp_path / name).write_bytes(files[name])
        (tmp_path / f"{name}.p7s").write_bytes(files[f"{name}.p7s"])
        checked = subprocess.run(
            ["openssl", "cms", "-verify", "-binary", "-inform", "DER", "-in", str(tmp_path / f"{name}.p7s"),
             "-content", str(tmp_path / name), "-CAfile", str(ca_pem), "-purpose", "any",
             "-out", "/dev/null"],
            capture_output=True, text=True,
        )  # fmt: skip
        assert "Verification successful" in checked.stderr, checked.stderr


def softhsm_ca(world):
    return world[-1]


def softhsm_ca_der(world) -> bytes:
    return softhsm_ca(world).public_bytes(serialization.Encoding.DER)


def test_a_byte_changed_after_signing_is_reported(world, django_capture_on_commit_callbacks, tmp_path):
    campaign, plist, officer, leader, *_ = world
    with django_capture_on_commit_callbacks(execute=True):
        decision = approve(plist, leader)
    _doc, data = document(signed_job(decision), "quyet_dinh")
    # the binary comment of line 2 lies inside every signed byte range and parses the same when changed
    changed = data.replace(b"%\xf0\x9f\x96\xa4", b"%\xf0\x9f\x96\xa5", 1)
    assert changed != data
    report = pdfsig(changed, tmp_path)
    assert report.count("Signature Validation: Digest Mismatch.") == 2
    assert "Signature is Valid." not in report


def test_an_expired_certificate_is_refused_with_what_to_do(
    world, softhsm, django_capture_on_commit_callbacks
):
    campaign, plist, officer, leader, leader_key, seal, _ca = world
    leader_key.active = False
    leader_key.save()
    old = dt.datetime(2026, 1, 1, tzinfo=dt.UTC)
    token_key(
        softhsm, owner=leader, common_name=LEADER_CN, not_before=old, not_after=old + dt.timedelta(days=30)
    )
    with django_capture_on_commit_callbacks(execute=True):
        decision = approve(plist, leader)
    expected = (
        f"Chứng thư số của {user_display_name(leader)} đã hết hạn ngày 31/01/2026. "
        "Đề nghị gia hạn hoặc cấp mới "
        "chứng thư số tại tổ chức cung cấp dịch vụ chứng thực chữ ký số, khai báo lại trên cổng (Quản trị → "
        "Khen thưởng → Chứng thư số), rồi bấm “Ký số” lại."
    )
    assert not DossierJob.objects.filter(decision=decision).exists()
    bell = Notification.objects.get(recipient=leader, title="Quyết định 125/QĐ-UBND chưa được ký số")
    assert bell.body == expected
    with pytest.raises(SigningError) as refused:
        jobs.start_job(decision, actor=leader, format="pdf", signed=True)
    assert refused.value.messages == [expected]


def test_a_missing_certificate_says_who_registers_it(world, django_capture_on_commit_callbacks):
    campaign, plist, officer, leader, leader_key, seal, _ca = world
    leader_key.active = False
    leader_key.save()
    with django_capture_on_commit_callbacks(execute=True):
        decision = approve(plist, leader)
    with pytest.raises(SigningError) as refused:
        jobs.start_job(decision, actor=leader, format="pdf", signed=True)
    assert refused.value.messages == [
        f"{user_display_name(leader)} (lãnh đạo phê duyệt quyết định 125/QĐ-UBND) "
        "chưa có chứng thư số trên cổng. "
        "Đề nghị quản trị hệ thống khai báo chứng thư số (token, HSM hoặc tệp PKCS#12) tại Quản trị → Khen "
        "thưởng → Chứng thư số, rồi bấm “Ký số” lại."
    ]


def test_a_signed_decision_is_signed_again_only_as_a_new_version(world, django_capture_on_commit_callbacks):
    campaign, plist, officer, leader, *_ = world
    with django_capture_on_commit_callbacks(execute=True):
        decision = approve(plist, leader)
    first = signed_job(decision)
    before = dict(first.documents.values_list("pk", "pdf_sha256"))
    with pytest.raises(AwardError) as refused:
        jobs.start_job(decision, actor=leader, format="pdf", signed=True)
    assert refused.value.code == "signed"
    with django_capture_on_commit_callbacks(execute=True):
        second = jobs.start_job(decision, actor=leader, format="pdf", signed=True, new_version=True)
    second.refresh_from_db()
    assert (second.sequence, second.state) == (2, JobState.DONE)
    assert dict(first.documents.values_list("pk", "pdf_sha256")) == before  # the first version kept
    with pytest.raises(AwardError):  # nothing failed: nothing is rendered again
        jobs.retry(first, actor=leader)
    # home affairs generates dossiers but does not sign
    with pytest.raises(AwardError) as refused:
        jobs.start_job(decision, actor=officer, format="pdf", signed=True, new_version=True)
    assert refused.value.code == "permission"


def test_a_pkcs12_file_signs_as_the_token_does(db, tmp_path, monkeypatch, django_capture_on_commit_callbacks):
    campaign, plist, officer, leader = voted_list("kh-p12", 1)
    ca_key, ca_cert = pki.make_ca("CA THỬ NGHIỆM P12")
    monkeypatch.setenv("PORTAL_TEST_P12", "mat-khau")
    for owner, purpose, name in (
        (leader, KeyPurpose.PERSONAL, LEADER_CN),
        (campaign.issuer, KeyPurpose.SEAL, SEAL_CN),
    ):
        key, cert = pki.issue(ca_key, ca_cert, name)
        row = SigningKey(
            purpose=purpose, user=owner if purpose == KeyPurpose.PERSONAL else None,
            agency=owner if purpose == KeyPurpose.SEAL else None, backend=SigningBackend.PKCS12,
            secret_env="PORTAL_TEST_P12",
        )  # fmt: skip
        row.p12_file.save("k.p12", ContentFile(pki.p12_bytes(key, cert, [ca_cert], b"mat-khau")), save=False)
        read_certificate(row)
        row.save()
    with django_capture_on_commit_callbacks(execute=True):
        decision = approve(plist, leader)
    _doc, data = document(signed_job(decision), "quyet_dinh")
    report = pdfsig(data, tmp_path)
    assert report.count("Signature Validation: Signature is Valid.") == 2
    assert f"Signer Certificate Common Name: {LEADER_CN}" in report


@pytest.fixture
def time_stamp_authority(softhsm):
    """An RFC 3161 time-stamp authority on 127.0.0.1 (pyHanko's test stamper behind a small HTTP server),
    its certificate issued by the test CA."""
    import asyncio
    import threading
    from http.server import BaseHTTPRequestHandler, HTTPServer

    from asn1crypto import keys as asn1_keys
    from asn1crypto import tsp
    from pyhanko.sign.timestamps.dummy_client import DummyTimeStamper

    key, cert = pki.issue(softhsm.ca_key, softhsm.ca_cert, "TSA THỬ NGHIỆM", time_stamping=True)
    stamper = DummyTimeStamper(
        tsa_cert=asn1_x509.Certificate.load(cert.public_bytes(serialization.Encoding.DER)),
        tsa_key=asn1_keys.PrivateKeyInfo.load(
            key.private_bytes(
                serialization.Encoding.DER, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
            )
        ),
    )

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self):
            request = tsp.TimeStampReq.load(self.rfile.read(int(self.headers["Content-Length"])))
            body = asyncio.run(stamper.async_request_tsa_response(request)).dump()
            self.send_response(200)
            self.send_header("Content-Type", "application/timestamp-reply")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args):
            pass

    server = HTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}/"
    server.shutdown()


def test_with_a_time_stamp_authority_the_signatures_are_b_lt(
    world, time_stamp_authority, settings, tmp_path, django_capture_on_commit_callbacks
):
    from pyhanko.pdf_utils.reader import PdfFileReader
    from pyhanko.sign.validation import validate_pdf_signature
    from pyhanko_certvalidator import ValidationContext

    campaign, plist, officer, leader, leader_key, seal, ca = world
    roots = tmp_path / "roots.pem"
    roots.write_bytes(pki.pem(ca))
    settings.SIGNING_TSA_URL, settings.SIGNING_TRUST_ROOTS = time_stamp_authority, str(roots)
    with django_capture_on_commit_callbacks(execute=True):
        decision = approve(plist, leader)
    _doc, data = document(signed_job(decision), "quyet_dinh")
    reader = PdfFileReader(io.BytesIO(data))
    assert "/DSS" in reader.root  # the validation data (certificates, revocation info) embedded
    context = ValidationContext(trust_roots=[asn1_x509.Certificate.load(softhsm_ca_der(world))])
    for sig in reader.embedded_signatures:
        status = validate_pdf_signature(sig, context)
        assert (status.intact, status.valid, status.trusted) == (True, True, True)
        assert status.timestamp_validity is not None and status.timestamp_validity.valid
    assert pdfsig(data, tmp_path).count("Signature Validation: Signature is Valid.") == 2
