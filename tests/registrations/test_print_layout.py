"""Issue 9, items 24 and 28 on the registration page: fits a phone, prints with the agency and the plan."""

from pathlib import Path

from django.contrib.staticfiles import finders
from django.urls import reverse

from registrations.models import RegistrationState as S
from tests.factories import RegistrationFactory


def test_registration_page_fits_a_phone_and_prints_its_header(client, world):
    registration = RegistrationFactory(round=world.round, agency=world.ward, state=S.DRAFT)
    client.force_login(world.staff)
    html = client.get(reverse("registrations:detail", args=[registration.pk])).content.decode()
    # the people table scrolls inside its own box instead of widening the page
    people = html.split('id="people"')[1].split("</section>")[0]
    assert '<div class="table-responsive">\n  <table class="table table-sm align-middle">' in people
    # on paper: the agency and the plan on top, no actions, commitments as text
    assert html.count('<div class="print-header">') == 1
    header = html.split('<div class="print-header">')[1].split("</div>\n</div>")[0]
    assert '<div class="print-agency">UBND phường A</div>' in header
    assert '<div class="print-title">Phong trào thi đua CCHC thử</div>' in header
    assert '<section class="mt-4 no-print" id="actions">' in html
    assert '<div class="d-none d-print-block">' in html
    # the history stacks its cells on a phone, each under its column's name
    assert 'class="table table-sm align-middle table-stack"' in html or "Chưa có thay đổi nào" in html


def test_every_page_links_the_vendored_favicon(client, world):
    html = client.get(reverse("campaigns:list")).content.decode()
    assert '<link rel="icon" href="/static/favicon.svg" type="image/svg+xml">' in html
    assert '<link rel="icon" href="/static/favicon.ico" sizes="48x48">' in html
    assert finders.find("favicon.svg") and finders.find("favicon.ico")


def test_print_stylesheet_hides_navigation_buttons_and_filters():
    css = Path(finders.find("css/portal.css")).read_text(encoding="utf-8")
    print_rules = css.split("@media print")[1]
    for selector in (".portal-navbar", "footer", ".no-print", ".btn", 'form[method="get"]', ".pagination"):
        assert selector in print_rules.split("{ display: none !important; }")[0], selector
    assert ".print-header { display: block !important;" in print_rules
