# Sourced. The dependency versions that the root pom.xml defines in its <properties>, for the side
# POMs that take them as -D properties instead of declaring their own:
# runner-configs/flink/cluster-lib/pom.xml (tools/flink-cluster.sh) and bench/fileio-match/pom.xml
# (bench/expansion-at-scale.sh).
root_pom="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)/pom.xml"

# root_property NAME: the value of <NAME>...</NAME> in the root pom.xml; fails when there is none.
root_property() {
  local value
  value=$(sed -n "s:^ *<$1>\([^<]*\)</$1>.*:\1:p" "$root_pom" | head -1)
  if [ -z "$value" ]; then
    echo "no <$1> property in $root_pom" >&2
    return 1
  fi
  echo "$value"
}
