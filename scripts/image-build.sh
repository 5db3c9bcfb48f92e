#!/bin/sh
# The container image's build steps, in one place: the Dockerfile's build stage runs this, and
# test/integration/deploy.test.ts runs it in a copy of the repository and serves the result.
#
#   sh scripts/image-build.sh dependencies   production dependencies exactly as the lock file lists
#   sh scripts/image-build.sh site           the Astro build (dist/)
#   sh scripts/image-build.sh                both
# Runs on the Node 24 found on PATH (the image's own; the pinned `node` devDependency is not installed).
set -eu
step="${1:-all}"
if [ "$step" = dependencies ] || [ "$step" = all ]; then
  npm ci --omit=dev --no-audit --no-fund
fi
if [ "$step" = site ] || [ "$step" = all ]; then
  CANDOR_OUT_DIR=dist node node_modules/astro/bin/astro.mjs build
fi
