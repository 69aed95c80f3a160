# Shared by bench/run and bench/startup: the project's version and the installed jars of the README's
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
