def test_each_demo_account_lands_on_its_home(portal, demo_data):
    for username in ["canbo", "thutruong", "noivu", "hoidong", "lanhdao"]:
        page = portal.as_user(username)
        portal.visit(page, "/")
        portal.shot(page, f"home {username}")
