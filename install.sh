#!/usr/bin/env bash
# Installs (or upgrades) the issue-agent backend into the current kubectl context:
# RabbitMQ, Ollama and its model, the worker, and its KEDA autoscaling, in the
# namespace ai-agent. Safe to run again: existing Secrets are kept, objects updated.
#
# Usage: ./install.sh [--method helm|kustomize] [--overlay gpu] [--image REPO:TAG]
#                     [--model NAME] [--dry-run]
# Environment: SIGNING_KEY  use this HMAC key instead of generating one (or replace it)
#              OPENAI_API_KEY, OLLAMA_API_KEY  the model server's key, if it asks for one
#              KUBECTL, HELM  the binaries to call (default: kubectl, helm)
set -euo pipefail

readonly NAMESPACE=ai-agent
readonly RELEASE=issue-agent
ROOT_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
readonly ROOT_DIR
KUBECTL="${KUBECTL:-kubectl}"
HELM="${HELM:-helm}"

method=""
method_given=false
overlay=""
image=""
model=""
dry_run=false

usage() {
  sed -n '2,11s/^# \{0,1\}//p' "${BASH_SOURCE[0]}"
}

die() {
  printf 'install.sh: error: %s\n' "$1" >&2
  exit 1
}

step() {
  printf '\n==> %s\n' "$1"
}

while [[ $# -gt 0 ]]; do
  case "$1" in
    --method) method="${2:-}"; method_given=true; shift 2 ;;
    --overlay) overlay="${2:-}"; shift 2 ;;
    --image) image="${2:-}"; shift 2 ;;
    --model) model="${2:-}"; shift 2 ;;
    --dry-run) dry_run=true; shift ;;
    -h | --help) usage; exit 0 ;;
    *) usage >&2; die "unknown option '$1'" ;;
  esac
done

command -v "$KUBECTL" >/dev/null 2>&1 ||
  die "kubectl not found. Install it (https://kubernetes.io/docs/tasks/tools/) and point it at your cluster."

if [[ -z "$method" ]]; then
  if command -v "$HELM" >/dev/null 2>&1; then method=helm; else method=kustomize; fi
fi
case "$method" in
  helm)
    command -v "$HELM" >/dev/null 2>&1 ||
      die "helm not found. Install helm 3 (https://helm.sh/docs/intro/install/) or use --method kustomize."
    [[ -z "$overlay" ]] || die "--overlay applies to --method kustomize; with helm, pass values instead."
    ;;
  kustomize)
    [[ -z "$image" && -z "$model" ]] ||
      die "--image and --model need --method helm; with kustomize, edit k8s/base/kustomization.yaml and k8s/base/worker-config.yaml."
    if [[ -n "$overlay" && ! -d "$ROOT_DIR/k8s/overlays/$overlay" ]]; then
      die "no overlay '$overlay' in k8s/overlays."
    fi
    if [[ "$overlay" == rabbitmq-operator ]]; then
      die "the operator's variant needs the RabbitMQ cluster operator and a default_user.conf key in secret/rabbitmq-credentials, which this script does not set up: apply it with kubectl as docs/deploy.md (\"A replicated broker\") shows."
    fi
    ;;
  *) die "--method must be helm or kustomize, got '$method'." ;;
esac

step "Checking the cluster"
"$KUBECTL" cluster-info --request-timeout=15s >/dev/null 2>&1 ||
  die "cannot reach a cluster with the current kubectl context ($("$KUBECTL" config current-context 2>/dev/null || echo none)). Check 'kubectl cluster-info'."
echo "context: $("$KUBECTL" config current-context 2>/dev/null || echo unknown)"
"$KUBECTL" get crd scaledobjects.keda.sh triggerauthentications.keda.sh >/dev/null 2>&1 ||
  die "KEDA is not installed (no scaledobjects.keda.sh CRD). Install it first:
  helm repo add kedacore https://kedacore.github.io/charts
  helm install keda kedacore/keda --namespace keda --create-namespace"

# Helm cannot adopt objects that kubectl applied: an install made with kustomize stays one.
managed_by="$("$KUBECTL" -n "$NAMESPACE" get deployment worker \
  -o jsonpath='{.metadata.labels.app\.kubernetes\.io/managed-by}' 2>/dev/null)" &&
  if [[ "$method" == helm && "$managed_by" != Helm ]]; then
    $method_given &&
      die "the backend in $NAMESPACE was installed with kustomize, and helm cannot take over its objects: run with --method kustomize, or ./uninstall.sh first."
    echo "the backend in $NAMESPACE was installed with kustomize: upgrading it with kustomize"
    method=kustomize
    [[ -z "$image" && -z "$model" ]] ||
      die "--image and --model need --method helm, and this install is kustomize's: edit k8s/base/kustomization.yaml and k8s/base/worker-config.yaml."
  fi

apply=("$KUBECTL" apply)
dry_run_mode=""
if $dry_run; then
  # The API server validates best, but cannot validate objects in a namespace that a
  # dry run did not create: fall back to client-side checks on a fresh cluster.
  if "$KUBECTL" get namespace "$NAMESPACE" >/dev/null 2>&1; then dry_run_mode=server; else dry_run_mode=client; fi
  apply+=("--dry-run=$dry_run_mode")
fi

# Hex only: the password is embedded in URLs and must need no escaping.
random_hex() {
  od -An -N"$1" -tx1 /dev/urandom | tr -d ' \n'
}

step "Namespace and Secrets"
# The same Namespace object as the kustomize base, with its Pod Security labels.
"${apply[@]}" -f "$ROOT_DIR/k8s/base/namespace.yaml"

