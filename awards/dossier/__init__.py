"""Hồ sơ khen thưởng: the official documents of an award decision (Tờ trình, Biên bản, Báo cáo thành
tích, Quyết định, Giấy khen) as PDF and Word, in the format of Nghị định 30/2020/NĐ-CP.

``documents`` is the interface the Celery jobs call; ``context`` holds the facts and the text of
each document; ``pdf`` and ``docx`` lay the same ``layout.Document`` out. See docs/documents.md."""
