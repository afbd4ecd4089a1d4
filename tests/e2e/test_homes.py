"""Each demo account signs in through the login form and lands on its home page, whose first panel is
its work list; following the work item leads to the page where the work is done (issue 13)."""

try:
    from playwright.sync_api import expect
except ImportError:  # conftest.py skips the suite (under CI=true: fails it) with the reason
    expect = None  # type: ignore[assignment]

HOMES = {
    "canbo": ("Kế hoạch đang nhận đăng ký thi đua", "/registrations/", "Kế hoạch đang nhận đăng ký"),
    "thutruong": None,
    "noivu": (
        "Đăng ký chờ Nội vụ kiểm tra, chấp nhận hoặc trả lại",
        "/registrations/campaign/demo-2027/?state=confirmed",
        "Ủy ban nhân dân phường Tân Tạo",
    ),
    "hoidong": None,
    "lanhdao": None,
}


def test_each_demo_account_lands_on_its_work_list(portal, demo_data):
    for username, work in HOMES.items():
        page = portal.as_user(username)
        expect(page).to_have_url(f"{portal.base_url}/")
        portal.checks.check(page)
        panel = page.locator("#work")
        expect(panel.locator("h2")).to_have_text("Việc đang chờ anh/chị")
        if work is None:
            expect(panel).to_contain_text("Không có việc nào đang chờ anh/chị.")
            portal.shot(page, f"home {username}")
            continue
        title, url, landing_text = work
        expect(panel.locator("li")).to_have_count(1)
        portal.shot(page, f"home {username}")
        panel.get_by_role("link", name=title).click()
        expect(page).to_have_url(f"{portal.base_url}{url}")
        expect(page.locator("main")).to_contain_text(landing_text)
        portal.checks.check(page)
        portal.shot(page, f"work of {username}")
