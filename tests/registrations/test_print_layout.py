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


def test_progress_chart_is_a_list_that_reflows_on_a_phone(client, world):
    RegistrationFactory(round=world.round, agency=world.ward, state=S.CONFIRMED)
    client.force_login(world.home_affairs)
    html = client.get(reverse("registrations:dashboard", args=[world.campaign.code])).content.decode()
    assert "<svg" not in html
    chart = html.split('<figure class="rank-chart progress-chart"')[1].split("</figure>")[0]
    assert '<h2 class="h6 mt-3 mb-1">Khối phường (2)</h2>' in chart
    assert chart.count('<li class="rank-row">') == 4
    assert (
        '<span class="rank-bar registered" style="--share: 0.5000"></span><span class="rank-value">1/2</span>'
        in chart
    )
    assert (
        '<span class="rank-bar reported" style="--share: 0.0000"></span><span class="rank-value">0/2</span>'
        in chart
    )
