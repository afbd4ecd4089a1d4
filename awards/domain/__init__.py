"""What changes the state of the award cycle (steps 6-8), one module per model: plain functions
that take model instances and the actor (keyword-only; ``actor=None`` is the system), check the
rules (``awards.rules.require``), write, audit and notify. No request, no HTTP. What only reads is
in ``awards.queries``.

- ``proposal_list``: lập, bổ sung, đưa ra, rút, trả lại a proposal list (its state table).
- ``council``: mở phiên, biểu quyết, ý kiến bằng văn bản, bằng điểm tại ngưỡng, kết thúc bình xét
  (how a council vote closes: ``council.close_session``).
- ``decision``: phê duyệt, quyết định sửa đổi, prize amounts from the dated base salary.
"""
