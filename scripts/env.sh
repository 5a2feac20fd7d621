# Sourced by ./berth, ./berthd and ./run-tests: finds a JDK 25 and builds berth when its sources changed.
# ./berth sources this on every CLI call, where each process forked costs ~1 ms of a ~15 ms `docker ps`:
# what runs on that path uses bash builtins only, except the one `find` of ensure_built.
if [ -z "${BERTH_ROOT:-}" ]; then
  case ${BASH_SOURCE[0]} in
    /*/scripts/env.sh) BERTH_ROOT=${BASH_SOURCE[0]%/scripts/env.sh} ;;
    *) BERTH_ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd) ;;
  esac
fi

is_jdk25() { # dir: the release file says the version without starting a JVM (that would cost ~50 ms)
  local line
  [ -x "$1/bin/java" ] && [ -r "$1/release" ] || return 1
  while IFS= read -r line; do
    [[ $line == 'JAVA_VERSION="25'* ]] && return 0
  done < "$1/release"
  "$1/bin/java" -version 2>&1 | grep -q 'version "25'
}

find_jdk25() {
  local candidate
  for candidate in "${JAVA_HOME:-}" /usr/lib/jvm/temurin-25-jdk-amd64 /usr/lib/jvm/temurin-25* /usr/lib/jvm/*-25* /usr/lib/jvm/*25*; do
    [ -n "$candidate" ] && is_jdk25 "$candidate" || continue
    JAVA_HOME=$candidate; return 0
  done
  echo "berth: no JDK 25 found (looked at \$JAVA_HOME and /usr/lib/jvm); install Temurin 25" >&2
  return 1
}

find_jdk25 || exit 1
export JAVA_HOME
export PATH="$JAVA_HOME/bin:$PATH"
# Maven 3.8's bundled Guava calls sun.misc.Unsafe, which JDK 25 warns about on every build: noise for a newcomer.
export MAVEN_OPTS="${MAVEN_OPTS:-} --sun-misc-unsafe-memory-access=allow"

# Builds when no jar exists yet or any pom or main source is newer than the stamp. Every CLI call runs this
# check, so it looks only where built inputs live (not into target/ or tests): ~2 ms instead of ~10.
# The CLI's jars are looked at too, after the sources (find stops at the first hit, in order): jars that a
# direct `mvn package` rewrote make the AOT caches stale: the JVM checks only a jar's size against its cache,
# so it may serve the old classes (JDK-8377932) or, when the size changed, drop the cache without a word (a
# CLI twice as slow). The caches are trained again; no build is needed for that.
ensure_built() {
  local stamp="$BERTH_ROOT/berth-cli/target/.built" newer
  if [ -f "$stamp" ]; then
    newer=$(find "$BERTH_ROOT/pom.xml" "$BERTH_ROOT"/berth-*/pom.xml "$BERTH_ROOT"/berth-*/src/main \
      "$BERTH_ROOT"/berth-*/src/build "$BERTH_ROOT"/berth-cli/target/*.jar "$BERTH_ROOT/berth-cli/target/lib" \
      -newer "$stamp" -print -quit 2>/dev/null)
    [ -z "$newer" ] && return 0
    if [[ $newer == "$BERTH_ROOT"/berth-cli/target/* ]]; then
      echo "berth: the CLI's jars changed: training its AOT caches again..." >&2
      build_cli_aot_cache
      build_compose_aot_cache
      touch "$stamp"
      return 0
    fi
  fi
  echo "berth: building (mvn package)..." >&2
  (cd "$BERTH_ROOT" && mvn -B -q -DskipTests package -o >/dev/null 2>&1 || mvn -B -q -DskipTests package) >&2 || {
    echo "berth: build failed" >&2; return 1; }
  build_cli_aot_cache
  build_compose_aot_cache
  touch "$stamp"
}

# The CLI is a short-lived JVM: an AOT cache of its loaded and linked classes and method profiles cuts its
# start-up by a third or more. It is trained by io.berth.cli.AotTraining, one JVM running the commands typed
# most (run, exec, logs, inspect, ps, images) against the daemon the CLI talks to, and rebuilt after every
# build, since a cache from older jars can serve stale classes (JDK-8377932). The training leaves at most a
# busybox container it removes again (--rm) and its events; --pull never keeps it from downloading. Without
# a daemon each command stops at the connection, still loading nearly every class before it. The timeout
# keeps a daemon that accepts but never answers from hanging the build.
# `run` and `exec` get a cache of their own, trained on them alone (`AotTraining container`): a JDK 25 JVM loads
# and links every class of its cache at start, whatever the command, and exec needs ~1,900 of the ~2,900.
# A CLI without its cache runs about twice as slow and the JVM says nothing (./berth turns its AOT logging off,
# or every call would print it), so nothing about it is silent: a training that made no cache says so once and
# leaves its output in CACHE.log and a CACHE.failed mark (the launcher does not try again on every call; the
# next build does); a cache missing otherwise is trained by the launcher at the next call, saying so; one the
# JVM refused (another JDK, other JVM options or jars) is removed by the CLI with one line (io.berth.cli.AotCheck)
# and so trained again at the call after.
CLI_AOT_CACHE="$BERTH_ROOT/berth-cli/target/berth-cli.aot"
CONTAINER_AOT_CACHE="$BERTH_ROOT/berth-cli/target/berth-container.aot"
build_cli_aot_cache() {
  train_aot_cache "$CLI_AOT_CACHE" io.berth.cli.AotTraining
  train_aot_cache "$CONTAINER_AOT_CACHE" io.berth.cli.AotTraining container
}

# `berth compose` loads YAML, the compose-spec schema and its validator (~2,300 classes, ~0.6 s of a cold
# start, 30 ms once loaded): a cache of its own, trained by io.berth.cli.ComposeAotTraining (config, up -d,
# up -d with nothing changed, ps, down -v of a small project of its own against the CLI's daemon; without one
# it still loads most classes), keeps that off every compose command without touching the other commands' cache.
COMPOSE_AOT_CACHE="$BERTH_ROOT/berth-cli/target/berth-compose.aot"
build_compose_aot_cache() {
  train_aot_cache "$COMPOSE_AOT_CACHE" io.berth.cli.ComposeAotTraining
}

train_aot_cache() { # cache, training class, its arguments
  local cache=$1
  shift
  rm -f "$cache" "$cache.failed"
  timeout 120 java $CLI_JAVA_OPTS -XX:AOTCacheOutput="$cache" -cp "$CLI_CLASSPATH" "$@" >"$cache.log" 2>&1 </dev/null || true
  if [ -f "$cache" ]; then
    rm -f "$cache.log"
  else
    : >"$cache.failed" 2>/dev/null || true
    echo "berth: training the CLI's AOT cache ${cache##*/} made none (its output: $cache.log):" \
      "berth runs without it, about twice as slow to start, until the next build" >&2
  fi
}

