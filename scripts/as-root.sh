#!/usr/bin/env bash
# Run the given command as root: directly when already root, through sudo otherwise.
if [ "$(id -u)" -eq 0 ]; then exec "$@"; fi
command -v sudo >/dev/null 2>&1 || { echo "this needs root and sudo is not installed" >&2; exit 3; }
exec sudo --preserve-env=PATH,NO_COLOR,CI,NETLAB_STATE_DIR,NETLAB_JOBS "$@"
