# Two commands do everything on a fresh machine with Python 3.11: `make run` and `make test`.
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV   := .venv
BIN    := $(VENV)/bin

# The environment every privnews process runs in (set before Python starts).
export PREFECT_HOME := $(CURDIR)/.prefect
export PREFECT_SERVER_ANALYTICS_ENABLED := false
export PREFECT_LOGGING_LEVEL ?= WARNING
export DO_NOT_TRACK := 1
export HF_HUB_OFFLINE := 1
export TRANSFORMERS_OFFLINE := 1
export TOKENIZERS_PARALLELISM := false
# The ephemeral Prefect API server can need more than its default 20 s on a busy 2-core machine.
export PREFECT_SERVER_EPHEMERAL_STARTUP_TIMEOUT_SECONDS ?= 120

.PHONY: setup run test bench clean

# The learned claim components (nlp/claim_kinds.py, nlp/claim_roles.py) read the rules' claims, so they are trained
# here (~45 s) on this checkout's rules and dev corpus, and again whenever either changes.
LEARNED_CLAIMS := models/claim-kinds-nl/meta.json models/claim-roles/weights.json
LEARNED_INPUTS := $(wildcard nlp/*.py models/patterns/* models/kb/* models/configs/*) models/corpus/gold-dev.jsonl \
		models/training/rule_output.py models/ner-nl/meta.json $(VENV)/.installed

setup: $(VENV)/.installed $(PREFECT_HOME)/prefect.db $(LEARNED_CLAIMS)

# one recipe for both: it runs the rules over the dev split once and trains the two components from that
$(LEARNED_CLAIMS): $(LEARNED_INPUTS) models/training/train_claim_kinds.py models/training/train_claim_roles.py \
		models/training/train_claim_models.py
	$(BIN)/python -m models.training.train_claim_models

$(VENV)/.installed: requirements.lock pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install -q --upgrade "pip>=24"
	$(BIN)/pip install -q -r requirements.lock
	$(BIN)/pip install -q --no-deps -e .
	touch $@

# Prefect's own database (flow and task runs), created once here rather than by the first run's server (~4 s of
# that run); a later Prefect version's migrations still run when its server starts.
$(PREFECT_HOME)/prefect.db: | $(VENV)/.installed
	$(BIN)/prefect server database upgrade -y > /dev/null

run: setup
	$(BIN)/privnews run

test: setup
	$(BIN)/python -m pytest -q

bench: setup
	$(BIN)/python -m benchmarks.run

clean:
	rm -rf $(VENV) .prefect data models/claim-kinds-* models/claim-roles
