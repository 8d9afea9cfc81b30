#!/usr/bin/env bash
# Trains the sample network on Fashion-MNIST. Installs Debian's dataset-fashion-mnist package first when the
# data is missing and apt-get is available; any arguments go to the program (try --help).
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"

if [ ! -d /usr/share/datasets/fashion-mnist ] && [[ " $* " != *" --data "* ]] && command -v apt-get >/dev/null; then
    sudo_cmd=""
    if [ "$(id -u)" -ne 0 ]; then sudo_cmd="sudo"; fi
    echo "Installing Fashion-MNIST from Debian's package dataset-fashion-mnist..."
    $sudo_cmd apt-get update -qq && $sudo_cmd apt-get install -y -qq dataset-fashion-mnist \
        || echo "Could not install dataset-fashion-mnist; pass --data DIR with the four IDX files instead."
fi

exec dotnet run --project "$here" -c Release -- "$@"
