# Debian's dockerd in this sandbox (its own network, mount and pid namespace: docker0 and Docker's
# iptables rules are made here and die with it), an image imported from busybox-static, and
# `docker run -p 8080:80` as the docker-bridge lab teaches. The host's LAN (eth0 192.168.1.10/24 to
# "outside") is made by hand as a Docker host would have it. Prints the node -> netns path map.
set -euo pipefail
work=$1
mount -t tmpfs -o mode=755 tmpfs /run
mkdir -p /run/netns "$work/cgroup"
mount --rbind /sys/fs/cgroup "$work/cgroup"
mount -t sysfs sysfs /sys
mount --move "$work/cgroup" /sys/fs/cgroup
ip link set lo up
for ns in lan outside; do ip netns add $ns; done
ip -n lan link add lan type bridge; ip -n lan link set lan up
ip link add eth0 type veth peer name port-host netns lan
ip -n lan link add port-outside type veth peer name eth0 netns outside
for p in port-host port-outside; do ip -n lan link set $p master lan up; done
ip addr add 192.168.1.10/24 dev eth0; ip link set eth0 up
ip -n outside addr add 192.168.1.20/24 dev eth0; ip -n outside link set eth0 up; ip -n outside link set lo up
# the same setting as the lab (Docker 20.10 does not set it; br_netfilter's default is 1 where it is loaded)
sysctl -qw net.bridge.bridge-nf-call-iptables=1
# containers' cgroups go under one group of ours (not the machine's "docker"), removed by conformance.sh
dockerd --data-root "$work/data" --exec-root "$work/exec" --pidfile "$work/dockerd.pid" --host "unix://$work/docker.sock" \
  --cgroup-parent "/netlab-conformance-${CONFORMANCE_ID:?}" --log-level warn > "$work/dockerd.log" 2>&1 &
docker=(docker -H "unix://$work/docker.sock")
for _ in $(seq 120); do "${docker[@]}" version >/dev/null 2>&1 && break; sleep 0.5; done
"${docker[@]}" version >/dev/null 2>&1 || { tail -n 30 "$work/dockerd.log" >&2; exit 1; }
echo "dockerd $("${docker[@]}" version -f '{{.Server.Version}}')" >&2
mkdir -p "$work/img/bin" "$work/img/www"
cp /bin/busybox "$work/img/bin/busybox"
for a in sh httpd sleep; do ln -s busybox "$work/img/bin/$a"; done
echo "hello from a container" > "$work/img/www/index.html"
tar -C "$work/img" -c . | "${docker[@]}" import - netlab-conformance/busybox >/dev/null
"${docker[@]}" run -d --name alpine0 -p 8080:80 netlab-conformance/busybox /bin/httpd -f -p 80 -h /www >/dev/null
"${docker[@]}" run -d --name alpine1 netlab-conformance/busybox /bin/httpd -f -p 80 -h /www >/dev/null
sleep 1
echo "host /proc/1/ns/net"
for c in alpine0 alpine1; do echo "$c $("${docker[@]}" inspect -f '{{.NetworkSettings.SandboxKey}}' $c)"; done
