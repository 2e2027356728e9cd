#!/bin/bash
# Simulated hosts for multi-host labs, on one machine. Run as pid 1 of a throwaway sandbox:
#   unshare --net --mount --pid --fork --mount-proc -- bash test/helpers/sim-hosts.sh DIR N
# The sandbox's own network namespace is the underlay: a bridge "under" with 198.51.100.10/24 (the
# controller). Host i is a network namespace h<i> on that bridge (eth0, 198.51.100.1<i>/24) running a
# real OpenSSH server in a mount namespace of its own: private /run/netns, /run/netlab, and /etc under
# an overlay, so each host's netlab keeps its own namespaces, journal, lock and /etc/netns. DIR gets
# the ssh key, ssh_config, known_hosts and hosts/<i>.pid (the sshd pid, for nsenter). When this script
# (pid 1) is killed, every process and namespace of the simulation goes with it.
set -eu
DIR=$1 N=$2
mount --make-rprivate /
mkdir -p /run/netns /run/netlab /run/sshd
mount -t tmpfs -o mode=0755 sim-netns /run/netns
mount -t tmpfs -o mode=0755 sim-netlab /run/netlab
ip link set lo up
ip link add under type bridge
ip addr add 198.51.100.10/24 dev under
ip link set under up
mkdir -p "$DIR/hosts"
ssh-keygen -q -t ed25519 -N '' -f "$DIR/id" -C netlab-test
ssh-keygen -q -t ed25519 -N '' -f "$DIR/hostkey" -C netlab-test-host
cp "$DIR/id.pub" "$DIR/authorized_keys"
cat > "$DIR/sshd_config" <<CONF
Port 22
HostKey $DIR/hostkey
AuthorizedKeysFile $DIR/authorized_keys
PermitRootLogin prohibit-password
PasswordAuthentication no
KbdInteractiveAuthentication no
UsePAM no
StrictModes no
PrintMotd no
LogLevel ERROR
PidFile none
MaxSessions 64
MaxStartups 64
CONF
{
  echo "Host *"
  echo "  User root"
  echo "  IdentityFile $DIR/id"
  echo "  IdentitiesOnly yes"
  echo "  UserKnownHostsFile $DIR/known_hosts"
  echo "  GlobalKnownHostsFile /dev/null"
  echo "  StrictHostKeyChecking yes"
} > "$DIR/ssh_config"
: > "$DIR/known_hosts"
for i in $(seq 1 "$N"); do
  ip netns add "h$i"
  ip link add "h$i" type veth peer name eth0 netns "h$i"
  ip link set "h$i" master under up
  ip -n "h$i" link set lo up
  ip -n "h$i" addr add "198.51.100.1$i/24" dev eth0
  ip -n "h$i" link set eth0 up
  echo "198.51.100.1$i $(cut -d' ' -f1,2 "$DIR/hostkey.pub")" >> "$DIR/known_hosts"
  mkdir -p "$DIR/hosts/$i"
  # the host's private mounts, then sshd in the foreground (pid written for nsenter)
  ip netns exec "h$i" unshare --mount --propagation private -- bash -c '
    set -e
    mount -t tmpfs -o mode=0755 host-netns /run/netns
    mount -t tmpfs -o mode=0755 host-netlab /run/netlab
    mount -t tmpfs -o mode=0700 host-etc "$0"
    mkdir "$0/u" "$0/w"
    mount -t overlay host-etc -o "lowerdir=/etc,upperdir=$0/u,workdir=$0/w" /etc
    # Debian bash sources ~/.bashrc for every command sshd runs; the root one of this machine (pyenv init:
    # ~100 processes) made each ssh command take 0.3 s idle, 5 s and more under load. A fresh VM gives
    # root a stock one (non-interactive: returns at once): so does each simulated host.
    if [ -f /root/.bashrc ]; then
      cp /etc/skel/.bashrc "$0.bashrc" 2>/dev/null || : > "$0.bashrc"
      mount --bind "$0.bashrc" /root/.bashrc
    fi
    echo $$ > "$0.pid"
    exec /usr/sbin/sshd -D -e -f "$1"' "$DIR/hosts/$i" "$DIR/sshd_config" 2>>"$DIR/hosts/$i.log" &
done
for i in $(seq 1 "$N"); do
  for _ in $(seq 1 100); do
    [ -s "$DIR/hosts/$i.pid" ] && ip netns exec "h$i" ss -ltn 2>/dev/null | grep -q ':22 ' && break
    sleep 0.1
  done
done
echo ready > "$DIR/ready"
trap 'exit 0' TERM
while :; do sleep 3600 & wait $! || true; done
