#!/usr/bin/env bash
# Installs what upwiz needs to build, test and run its sandbox on Debian 12 (as root).
# Idempotent: packages already present are left alone.
set -euo pipefail
pkgs=(build-essential cmake pkg-config
      libncurses-dev libyaml-dev default-libmysqlclient-dev libcurl4-openssl-dev
      libjansson-dev libssl-dev libarchive-dev libcmocka-dev
      mariadb-server mariadb-client tmux clang libclang-rt-14-dev
      valgrind cppcheck clang-tidy strace
      openssh-server openssh-client   # tests/e2e/t_openmldb_sshd: real sshd instances on loopback
      asciinema)   # tests/record: a recording must play in asciinema itself
missing=()
for p in "${pkgs[@]}"; do
	dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ "${#missing[@]}" -gt 0 ]; then
	if [ "$(id -u)" -ne 0 ]; then
		echo "upwiz: missing packages: ${missing[*]} (run as root to install them)" >&2
		exit 1
	fi
	export DEBIAN_FRONTEND=noninteractive
	apt-get update -qq
	apt-get install -y -qq --no-install-recommends "${missing[@]}"
fi
