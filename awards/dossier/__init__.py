"""Hồ sơ khen thưởng: the official documents of an award decision (Tờ trình, Biên bản, Báo cáo thành
tích, Quyết định, Giấy khen) as PDF and Word, in the format of Nghị định 30/2020/NĐ-CP.

- ``documents``: one module per document, saying what it says (in Vietnamese, whatever the
  reader's language), and the interface the Celery jobs call (``plan_documents``, ``render_pdf``,
  ``render_docx``);
- ``facts``: what every document of a decision stands on, loaded with a fixed number of queries;
- ``wording``: how amounts, dates, names and file names are written;
- ``layout``: the document as plain blocks, laid out alike by ``pdf`` and ``docx``;
- ``jobs``: the generation at scale (one Celery task per document, the ZIP), ``views`` its pages.

See docs/documents.md."""
