# Run by scripts/ci/container.sh inside its own network, mount and pid namespace (pid 1 here):
# start dockerd, import the base, build the image, run it privileged. Needs WORK (the temp dir).
set -euo pipefail
REFEREE=container
here=$(cd "$(dirname "$0")" && pwd)
. "$here/common.sh"
work=$1
id=${work##*.}
docker=(/usr/bin/docker -H "unix://$work/docker.sock")

ip link set lo up
touch "$work/netns-ready"   # the outside now starts slirp4netns on this namespace
for _ in $(seq 100); do ip route show default | grep -q tap0 && break; sleep 0.1; done
ip route show default | grep -q tap0 || die "slirp4netns gave no default route (see $work/slirp4netns.log)"

# this namespace's view: its own /run, sysfs (its own links) and resolver (slirp4netns's)
mount -t tmpfs -o mode=755 tmpfs /run
mkdir "$work/cgroup"
mount --rbind /sys/fs/cgroup "$work/cgroup"
mount -t sysfs sysfs /sys
mount --move "$work/cgroup" /sys/fs/cgroup
printf 'nameserver 10.0.2.3\n' > "$work/resolv.conf"
mount --bind "$work/resolv.conf" /etc/resolv.conf

# a machine that cannot grant every capability gets runc minus those (see runc-bounded.mjs)
runtime=()
missing=$(node --input-type=module -e "import { missingCapabilities } from '$here/runc-bounded.mjs';
  import { readFileSync } from 'node:fs'; console.log(missingCapabilities(readFileSync('/proc/self/status', 'utf8')).join(' '))")
if [ -n "$missing" ]; then
  log "this machine's capability bounding set lacks $missing: --privileged containers get every other capability"
  runtime=(--add-runtime "runc-bounded=$here/runc-bounded" --default-runtime runc-bounded)
fi

# CPU weight: in cgroup v1 a group at the top of the cpu hierarchy weighs as much as one process
# beside it, so on a machine busy with other work every container would share one process's part of
# the CPU (here: node took 1.2 s to start, services missed their 5 s readiness limit). The group
# dockerd puts the containers under gets the weight of NETLAB_CI_CPU_SHARES/1024 processes.
if [ -d /sys/fs/cgroup/cpu ] && [ ! -e /sys/fs/cgroup/cgroup.controllers ]; then
  mkdir -p "/sys/fs/cgroup/cpu/netlab-ci-$id"
  echo "${NETLAB_CI_CPU_SHARES:-8192}" > "/sys/fs/cgroup/cpu/netlab-ci-$id/cpu.shares"
fi

dockerd --data-root "$work/data" --exec-root "$work/exec" --pidfile "$work/dockerd.pid" \
  --host "unix://$work/docker.sock" --cgroup-parent "/netlab-ci-$id" --log-level warn "${runtime[@]}" \
  > "$work/dockerd.log" 2>&1 &
dockerd_pid=$!
for _ in $(seq 120); do "${docker[@]}" version >/dev/null 2>&1 && break; sleep 0.5; done
"${docker[@]}" version >/dev/null 2>&1 || { tail -n 30 "$work/dockerd.log" >&2; die "dockerd did not start"; }
log "dockerd $("${docker[@]}" version -f '{{.Server.Version}}'), storage $("${docker[@]}" info -f '{{.Driver}}')"

changes=(--change 'ENV PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin' --change 'CMD ["node"]')
while IFS= read -r env; do changes+=(--change "ENV $env"); done < "$work/base-env"
tar -C "$work/base" --numeric-owner -c . | "${docker[@]}" import "${changes[@]}" - "$BASE_IMAGE" >/dev/null
log "base image $BASE_IMAGE imported from the minbase root"

start=$SECONDS
"${docker[@]}" build --build-arg "BASE=$BASE_IMAGE" -t netlab:ci "$work/context" \
  || die "docker build (exit $?)"
size=$("${docker[@]}" image inspect -f '{{.Size}}' netlab:ci)
log "docker build: $((SECONDS - start)) s; image netlab:ci is $((size / 1000000)) MB"

"${docker[@]}" run --rm --privileged netlab:ci doctor || die "docker run --privileged netlab:ci doctor (exit $?)"

mkdir "$work/reports"
start=$SECONDS
status=0
"${docker[@]}" run --rm --privileged -v "$work/reports:/reports" netlab:ci test --all --junit /reports/netlab.xml || status=$?
log "docker run --privileged netlab:ci test --all --junit /reports/netlab.xml: exit $status in $((SECONDS - start)) s"
if [ -s "$work/reports/netlab.xml" ]; then
  grep -o '<testsuites[^>]*>' "$work/reports/netlab.xml" >&2 || true
  [ -n "${NETLAB_CI_REPORTS:-}" ] && mkdir -p "$NETLAB_CI_REPORTS" && cp "$work/reports/netlab.xml" "$NETLAB_CI_REPORTS/container-netlab.xml"
fi
if [ $status -ne 0 ] && [ -s "$work/reports/netlab.xml" ]; then
  log "what failed, from the JUnit report:"
  grep -a -E -A3 '<(failure|error)' "$work/reports/netlab.xml" | head -n 60 >&2 || true
fi
[ $status -eq 0 ] || die "netlab test --all in the container (exit $status)"

kill -TERM "$dockerd_pid"; wait "$dockerd_pid" || true
