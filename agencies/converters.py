"""The path converter for agency codes.

Official agency codes carry dots (``000.00.31.H29``, the national register's format) and imported
codes may carry ``=``; ``<slug:…>`` refused both, so every page linking such an agency failed to
build its address. The import refuses "/", spaces and codes made only of dots, so one path
segment always holds a code; ``reverse`` percent-encodes anything else (``?``, ``#``, ``%``).
"""

from django.urls import register_converter


class AgencyCodeConverter:
    regex = r"[^/]+"

    def to_python(self, value: str) -> str:
        return value

    def to_url(self, value: str) -> str:
        return value


register_converter(AgencyCodeConverter, "agency")
