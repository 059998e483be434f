#!/usr/bin/env bash
# The OpenMLDB rolling-upgrade profile against real OpenSSH: three sshd instances on 127.0.0.1
# (ports picked free, a throwaway host key and a throwaway user key in this test's temp dir,
# public-key only, each "host" logging in into its own folder of a copy of the world tree), the
# real ssh client in BatchMode through UPWIZ_SSH_CONFIG. The run must succeed, every host must
# end on the new version, each sshd must have accepted the key, and a host whose key is not
# authorized must fail at once (BatchMode: no password prompt) in the hosts check.
set -u
bin=${UPWIZ_BIN:?}
src=${UPWIZ_SOURCE_DIR:?}
sshd=$(command -v sshd || echo /usr/sbin/sshd)
[ -x "$sshd" ] || { echo "skipped: sshd not installed (scripts/deps.sh installs openssh-server)"; exit 77; }
command -v ssh >/dev/null && command -v ssh-keygen >/dev/null || { echo "skipped: ssh client not installed"; exit 77; }
command -v python3 >/dev/null || { echo "skipped: python3 (the simulated vendor tools) not installed"; exit 77; }
py=/usr/bin/python3; [ -x "$py" ] || py=python3   # not a pyenv shim: it starts in a tenth of the time
tmp=$(mktemp -d)
pids=()
cleanup() { for p in "${pids[@]}"; do kill "$p" 2>/dev/null; done; rm -rf "$tmp"; }
trap cleanup EXIT
fail=0; pass=0
t() { if eval "$2"; then pass=$((pass+1)); else echo "FAIL: $1"; fail=$((fail+1)); fi; }

# sshd's privilege separation folder (the package's service makes it at boot)
[ "$(id -u)" -eq 0 ] && mkdir -p /run/sshd
ssh-keygen -q -t ed25519 -N '' -f "$tmp/hostkey" -C upwiz-test-host
ssh-keygen -q -t ed25519 -N '' -f "$tmp/id" -C upwiz-test-user
ssh-keygen -q -t ed25519 -N '' -f "$tmp/other" -C upwiz-test-unauthorized
cp "$tmp/id.pub" "$tmp/authorized_keys"
chmod 600 "$tmp/authorized_keys"
cp -a "$src/assets/openmldb-rolling-upgrade/world/tree" "$tmp/world"
ports=($(python3 -c 'import socket
s=[socket.socket() for _ in range(3)]
[x.bind(("127.0.0.1",0)) for x in s]
print(" ".join(str(x.getsockname()[1]) for x in s))'))
user=$(id -un)
: > "$tmp/known_hosts"
: > "$tmp/ssh_config"
for i in 1 2 3; do
	port=${ports[$((i-1))]}
	cat > "$tmp/sshd_config$i" <<C
ListenAddress 127.0.0.1
HostKey $tmp/hostkey
PidFile $tmp/sshd$i.pid
AuthorizedKeysFile $tmp/authorized_keys
PubkeyAuthentication yes
PasswordAuthentication no
KbdInteractiveAuthentication no
UsePAM no
StrictModes no
PermitRootLogin prohibit-password
LogLevel VERBOSE
ForceCommand cd $tmp/world/hosts/node$i && exec /bin/sh -c "\$SSH_ORIGINAL_COMMAND"
C
	"$sshd" -D -e -f "$tmp/sshd_config$i" -p "$port" 2>"$tmp/sshd$i.log" &
	pids+=($!)
	echo "[127.0.0.1]:$port $(cut -d' ' -f1,2 "$tmp/hostkey.pub")" >> "$tmp/known_hosts"
	cat >> "$tmp/ssh_config" <<C
Host node$i
  HostName 127.0.0.1
  Port $port
  User $user
  IdentityFile $tmp/id
  IdentitiesOnly yes
  UserKnownHostsFile $tmp/known_hosts
  StrictHostKeyChecking yes
C
done
cat >> "$tmp/ssh_config" <<C
Host intruder
  HostName 127.0.0.1
  Port ${ports[0]}
  User $user
  IdentityFile $tmp/other
  IdentitiesOnly yes
  UserKnownHostsFile $tmp/known_hosts
  StrictHostKeyChecking yes
C
chmod 600 "$tmp/ssh_config"
up=0
for _ in $(seq 1 100); do
	up=0
	for p in "${ports[@]}"; do (exec 3<>/dev/tcp/127.0.0.1/$p) 2>/dev/null && up=$((up+1)); done
	[ $up -eq 3 ] && break
	sleep 0.1
done
if [ $up -ne 3 ]; then
	echo "skipped: sshd could not start on loopback:"; cat "$tmp"/sshd*.log; exit 77
fi
export UPWIZ_SSH_CONFIG="$tmp/ssh_config"
export XDG_STATE_HOME="$tmp/state"

answers() {   # $1: the ALL_HOSTS list
	cat <<Y
vars:
  ALL_HOSTS: "$1"
  NAMESERVERS: "node1=172.24.4.39:7527 node2=172.24.4.40:7527"
  TABLETS: "node1=172.24.4.39:10921 node2=172.24.4.40:10921 node3=172.24.4.56:10921"
  TASKMANAGERS: "node2"
  APISERVERS: "node1"
  OPS_HOST: node1
  OPENMLDB_HOME: openmldb
  NEW_HOME: openmldb-0.9.3
  ZK_CLUSTER: "172.24.4.40:30481"
  ZK_ROOT: /openmldb
  PYTHON: $py
answers:
$(sed -n 's/^  \([a-z].*\)/  \1/p' "$src/assets/openmldb-rolling-upgrade/world/golden.yaml")
resume: no
Y
}

# A host whose key is not authorized fails the hosts check at once (BatchMode, no prompt).
answers "intruder" > "$tmp/a1.yaml"
start=$(date +%s)
out=$(timeout 120 "$bin" run openmldb-rolling-upgrade --answers "$tmp/a1.yaml" --plain </dev/null 2>&1); rc=$?
took=$(( $(date +%s) - start ))
t "an unauthorized key fails the run (exit 1), no password asked" '[ $rc -eq 1 ] && ! grep -qi "password:" <<<"$out"'
t "it fails in the hosts check, quickly" 'grep -q "Permission denied (publickey" <<<"$out" && [ $took -lt 60 ]'
rm -rf "$tmp/state"

# The whole upgrade over real ssh.
answers "node1 node2 node3" > "$tmp/a2.yaml"
out=$(timeout 900 "$bin" run openmldb-rolling-upgrade --answers "$tmp/a2.yaml" --plain </dev/null 2>&1); rc=$?
echo "$out" | tail -8
t "the rolling upgrade over real sshd succeeds" '[ $rc -eq 0 ]'
run=$(ls -d "$tmp"/state/upwiz/runs/* | head -1)
for i in 1 2 3; do
	t "node$i runs 0.9.3" '"$tmp/world/hosts/node'$i'/openmldb/bin/openmldb" --version | grep -q "version 0.9.3"'
	t "sshd $i accepted the throwaway key" 'grep -q "Accepted publickey for '$user'" "$tmp/sshd'$i'.log"'
done
t "tablets: 3 iterations journaled" '[ $(grep -c "\"t\":\"iter_done\".*\"step\":\"tablets\"" "$run/journal.jsonl") -eq 3 ]'
t "every component up at 0.9.3" '[ $(cat "$tmp"/world/cluster/up/* | grep -c 0.9.3) -eq 7 ]'
k=$(sed -n 2p "$tmp/id")
t "the private key never reached the run's files" '! grep -rqF -- "$k" "$run"'
echo "$pass passed, $fail failed"
[ $fail -eq 0 ]
