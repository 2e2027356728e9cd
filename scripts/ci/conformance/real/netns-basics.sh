# Catalog A1, as typed: ip netns add (host is a namespace here too, as in the lab).
set -euo pipefail
for ns in host red blue; do ip netns add $ns; done
