"""The columns of the PAR Index and staff-rating imports: codes, Vietnamese titles (accepted as
headers beside the codes) and the downloadable XLSX templates."""

from __future__ import annotations

from django.utils.translation import gettext_noop

from common.tabular import AGENCY_CODE_NOTE, YEAR_NOTE, Column, TableSpec

PAR_TABLE = TableSpec(
    slug="mau-nhap-chi-so-cchc",
    title=gettext_noop("Mẫu nhập kết quả chỉ số cải cách hành chính"),
    columns=(
        Column("agency_code", gettext_noop("Mã cơ quan"), example="000.00.31.H29", note=AGENCY_CODE_NOTE),
        Column("year", gettext_noop("Năm"), example="2027", note=YEAR_NOTE, width=10),
        Column(
            "score",
            gettext_noop("Điểm chỉ số CCHC"),
            example="85,25",
            note=gettext_noop("Từ 0 đến 100, tối đa 2 chữ số thập phân (dấu phẩy hoặc dấu chấm)."),
        ),
        Column(
            "rating",
            gettext_noop("Xếp loại"),
            required=False,
            example="Khá",
            note=gettext_noop(
                "Tên mức xếp loại của kế hoạch (ví dụ Tốt, Khá, Trung bình, Yếu); để trống để xếp loại "
                "theo điểm."
            ),
        ),
    ),
)

STAFF_TABLE = TableSpec(
    slug="mau-nhap-xep-loai-can-bo",
    title=gettext_noop("Mẫu nhập xếp loại cán bộ, công chức hằng năm"),
    columns=(
        Column("agency_code", gettext_noop("Mã cơ quan"), example="000.00.31.H29", note=AGENCY_CODE_NOTE),
        Column(
            "person_code",
            gettext_noop("Mã cá nhân"),
            example="p00012",
            note=gettext_noop("Mã của cán bộ, công chức trong danh bạ của cơ quan."),
        ),
        Column("year", gettext_noop("Năm"), example="2027", note=YEAR_NOTE, width=10),
        Column(
            "rating",
            gettext_noop("Xếp loại"),
            example="Hoàn thành tốt nhiệm vụ",
            note=gettext_noop(
                "Hoàn thành xuất sắc nhiệm vụ, Hoàn thành tốt nhiệm vụ, Hoàn thành nhiệm vụ hoặc Không "
                "hoàn thành nhiệm vụ."
            ),
            width=30,
        ),
        Column(
            "disciplined",
            gettext_noop("Bị kỷ luật trong năm"),
            required=False,
            example="0",
            note=gettext_noop("1 hoặc “có” nếu bị kỷ luật trong năm; 0, “không” hoặc để trống nếu không."),
        ),
    ),
)
