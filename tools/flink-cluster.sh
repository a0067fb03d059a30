#!/usr/bin/env bash
# A standalone Flink 1.19 session cluster on this machine, from Maven Central jars:
# a JobManager and one or more TaskManagers, each a separate java process.
#
#   tools/flink-cluster.sh start   [CONFIG.yaml]   JobManager + one TaskManager
#   tools/flink-cluster.sh add-tm  [CONFIG.yaml]   one more TaskManager (prints its pid); with a
#                                                  config, on a machine without a JobManager
#   tools/flink-cluster.sh kill-tm PID             SIGKILL a TaskManager (recovery tests)
#   tools/flink-cluster.sh status                  the REST overview
#   tools/flink-cluster.sh stop                    stop every process, clean up
#   tools/flink-cluster.sh conf    [CONFIG.yaml]   write the configuration only (and print it)
#
# Environment: FLINK_WORK (state, logs, lib; default target/flink-cluster), FLINK_REST_PORT (8081),
# FLINK_RPC_PORT (6123), FLINK_BLOB_PORT (6124); FLINK_BIND_ADDRESS (the private address this
# machine's JobManager or TaskManager listens on, default localhost) and FLINK_JOBMANAGER_ADDRESS
# (the JobManager's private address, default FLINK_BIND_ADDRESS). Nothing binds to all
# interfaces. Submit with
#   --runner=FlinkRunner --flinkMaster=localhost:$FLINK_REST_PORT
set -euo pipefail
shopt -s nullglob
here=$(cd "$(dirname "$0")/.." && pwd)
work=${FLINK_WORK:-$here/target/flink-cluster}
rest_port=${FLINK_REST_PORT:-8081}
rpc_port=${FLINK_RPC_PORT:-6123}
blob_port=${FLINK_BLOB_PORT:-6124}
bind_address=${FLINK_BIND_ADDRESS:-localhost}
jobmanager_address=${FLINK_JOBMANAGER_ADDRESS:-$bind_address}
source "$here/tools/pom-versions.sh"

# Java 17 module flags, as flink-dist's env.java.opts.all sets them.
J17="--add-exports=java.base/sun.net.util=ALL-UNNAMED --add-exports=java.rmi/sun.rmi.registry=ALL-UNNAMED
 --add-exports=java.security.jgss/sun.security.krb5=ALL-UNNAMED --add-opens=java.base/java.lang=ALL-UNNAMED
 --add-opens=java.base/java.net=ALL-UNNAMED --add-opens=java.base/java.io=ALL-UNNAMED
 --add-opens=java.base/java.nio=ALL-UNNAMED --add-opens=java.base/sun.nio.ch=ALL-UNNAMED
 --add-opens=java.base/java.lang.reflect=ALL-UNNAMED --add-opens=java.base/java.text=ALL-UNNAMED
 --add-opens=java.base/java.time=ALL-UNNAMED --add-opens=java.base/java.util=ALL-UNNAMED
 --add-opens=java.base/java.util.concurrent=ALL-UNNAMED
 --add-opens=java.base/java.util.concurrent.atomic=ALL-UNNAMED
 --add-opens=java.base/java.util.concurrent.locks=ALL-UNNAMED"

