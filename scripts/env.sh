# Sourced by ./berth, ./berthd and ./run-tests: finds a JDK 25 and builds berth when its sources changed.
BERTH_ROOT=${BERTH_ROOT:-$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)}

find_jdk25() {
  local candidate
  for candidate in "${JAVA_HOME:-}" /usr/lib/jvm/temurin-25-jdk-amd64 /usr/lib/jvm/temurin-25* /usr/lib/jvm/*-25* /usr/lib/jvm/*25*; do
    [ -n "$candidate" ] && [ -x "$candidate/bin/java" ] || continue
    if "$candidate/bin/java" -version 2>&1 | grep -q 'version "25'; then
      echo "$candidate"; return 0
    fi
  done
  echo "berth: no JDK 25 found (looked at \$JAVA_HOME and /usr/lib/jvm); install Temurin 25" >&2
  return 1
}

export JAVA_HOME=$(find_jdk25) || exit 1
export PATH="$JAVA_HOME/bin:$PATH"

# Builds when no jar exists yet or any pom/source is newer than the stamp.
ensure_built() {
  local stamp="$BERTH_ROOT/berth-cli/target/.built"
  if [ -f "$stamp" ] && [ -z "$(find "$BERTH_ROOT" -path "$BERTH_ROOT/.git" -prune -o \( -name '*.java' -o -name pom.xml -o -path '*/src/main/resources/*' \) -newer "$stamp" -print -quit)" ]; then
    return 0
  fi
  echo "berth: building (mvn package)..." >&2
  (cd "$BERTH_ROOT" && mvn -B -q -DskipTests package -o 2>/dev/null || mvn -B -q -DskipTests package) >&2 || {
    echo "berth: build failed" >&2; return 1; }
  touch "$stamp"
}

berth_classpath() { # module
  local m=$1
  echo "$BERTH_ROOT/berth-$m/target/berth-$m-0.1.0-SNAPSHOT.jar:$BERTH_ROOT/berth-$m/target/lib/*"
}
