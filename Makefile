# Operator shortcuts for the backend in a cluster (namespace ai-agent) and for the
# project's own checks. `make help` lists them.
SHELL := bash
.SHELLFLAGS := -euo pipefail -c
.DEFAULT_GOAL := help

NAMESPACE := ai-agent
KUBECTL ?= kubectl
# Passed through to install.sh: METHOD=helm|kustomize, OVERLAY=gpu, IMAGE=repo:tag, MODEL=name.
METHOD ?=
OVERLAY ?=
IMAGE ?=
MODEL ?=
# Which pods `make logs` follows: worker, ollama, rabbitmq or ollama-pull-model.
COMPONENT ?= worker

.PHONY: help install status logs uninstall test build image compose-up compose-down

help: ## List the targets
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  %-14s %s\n", $$1, $$2}'

install: ## Install or upgrade the backend (install.sh; METHOD, OVERLAY, IMAGE, MODEL)
	./install.sh $(if $(METHOD),--method $(METHOD)) $(if $(OVERLAY),--overlay $(OVERLAY)) \
		$(if $(IMAGE),--image $(IMAGE)) $(if $(MODEL),--model $(MODEL))

status: ## Pods, scaling, the model pull and the request queue
	$(KUBECTL) -n $(NAMESPACE) get pods,deployments,statefulsets,jobs,pvc -o wide
	$(KUBECTL) -n $(NAMESPACE) get scaledobjects,hpa
	@echo
	@echo "Queues (ready / unacknowledged / consumers):"
	$(KUBECTL) -n $(NAMESPACE) exec rabbitmq-0 -- \
		rabbitmqctl -q list_queues name messages_ready messages_unacknowledged consumers

logs: ## Follow the logs of COMPONENT (default worker; none while scaled to zero)
	@if [ -z "$$($(KUBECTL) -n $(NAMESPACE) get pods -l app.kubernetes.io/name=$(COMPONENT) -o name)" ]; then \
		echo "No $(COMPONENT) pod is running (the worker scales to zero when the queue is empty)."; \
	else \
		$(KUBECTL) -n $(NAMESPACE) logs -f --prefix --tail=200 --max-log-requests=20 \
			-l app.kubernetes.io/name=$(COMPONENT); \
	fi

uninstall: ## Remove the backend (uninstall.sh; asks first)
	./uninstall.sh

test: ## Lint and run the tests (integration tests need RabbitMQ on 127.0.0.1:5672)
	npm run lint
	npm test

build: ## Rebuild the committed bundles in dist/
	npm run build

image: ## Build the worker image locally (needs Docker)
	docker build -f backend/Dockerfile -t issue-agent-worker:dev .

compose-up: ## Run RabbitMQ, Ollama and the worker on this machine (needs Docker and SIGNING_KEY)
	docker compose up --build --detach
	@echo "RabbitMQ management: http://localhost:15672 (ai-agent / ai-agent)"

# Compose reads the whole file for `down` too, and docker-compose.yml requires SIGNING_KEY
# (so that `up` refuses at once without one); stopping needs no key.
compose-down: ## Stop the local stack (volumes are kept)
	SIGNING_KEY="$${SIGNING_KEY:-unused-when-stopping}" docker compose down
