"""The read side of registrations: what pages, the work list, reminders and the upper apps read.

Nothing here writes. ``deadlines``: the deadline of a registration or report, with the agency's
extension; ``targets``: what a plan asks of whom (target groups, person kinds, seed 003);
``initiatives``: who still lacks an initiative; ``final_report``: what stops a report;
``progress``: per bloc, who has done what (dashboard, reminders); ``lists``: the lists of the
pages (my registrations, open rounds, a plan's registrations for home affairs).
"""