# The cache the launcher's call uses (AOT_CACHE_ARGS), trained first when it is missing, as above. A user who
# cannot write the tree (a member of the socket's group running root's checkout) could neither keep a cache nor
# the mark, and would train on every call: the owner's next call or build trains it.
aot_cache_args() { # cache
  local cache=$1
  AOT_CACHE_ARGS=()
  if [ ! -f "$cache" ] && [ ! -e "$cache.failed" ] && [ -w "${cache%/*}" ]; then
    echo "berth: the CLI's AOT cache ${cache##*/} is missing: training it (once)..." >&2
    if [ "$cache" = "$COMPOSE_AOT_CACHE" ]; then build_compose_aot_cache; else build_cli_aot_cache; fi
  fi
  [ -f "$cache" ] && AOT_CACHE_ARGS=(-XX:AOTCache="$cache" -Xlog:aot=off -Xlog:cds=off -Dberth.aot.cache="$cache")
  return 0
}

berth_classpath() { # module
  local m=$1
  echo "$BERTH_ROOT/berth-$m/target/berth-$m-0.1.0-SNAPSHOT.jar:$BERTH_ROOT/berth-$m/target/lib/*"
}

# The CLI's class path and JVM options, the same for its training runs and its calls (an AOT cache is only
# used by a JVM with the same class path and GC). C1 only and the serial GC: a short run never pays for C2
# or a parallel collector's threads. No hsperfdata file: nobody attaches tools to a CLI call. C1 compiles a method
# only after 10x the usual calls: a CLI call's C1 thread spent a quarter of its CPU compiling methods it then ran a
# few times (exec 131 -> 108 ms of CPU, ps -a 197 -> 174, run 144 -> 129; -Xint, all interpreted, costs more).
CLI_CLASSPATH="$BERTH_ROOT/berth-cli/target/berth-cli-0.1.0-SNAPSHOT.jar:$BERTH_ROOT/berth-cli/target/lib/*"
CLI_JAVA_OPTS="--enable-native-access=ALL-UNNAMED -XX:TieredStopAtLevel=1 -XX:CompileThresholdScaling=10 -XX:+UseSerialGC -XX:-UsePerfData"
