"""The services of registrations: every change of state, one module per model or act.

A service takes the record and the actor (keyword-only; ``actor=None`` is the portal acting on its
own: a command, a task, a migration), checks the same rules the pages ask
(``registrations.rules``) and the business rules (states, deadlines, the plan), writes inside an
audit context, and refuses with ``registrations.errors.RegistrationError``. No request, no HTTP.
Reads are in ``registrations.queries``.

- ``registration``: start, autosave, the state machine (send, confirm, accept, return), bulk review.
- ``people``: the people registered with the agency (one by one or from a file).
- ``initiatives``: sáng kiến, giải pháp, mô hình, cách làm hay.
- ``evidence``: tệp minh chứng of initiatives and of the final report's criteria.
- ``final_report``: báo cáo kết quả cuối đợt (autosave, send).
- ``deadlines``: the deadline check and the extensions home affairs grants (gia hạn).
"""