classpath() { ls "$work"/lib/*.jar | tr '\n' ':'; }
# The TaskManager's own JVM options (env.java.opts.taskmanager), as bin/taskmanager.sh adds them.
tm_opts() { sed -n 's/^env\.java\.opts\.taskmanager: *//p' "$work/conf/config.yaml" | tr -d '"'; }
log4j() { echo "-Dlog4j.configurationFile=file:$work/conf/log4j2.properties"; }

# Memory flags the way bin/*.sh derive them: BashJavaUtils prints JVM args, then -D properties.
resource_params() {
  java $(log4j) -cp "$(classpath)" org.apache.flink.runtime.util.bash.BashJavaUtils "$1" \
    --configDir "$work/conf" | grep '^BASH_JAVA_UTILS_EXEC_RESULT:' \
    | sed 's/^BASH_JAVA_UTILS_EXEC_RESULT://'
}

wait_for_rest() {
  for _ in $(seq 1 120); do
    if curl -sf "http://$jobmanager_address:$rest_port/overview" >/dev/null; then return 0; fi
    sleep 0.5
  done
  echo "JobManager REST port $rest_port did not come up; see $work/log/jm.out" >&2
  return 1
}

start_tm() {
  local n out log
  local pids=("$work"/run/tm-*.pid)
  n=${#pids[@]}
  log="$work/log/tm-$n.out"
  out=$(resource_params GET_TM_RESOURCE_PARAMS)
  # An earlier TaskManager's log says it registered: empty it here, before the wait below reads
  # it, not in the background where the new one's redirection would race with that wait.
  : > "$log"
  # shellcheck disable=SC2086
  nohup java $(echo "$out" | tail -2 | head -1) $J17 $(tm_opts) $(log4j) -cp "$(classpath)" \
    org.apache.flink.runtime.taskexecutor.TaskManagerRunner --configDir "$work/conf" \
    $(echo "$out" | tail -1) > "$log" 2>&1 &
  echo $! > "$work/run/tm-$n.pid"
  # Its own log says when it has joined (counting TaskManagers races with a lost one leaving);
  # the log may not exist yet in the first instants.
  for _ in $(seq 1 120); do
    if grep -qs "Successful registration at resource manager" "$log"; then echo $!; return 0; fi
    sleep 0.5
  done
  echo "TaskManager did not register; see $log" >&2
  return 1
}

resolve_lib() {
  # The versions the job jar is built against, from the root pom.xml; lib/ is resolved again when
  # they change.
  local flink tensorflow protobuf versions
  flink=$(root_property flink.version)
  tensorflow=$(root_property tensorflow.version)
  protobuf=$(root_property protobuf.version)
  versions="flink $flink, tensorflow $tensorflow, protobuf $protobuf"
  if [ "$(cat "$work/lib/.complete" 2>/dev/null)" != "$versions" ]; then
    rm -rf "$work/lib"
  fi
  mkdir -p "$work"/{lib,conf,log,run,tmp}
  if [ ! -f "$work/lib/.complete" ]; then
    echo "resolving the Flink cluster jars ($versions) with Maven into $work/lib" >&2
    mvn -q -B -f "$here/runner-configs/flink/cluster-lib/pom.xml" dependency:copy-dependencies \
      -Dflink.version="$flink" -Dtensorflow.version="$tensorflow" -Dprotobuf.version="$protobuf" \
      -DoutputDirectory="$work/lib" -DincludeScope=runtime
    echo "$versions" > "$work/lib/.complete"
  fi
}

# The config with this machine's addresses in place of the network keys, then the ports and
# directories. Flink's REST endpoint takes job jars unauthenticated: never bind it to everything.
write_conf() {
  local config=$1 a
  for a in "$bind_address" "$jobmanager_address"; do
    case "$a" in
      0.0.0.0|::|'[::]'|'*'|'')
        echo "refusing to bind Flink to '$a': give a private address (FLINK_BIND_ADDRESS)" >&2
        return 1 ;;
    esac
  done
  mkdir -p "$work"/{conf,log,run,tmp}
  { sed -E \
      -e "s#^(jobmanager\.rpc\.address|rest\.address):.*#\1: $jobmanager_address#" \
      -e "s#^(jobmanager\.bind-host|rest\.bind-address|taskmanager\.bind-host|taskmanager\.host):.*#\1: $bind_address#" \
      "$config"
    cat <<YAML
jobmanager.rpc.port: $rpc_port
rest.port: $rest_port
blob.server.port: $blob_port
io.tmp.dirs: $work/tmp
web.tmpdir: $work/tmp/web
YAML
  } > "$work/conf/config.yaml"
  cat > "$work/conf/log4j2.properties" <<'PROPS'
rootLogger.level = INFO
rootLogger.appenderRef.console.ref = ConsoleAppender
appender.console.name = ConsoleAppender
appender.console.type = CONSOLE
appender.console.layout.type = PatternLayout
appender.console.layout.pattern = %d{HH:mm:ss,SSS} %-5p %-40c{1} - %m%n
logger.azure.name = com.azure
logger.azure.level = WARN
PROPS
}

start() {
  local config=${1:-$here/runner-configs/flink/local-2core.yaml}
  write_conf "$config"
  resolve_lib
  local out
  out=$(resource_params GET_JM_RESOURCE_PARAMS)
  # shellcheck disable=SC2086
  nohup java $(echo "$out" | tail -2 | head -1) $J17 $(log4j) -cp "$(classpath)" \
    org.apache.flink.runtime.entrypoint.StandaloneSessionClusterEntrypoint \
    --configDir "$work/conf" --executionMode cluster $(echo "$out" | tail -1) \
    > "$work/log/jm.out" 2>&1 &
  echo $! > "$work/run/jm.pid"
  wait_for_rest
  start_tm >/dev/null
  echo "Flink session cluster up: REST http://$jobmanager_address:$rest_port, logs in $work/log" >&2
}

stop() {
  for f in "$work"/run/*.pid; do
    [ -f "$f" ] || continue
    kill "$(cat "$f")" 2>/dev/null || true
  done
  sleep 2
  for f in "$work"/run/*.pid; do
    [ -f "$f" ] || continue
    kill -9 "$(cat "$f")" 2>/dev/null || true
    rm -f "$f"
  done
  # A killed TaskManager leaves its blob cache and extracted RPC jar behind.
  rm -rf "$work/tmp"
}

case "${1:-}" in
  start) shift; start "$@" ;;
  add-tm) shift; if [ -n "${1:-}" ]; then write_conf "$1"; resolve_lib; fi; start_tm ;;
  kill-tm) kill -9 "$2" ;;
  status) curl -sf "http://$jobmanager_address:$rest_port/overview"; echo ;;
  stop) stop ;;
  conf) shift; write_conf "${1:-$here/runner-configs/flink/local-2core.yaml}"
        cat "$work/conf/config.yaml" ;;
  *) sed -n '2,20p' "$0"; exit 2 ;;
esac
