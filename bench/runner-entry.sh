#!/usr/bin/env bash
# How a runner best enters N namespaces (setns-runner.ts): the same batch of four idempotent `ip` lines
# (`link set dev lo up`) run in each of N fresh namespaces, 4 at a time, by
#   ip-n:   4 x `xargs -0 -n 4 ip` (`ip -n NS -batch FILE`), a share each: netlab's ip entry
#   perl:   4 x netlab's perl runner (fork, setns, exec `ip -batch -`, the batch on a pipe)
#   nsenter: 4 x `xargs -0 -n 5 nsenter --net=/run/netns/NS -- ip -batch FILE`
#   xargs-P4: one `xargs -P4` of `ip -n NS -batch FILE` (the bench's script: no fixed shares)
# alternated round by round; GNU time's wall, user and sys of each way. Batch files on tmpfs (/run).
# Needs root and a built checkout.   sudo bash bench/runner-entry.sh [N] [ROUNDS] [CHECKOUT]
set -euo pipefail
N=${1:-200}; ROUNDS=${2:-3}; D=$(realpath "${3:-.}")
P="nre$(head -c3 /dev/urandom | od -An -tx1 | tr -d ' \n')-"
TMP=$(mktemp -d /run/netlab-runner-entry-XXXXXX)
unset NODE_EXTRA_CA_CERTS
cleanup() {
  ip -force -batch - >/dev/null 2>&1 < <(for i in $(seq "$N"); do echo "netns del ${P}$i"; done) || true
  rm -rf "$TMP"
}
trap cleanup EXIT
trap 'exit 130' INT TERM
BATCH=$'link set dev lo up\nlink set dev lo up\nlink set dev lo up\nlink set dev lo up\n'
ip -batch - < <(for i in $(seq "$N"); do echo "netns add ${P}$i"; done)
for i in $(seq "$N"); do printf '%s' "$BATCH" > "$TMP/$i.batch"; done
node --input-type=module -e "import('$D/dist/render/setns-runner.js').then((m) => process.stdout.write(m.runnerArgv('perl')[2]))" > "$TMP/runner.pl"
SYSCALL=$(node --input-type=module -e "import('$D/dist/render/setns-runner.js').then((m) => console.log(m.setnsSyscall()))")
share() { # k: the namespaces of runner k (0-3)
  local per=$(( (N + 3) / 4 )); seq $(( $1 * per + 1 )) $(( $1 * per + per < N ? $1 * per + per : N )); }
ipn() { for k in 0 1 2 3; do for i in $(share $k); do printf -- '-n\0%s\0-batch\0%s\0' "${P}$i" "$TMP/$i.batch"; done | xargs -0 -n 4 ip & done; wait; }
perl_() { for k in 0 1 2 3; do for i in $(share $k); do printf -- '--net=/run/netns/%s\0--\0ip\0-batch\0-\0%s\0' "${P}$i" "$BATCH"; done | perl -e "$(cat "$TMP/runner.pl")" "$SYSCALL" & done; wait; }
nsenter_() { for k in 0 1 2 3; do for i in $(share $k); do printf -- '--net=/run/netns/%s\0--\0ip\0-batch\0%s\0' "${P}$i" "$TMP/$i.batch"; done | xargs -0 -n 5 nsenter & done; wait; }
xargsP4() { for i in $(seq "$N"); do printf -- '-n\0%s\0-batch\0%s\0' "${P}$i" "$TMP/$i.batch"; done | xargs -0 -P4 -n 4 ip; }
export -f share ipn perl_ nsenter_ xargsP4; export N P TMP BATCH SYSCALL
for r in $(seq "$ROUNDS"); do
  for way in ipn perl_ nsenter_ xargsP4; do /usr/bin/time -f "N=$N round $r ${way%_}: %e s wall, %U s user, %S s sys" bash -c "$way"; done
done 2>&1
echo "load average $(cut -d' ' -f1-3 /proc/loadavg)"
