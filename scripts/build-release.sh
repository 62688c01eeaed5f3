#!/usr/bin/env bash
# The one release build of Klant (every benchmark, `make build` and the quickstart use it): the Swift
# runtime and Foundation linked statically, which takes about 8 ms off the start of every klant command
# (fewer shared libraries to load and relocate). Extra arguments go to swift build (--product, --scratch-path).
# Keep the flag on every release build of a tree: swift build recompiles everything when it changes.
set -euo pipefail
exec swift build -c release --static-swift-stdlib "$@"
