# Sourced by ./berth, ./berthd and ./run-tests: finds a JDK 25 and builds berth when its sources changed.
BERTH_ROOT=${BERTH_ROOT:-$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)}

find_jdk25() {
  local candidate
  for candidate in "${JAVA_HOME:-}" /usr/lib/jvm/temurin-25-jdk-amd64 /usr/lib/jvm/temurin-25* /usr/lib/jvm/*-25* /usr/lib/jvm/*25*; do
    [ -n "$candidate" ] && [ -x "$candidate/bin/java" ] || continue
    # The release file says the version without starting a JVM (that would cost ~50 ms per command).
    if grep -qs '^JAVA_VERSION="25' "$candidate/release" || "$candidate/bin/java" -version 2>&1 | grep -q 'version "25'; then
      echo "$candidate"; return 0
    fi
  done
  echo "berth: no JDK 25 found (looked at \$JAVA_HOME and /usr/lib/jvm); install Temurin 25" >&2
  return 1
}

export JAVA_HOME=$(find_jdk25) || exit 1
export PATH="$JAVA_HOME/bin:$PATH"
# Maven 3.8's bundled Guava calls sun.misc.Unsafe, which JDK 25 warns about on every build: noise for a newcomer.
export MAVEN_OPTS="${MAVEN_OPTS:-} --sun-misc-unsafe-memory-access=allow"

# Builds when no jar exists yet or any pom or main source is newer than the stamp. Every CLI call runs this
# check, so it looks only where built inputs live (not into target/ or tests): ~2 ms instead of ~10.
ensure_built() {
  local stamp="$BERTH_ROOT/berth-cli/target/.built"
  if [ -f "$stamp" ] && [ -z "$(find "$BERTH_ROOT/pom.xml" "$BERTH_ROOT"/berth-*/pom.xml "$BERTH_ROOT"/berth-*/src/main \
      "$BERTH_ROOT"/berth-*/src/build -newer "$stamp" -print -quit 2>/dev/null)" ]; then
    return 0
  fi
  echo "berth: building (mvn package)..." >&2
  (cd "$BERTH_ROOT" && mvn -B -q -DskipTests package -o >/dev/null 2>&1 || mvn -B -q -DskipTests package) >&2 || {
    echo "berth: build failed" >&2; return 1; }
  build_cli_aot_cache
  build_compose_aot_cache
  touch "$stamp"
}

# The CLI is a short-lived JVM: an AOT cache of its loaded and linked classes cuts its start-up by a third.
# It is trained on a `run` against the daemon the CLI talks to, and rebuilt after every build, since a cache
# from older jars can serve stale classes (JDK-8377932). With a daemon up, the run also loads the classes that
# read its answers, attach and wait (~20 ms more off a run or ps); it leaves a removed `busybox true` container
# in the daemon's events at most, and --pull never keeps a build from downloading. Without a daemon the run
# stops at the connection, still loading nearly every class before it. The timeout keeps a daemon that accepts
# but never answers from hanging the build (the CLI then runs without a cache).
CLI_AOT_CACHE="$BERTH_ROOT/berth-cli/target/berth-cli.aot"
build_cli_aot_cache() {
  rm -f "$CLI_AOT_CACHE"
  timeout 120 java --enable-native-access=ALL-UNNAMED -XX:TieredStopAtLevel=1 \
    -XX:+UseSerialGC -XX:AOTCacheOutput="$CLI_AOT_CACHE" -cp "$(berth_classpath cli)" io.berth.cli.Main \
    run --rm --pull never busybox true >/dev/null 2>&1 </dev/null || true
}

# `berth compose` loads YAML, the compose-spec schema and its validator (~2,300 classes, ~0.6 s of a cold
# start, 30 ms once loaded): a cache of its own, trained on `compose config` of a small project (no daemon
# needed), keeps that off every compose command without touching the other commands' cache.
COMPOSE_AOT_CACHE="$BERTH_ROOT/berth-cli/target/berth-compose.aot"
build_compose_aot_cache() {
  rm -f "$COMPOSE_AOT_CACHE"
  local training
  training=$(mktemp -d)
  printf 'services:\n  web:\n    image: busybox\n    command: sh -c "echo ${GREETING:-hi}"\n    ports: ["8080:80"]\n    volumes: [data:/data, ./x:/x]\n    depends_on: {db: {condition: service_healthy}}\n  db:\n    image: busybox\n    healthcheck: {test: ["CMD", "true"], interval: 1s}\nvolumes:\n  data: {}\n' \
    > "$training/compose.yaml"
  timeout 120 java --enable-native-access=ALL-UNNAMED -XX:TieredStopAtLevel=1 \
    -XX:+UseSerialGC -XX:AOTCacheOutput="$COMPOSE_AOT_CACHE" -cp "$(berth_classpath cli)" io.berth.cli.Main \
    compose -f "$training/compose.yaml" config >/dev/null 2>&1 </dev/null || true
  rm -rf "$training"
}

berth_classpath() { # module
  local m=$1
  echo "$BERTH_ROOT/berth-$m/target/berth-$m-0.1.0-SNAPSHOT.jar:$BERTH_ROOT/berth-$m/target/lib/*"
}
