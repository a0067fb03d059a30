# Shared set-up of the benchmark scripts (sourced): repository root as working directory,
# bench/out/, and helpers for what several benchmarks need.
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$root"
mkdir -p bench/out
source "$root/tools/pom-versions.sh"

# Compiles the project with its tools and benchmarks (test sources) and prints the classpath
# for running them with plain java.
project_classpath() {
  mvn -q -B -Dstyle.color=never test-compile >&2
  mvn -q -B -Dstyle.color=never dependency:build-classpath \
    -Dmdep.outputFile=target/bench-classpath.txt >/dev/null
  echo "target/classes:target/test-classes:$(cat target/bench-classpath.txt)"
}

# Installs the pinned Azurite where the launcher (tools/java/.../Azurite.java) looks for it.
install_azurite() {
  npm install --no-audit --no-fund --prefix .ci/node azurite@3.37.0 >/dev/null 2>&1 \
    || { echo "npm install azurite@3.37.0 failed" >&2; exit 1; }
}
