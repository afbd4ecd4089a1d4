# The portal's image: web (gunicorn), Celery worker and beat all run from it.
FROM python:3.11-slim-bookworm

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    DJANGO_SETTINGS_MODULE=campaign_portal.settings_production

# gettext compiles the catalogues; Pango and Liberation fonts are what WeasyPrint needs for the dossiers.
RUN apt-get update \
    && apt-get install -y --no-install-recommends gettext libpango-1.0-0 libpangoft2-1.0-0 \
       libharfbuzz-subset0 fonts-liberation2 curl \
    && rm -rf /var/lib/apt/lists/*

RUN useradd --create-home --uid 1000 portal
WORKDIR /app
COPY pyproject.toml README.md ./
COPY campaign_portal ./campaign_portal
COPY common ./common
COPY agencies ./agencies
COPY campaigns ./campaigns
COPY registrations ./registrations
COPY scoring ./scoring
COPY awards ./awards
COPY demo ./demo
RUN pip install --upgrade pip && pip install .
COPY . .
# Build-time only values: the real ones come from the environment at run time.
RUN SECRET_KEY=build-only-$(python -c "import secrets; print(secrets.token_urlsafe(48))") \
    ALLOWED_HOSTS=build DATABASE_URL=sqlite:////tmp/build.sqlite3 \
    sh -c "python manage.py compilemessages --ignore=.venv -v0 && python manage.py collectstatic --noinput -v0" \
    && mkdir -p /app/media && chown -R portal:portal /app/media

USER portal
EXPOSE 8000
CMD ["gunicorn", "campaign_portal.wsgi:application", "--bind", "0.0.0.0:8000", "--workers", "3", "--timeout", "120"]
