import pytest

from agencies.models import AgencyKind, Role
from tests.factories import AgencyFactory, user_with_role


@pytest.fixture
def provinces(db):
    """Two provinces side by side, each with home affairs on the province and a ward."""
    hcm = AgencyFactory(code="hcm", name="UBND Thành phố", kind=AgencyKind.PROVINCE_PC)
    ward = AgencyFactory(code="p-anlac", name="Phường An Lạc", parent=hcm)
    ward2 = AgencyFactory(code="p-tantao", name="Phường Tân Tạo", parent=hcm)
    other = AgencyFactory(code="tinh-b", name="UBND tỉnh B", kind=AgencyKind.PROVINCE_PC)
    other_ward = AgencyFactory(code="xa-b1", name="Xã B1", parent=other)
    noivu = user_with_role(Role.HOME_AFFAIRS, hcm, username="noivu", first_name="Phương", last_name="Mai Thị")
    noivu_b = user_with_role(Role.HOME_AFFAIRS, other, username="noivu-b")
    return type(
        "Provinces",
        (),
        {"hcm": hcm, "ward": ward, "ward2": ward2, "other": other, "other_ward": other_ward}
        | {"noivu": noivu, "noivu_b": noivu_b},
    )
