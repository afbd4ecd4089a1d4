"""The reminder windows: 08:00 Vietnam time, k days before the last valid day, one at a time."""

import datetime as dt

from campaigns.models import VN_TZ
from registrations.reminders.schedule import clean_offsets, current_window, parse_now, schedule


def vn(text):
    return parse_now(text)


def test_windows_of_the_default_offsets():
    windows = schedule(dt.date(2027, 3, 14), [7, 3, 1], True)
    assert [(w.offset_days, w.starts, w.ends) for w in windows] == [
        (7, vn("2027-03-07T08:00"), vn("2027-03-11T08:00")),
        (3, vn("2027-03-11T08:00"), vn("2027-03-13T08:00")),
        (1, vn("2027-03-13T08:00"), vn("2027-03-15T00:00")),
        (-1, vn("2027-03-15T08:00"), vn("2027-03-16T00:00")),
    ]
    assert windows[0].starts.tzinfo == VN_TZ


def test_only_the_current_window_is_open():
    due = dt.date(2027, 3, 14)
    assert current_window(due, [7, 3, 1], True, vn("2027-03-07T07:59")) is None
    assert current_window(due, [7, 3, 1], True, vn("2027-03-07T08:00")).offset_days == 7
    assert current_window(due, [7, 3, 1], True, vn("2027-03-12T10:00")).offset_days == 3
    assert current_window(due, [7, 3, 1], True, vn("2027-03-14T23:59")).offset_days == 1
    assert current_window(due, [7, 3, 1], True, vn("2027-03-15T07:00")) is None
    assert current_window(due, [7, 3, 1], True, vn("2027-03-15T08:00")).offset_days == -1
    assert current_window(due, [7, 3, 1], False, vn("2027-03-15T08:00")) is None
    assert current_window(due, [7, 3, 1], True, vn("2027-03-16T08:00")) is None


def test_offsets_are_cleaned():
    assert clean_offsets([1, 7, "3", 7, 0, -2, "x", True, 2.5, None]) == [7, 3, 1]
    assert clean_offsets(None) == []
    assert schedule(dt.date(2027, 3, 14), [], False) == []
