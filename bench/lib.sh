# Shared by bench/run, bench/resolver and bench/startup: the project's version and the installed jars of the README's
# set-up. Source it after setting $mvn.

# The version in the root POM.
version=$(sed -n 's:^  <version>\(.*\)</version>:\1:p' "$(dirname "${BASH_SOURCE[0]}")/../pom.xml" | head -1)

# installed_jar ARTIFACT: the path of io.github.jobserver:ARTIFACT:$version in the local repository, or
# exit with the remedy. Maven is asked for the repository once; bench/run passes it on in BENCH_REPO.
installed_jar() {
  if [ -z "${BENCH_REPO:-}" ]; then
    BENCH_REPO=$("$mvn" -B -q help:evaluate -Dexpression=settings.localRepository -DforceStdout 2>/dev/null \
      | sed 's/\x1b\[[0-9;]*m//g')
    export BENCH_REPO
  fi
  local jar="$BENCH_REPO/io/github/jobserver/$1/$version/$1-$version.jar"
  [ -f "$jar" ] || { echo "bench: $jar not found; run the README's set-up (mvn install) first" >&2; exit 1; }
  echo "$jar"
}

# ns: nanoseconds since the epoch.
ns() { date +%s%N; }

# burn_iterations MS: how many rounds of bench/work's awk loop burn MS ms of one core here (one timed run of
# 2,000,000 rounds on the machine as it is now).
burn_iterations() {
  local t0 t1
  t0=$(ns); awk -v n=2000000 'BEGIN { s = 0; for (i = 0; i < n; i++) s += i % 7; if (s < 0) print s }'; t1=$(ns)
  echo $(( 2000000 * $1 * 1000000 / (t1 - t0) ))
}

# extension_xml DIR yes|no: DIR/.mvn/extensions.xml lists our extension ($version), or is removed.
extension_xml() {
  if [ "$2" = yes ]; then
    mkdir -p "$1/.mvn"
    printf '<extensions><extension><groupId>io.github.jobserver</groupId><artifactId>jobserver-extension</artifactId><version>%s</version></extension></extensions>\n' "$version" > "$1/.mvn/extensions.xml"
  else
    rm -f "$1/.mvn/extensions.xml"
  fi
}
