#!/usr/bin/env bash
# Builds the test control plane's binaries from the Go module proxy into $1:
# etcd, kube-apiserver and kube-controller-manager (or only those named after it).
# Versions are pinned by the go.mod files beside this script; `go build -mod=readonly` keeps go.sum authoritative.
set -euo pipefail
out=${1:?usage: build.sh OUT_DIR [etcd|kube-apiserver|kube-controller-manager ...]}
shift
wanted=("$@")
[ ${#wanted[@]} -gt 0 ] || wanted=(etcd kube-apiserver kube-controller-manager)
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
kubernetes_version=$(awk '$1 == "k8s.io/kubernetes" { print $2 }' "$here/kubernetes/go.mod")
minor=${kubernetes_version#v1.}
minor=${minor%%.*}
mkdir -p "$out"
export GOFLAGS="-mod=readonly -trimpath"

kube_commands=()
for name in "${wanted[@]}"; do
  case "$name" in
    etcd) (cd "$here/etcd" && go build -ldflags "-s -w" -o "$out/etcd" .) ;;
    kube-apiserver | kube-controller-manager) kube_commands+=("k8s.io/kubernetes/cmd/$name") ;;
    *) echo "build.sh: unknown binary $name" >&2; exit 2 ;;
  esac
done
if [ ${#kube_commands[@]} -gt 0 ]; then
  # What `make` stamps into a release build, so `kubectl version` and /version report the real release.
  version="k8s.io/component-base/version"
  ldflags="-s -w -X $version.gitVersion=$kubernetes_version -X $version.gitMajor=1 -X $version.gitMinor=$minor"
  ldflags+=" -X $version.gitTreeState=clean"
  (cd "$here/kubernetes" && go build -ldflags "$ldflags" -o "$out/" "${kube_commands[@]}")
fi
