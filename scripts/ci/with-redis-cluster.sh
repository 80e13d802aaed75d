#!/usr/bin/env bash
# Runs a command beside a throwaway Redis Cluster (three masters, no replicas, nothing persisted)
# started from this machine's redis-server, with TEST_REDIS_CLUSTER_NODES naming its nodes.
# The nodes stop when the command ends, whatever its outcome.
#   scripts/ci/with-redis-cluster.sh npm test
# REDIS_CLUSTER_PORTS (default "7101 7102 7103") picks the ports; each node's bus is its port + 10000.
# With TEST_REDIS_CLUSTER_NODES already set, the command runs against that cluster instead.
set -euo pipefail

if [ -n "${TEST_REDIS_CLUSTER_NODES:-}" ]; then
  exec "$@"
fi

read -r -a ports <<<"${REDIS_CLUSTER_PORTS:-7101 7102 7103}"
dir=$(mktemp -d "${TMPDIR:-/tmp}/jeeves-redis-cluster.XXXXXX")
pids=()

stop() {
  if [ "${#pids[@]}" -gt 0 ]; then
    kill "${pids[@]}" 2>/dev/null || true
    wait "${pids[@]}" 2>/dev/null || true
  fi
  rm -rf "$dir"
}
trap stop EXIT
# A signal ends the run through exit, so the EXIT trap stops the nodes then too.
trap 'exit 130' INT
trap 'exit 143' TERM

fail() {
  echo "redis cluster: $1" >&2
  for port in "${ports[@]}"; do
    [ -f "$dir/$port/redis.log" ] && tail -n 5 "$dir/$port/redis.log" >&2
  done
  exit 1
}

command -v redis-server >/dev/null && command -v redis-cli >/dev/null || fail "redis-server and redis-cli are needed (Debian: redis-server)"
# A port taken by anything else would make that server part of this cluster: refuse instead.
for port in "${ports[@]}"; do
  for taken in "$port" "$((port + 10000))"; do
    if (exec 3<>"/dev/tcp/127.0.0.1/$taken") 2>/dev/null; then
      fail "port $taken is in use; choose others with REDIS_CLUSTER_PORTS"
    fi
  done
done

nodes=()
for port in "${ports[@]}"; do
  mkdir -p "$dir/$port"
  redis-server --port "$port" --bind 127.0.0.1 --dir "$dir/$port" --logfile "$dir/$port/redis.log" \
    --cluster-enabled yes --cluster-config-file nodes.conf --cluster-node-timeout 5000 \
    --save '' --appendonly no &
  pids+=("$!")
  nodes+=("127.0.0.1:$port")
done

# Each node answers before the cluster is made of them.
for port in "${ports[@]}"; do
  for _ in $(seq 100); do
    redis-cli -p "$port" ping >/dev/null 2>&1 && continue 2
    sleep 0.1
  done
  fail "the node on port $port did not start"
done

redis-cli --cluster create "${nodes[@]}" --cluster-replicas 0 --cluster-yes >"$dir/create.log" 2>&1 \
  || { cat "$dir/create.log" >&2; fail "redis-cli --cluster create failed"; }

# Every node must agree the slots are covered before a test sends it a command.
for port in "${ports[@]}"; do
  for _ in $(seq 200); do
    redis-cli -p "$port" cluster info 2>/dev/null | grep -q '^cluster_state:ok' && continue 2
    sleep 0.1
  done
  fail "the node on port $port never reported cluster_state:ok"
done

TEST_REDIS_CLUSTER_NODES=$(IFS=,; echo "${nodes[*]}")
export TEST_REDIS_CLUSTER_NODES
echo "Redis Cluster for this run: $TEST_REDIS_CLUSTER_NODES"
"$@"
