#!/usr/bin/env bash
# Removes the issue-agent backend from the current kubectl context.
#
# Usage: ./uninstall.sh [--keep-data] [--yes]
#   --keep-data  keep the namespace, its Secrets and the volumes (queued messages and
#                downloaded models), so that a later install.sh picks them up again
#   --yes        do not ask for confirmation (needed when not run from a terminal)
# KEDA itself is left installed: other workloads may use it.
set -euo pipefail

readonly NAMESPACE=ai-agent
readonly RELEASE=issue-agent
KUBECTL="${KUBECTL:-kubectl}"
HELM="${HELM:-helm}"

keep_data=false
assume_yes=false

usage() {
  sed -n '2,8s/^# \{0,1\}//p' "${BASH_SOURCE[0]}"
}

die() {
  printf 'uninstall.sh: error: %s\n' "$1" >&2
  exit 1
}

while [[ $# -gt 0 ]]; do
  case "$1" in
    --keep-data) keep_data=true; shift ;;
    --yes | -y) assume_yes=true; shift ;;
    -h | --help) usage; exit 0 ;;
    *) usage >&2; die "unknown option '$1'" ;;
  esac
done

command -v "$KUBECTL" >/dev/null 2>&1 ||
  die "kubectl not found. Install it (https://kubernetes.io/docs/tasks/tools/)."
"$KUBECTL" cluster-info --request-timeout=15s >/dev/null 2>&1 ||
  die "cannot reach a cluster with the current kubectl context. Check 'kubectl cluster-info'."

context="$("$KUBECTL" config current-context 2>/dev/null || echo unknown)"
if $keep_data; then
  what="the issue-agent workloads in namespace $NAMESPACE (Secrets and volumes kept)"
else
  what="namespace $NAMESPACE with its Secrets, queued messages and downloaded models"
fi

if ! $assume_yes; then
  [[ -t 0 ]] || die "not a terminal: pass --yes to confirm deleting $what."
  read -r -p "Delete $what from context '$context'? [y/N] " answer
  [[ "$answer" =~ ^[Yy]$ ]] || { echo "Nothing deleted."; exit 0; }
fi

if command -v "$HELM" >/dev/null 2>&1 &&
  "$HELM" status "$RELEASE" --namespace "$NAMESPACE" >/dev/null 2>&1; then
  # Keeps the model volume (helm.sh/resource-policy: keep) and RabbitMQ's volume.
  "$HELM" uninstall "$RELEASE" --namespace "$NAMESPACE" --wait
else
  kinds=deployment,statefulset,job,service,configmap,networkpolicy,poddisruptionbudget
  # The ScaledObject goes first, or KEDA would scale the worker back up meanwhile.
  if "$KUBECTL" get crd scaledobjects.keda.sh >/dev/null 2>&1; then
    kinds="scaledobject,triggerauthentication,$kinds"
  fi
  "$KUBECTL" -n "$NAMESPACE" delete "$kinds" \
    -l app.kubernetes.io/part-of=issue-agent --ignore-not-found --wait
fi

if $keep_data; then
  echo "Kept: namespace $NAMESPACE, its Secrets and PersistentVolumeClaims."
else
  "$KUBECTL" delete namespace "$NAMESPACE" --ignore-not-found --wait
  echo "Deleted namespace $NAMESPACE."
fi