if "$KUBECTL" -n "$NAMESPACE" get secret rabbitmq-credentials >/dev/null 2>&1; then
  echo "secret/rabbitmq-credentials exists: kept"
else
  user=ai-agent
  password="$(random_hex 24)"
  "$KUBECTL" -n "$NAMESPACE" create secret generic rabbitmq-credentials \
    --from-literal=username="$user" \
    --from-literal=password="$password" \
    --from-literal=amqp-url="amqp://$user:$password@rabbitmq.$NAMESPACE.svc:5672" \
    --from-literal=management-url="http://$user:$password@rabbitmq.$NAMESPACE.svc:15672/" \
    --dry-run=client -o yaml | "${apply[@]}" -f -
fi

# A JSON string's inside, for a key given in the environment.
json_escape() {
  printf '%s' "$1" | sed -e 's/\\/\\\\/g' -e 's/"/\\"/g'
}

if ! "$KUBECTL" -n "$NAMESPACE" get secret worker-secrets >/dev/null 2>&1; then
  "$KUBECTL" -n "$NAMESPACE" create secret generic worker-secrets \
    --from-literal=signing-key="${SIGNING_KEY:-$(random_hex 32)}" \
    --from-literal=openai-api-key="${OPENAI_API_KEY:-}" \
    --from-literal=ollama-api-key="${OLLAMA_API_KEY:-}" \
    --dry-run=client -o yaml | "${apply[@]}" -f -
else
  # Only the keys given change: rotating the signing key must not wipe a model server's
  # API key that was given once, at the first install.
  replaced=()
  data=""
  for pair in "signing-key=${SIGNING_KEY:-}" "openai-api-key=${OPENAI_API_KEY:-}" \
    "ollama-api-key=${OLLAMA_API_KEY:-}"; do
    name="${pair%%=*}"
    value="${pair#*=}"
    if [[ -n "$value" ]]; then
      replaced+=("$name")
      data+="${data:+,}\"$name\":\"$(json_escape "$value")\""
    fi
  done
  if [[ ${#replaced[@]} -gt 0 ]]; then
    patch=("$KUBECTL" -n "$NAMESPACE" patch secret worker-secrets --type merge -p "{\"stringData\":{$data}}")
    if $dry_run; then patch+=("--dry-run=$dry_run_mode"); fi
    "${patch[@]}" >/dev/null
    echo "secret/worker-secrets: replaced ${replaced[*]}; its other keys kept"
  else
    echo "secret/worker-secrets exists: kept (set SIGNING_KEY to replace the key)"
  fi
fi

if [[ "$overlay" == replicated-broker ]]; then
  if "$KUBECTL" -n "$NAMESPACE" get secret rabbitmq-cluster-cookie >/dev/null 2>&1; then
    echo "secret/rabbitmq-cluster-cookie exists: kept"
  else
    # The nodes' shared secret; letters and digits only.
    "$KUBECTL" -n "$NAMESPACE" create secret generic rabbitmq-cluster-cookie \
      --from-literal=cookie="$(random_hex 32)" \
      --dry-run=client -o yaml | "${apply[@]}" -f -
  fi
fi

# A Job's pod template is immutable: remove the finished pull so a changed MODEL is
# pulled by a new one. Pulling a model that is present costs seconds.
if ! $dry_run; then
  "$KUBECTL" -n "$NAMESPACE" delete job ollama-pull-model --ignore-not-found >/dev/null
fi

step "Applying the backend ($method)"
if [[ "$method" == helm ]]; then
  args=(upgrade --install "$RELEASE" "$ROOT_DIR/k8s/helm/issue-agent" --namespace "$NAMESPACE")
  if [[ -n "$image" ]]; then
    # REPO:TAG, where REPO may hold a registry port (host:5000/name).
    [[ "$image" =~ ^(.+):([^:/]+)$ ]] || die "--image must be REPO:TAG, got '$image'."
    args+=(--set "worker.image.repository=${BASH_REMATCH[1]}" --set "worker.image.tag=${BASH_REMATCH[2]}")
  fi
  if [[ -n "$model" ]]; then args+=(--set "worker.config.MODEL=$model"); fi
  if $dry_run; then args+=("--dry-run=$dry_run_mode"); fi
  "$HELM" "${args[@]}"
else
  target="$ROOT_DIR/k8s/base"
  if [[ -n "$overlay" ]]; then target="$ROOT_DIR/k8s/overlays/$overlay"; fi
  "${apply[@]}" -k "$target"
fi

if $dry_run; then
  echo "dry run: nothing changed."
  exit 0
fi

step "Waiting for RabbitMQ and Ollama"
"$KUBECTL" -n "$NAMESPACE" rollout status statefulset/rabbitmq --timeout=5m ||
  die "RabbitMQ did not become ready: kubectl -n $NAMESPACE describe pod rabbitmq-0"
"$KUBECTL" -n "$NAMESPACE" rollout status deployment/ollama --timeout=10m ||
  die "Ollama did not become ready: kubectl -n $NAMESPACE describe deployment ollama"

cat <<EOF

Installed. The model is being pulled in the background:
  kubectl -n $NAMESPACE logs -f job/ollama-pull-model
Workers start when a request is queued (KEDA scales from zero): make status, make logs.

For the Action, add two repository secrets (the names the example workflows read):
  ISSUE_AGENT_SIGNING_KEY:  kubectl -n $NAMESPACE get secret worker-secrets -o jsonpath='{.data.signing-key}' | base64 -d | gh secret set ISSUE_AGENT_SIGNING_KEY
  ISSUE_AGENT_AMQP_URL:     an amqp(s):// URL of this RabbitMQ that your runners can reach, with the
                            credentials from secret/rabbitmq-credentials (docs/deploy.md, "Connect the Action").
EOF
