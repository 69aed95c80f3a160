#!/usr/bin/env bash
# Hostile MAKEFLAGS values and fd set-ups, each through one real Maven build of this project: the build
# must succeed with exactly one jobserver warning that names the problem, print no stack trace, and
# leave everything behind every fd and path as it was (files, pipes and FIFOs holding tokens).
#
# usage: corpus.sh MVN REPO OUT [PORT]   (run in the project's directory; PORT: a TCP listener's port)
# Writes OUT/results.txt, a line per check: "ok NAME" or "FAIL NAME: why"; OUT/NAME.log per build.
set -u
MVN=$1 REPO=$2 OUT=$3 PORT=${4:-}
unset MAKEFLAGS MFLAGS CARGO_MAKEFLAGS MAKELEVEL
mkdir -p "$OUT"
RESULTS=$OUT/results.txt
: > "$RESULTS"
V=$OUT/victims # what the fds and paths point at
rm -rf "$V" && mkdir -p "$V/dir"
printf 'PK\003\004 a jar' > "$V/file"
printf '+' > "$V/plus"
mkfifo -m 600 "$V/fifo" "$V/other-fifo" "$V/fifo-nobody"
ln -s fifo "$V/link-to-fifo"
ln -s file "$V/link-to-file"
ln -s missing "$V/dangling"
mkfifo -m 600 "$V/relative-fifo"
ME=$(id -u)
[ "$ME" = 0 ] && chown 65534 "$V/fifo-nobody"
exec {F}<> "$V/fifo" # the real FIFO stays open and holds two tokens all along
printf '++' >&"$F"

fail() { echo "FAIL $1: $2" >> "$RESULTS"; }

# The one build of a case: NAME, the substring its warning must contain, then VAR=VALUE words for env.
build() {
    local name=$1 want=$2 log=$OUT/$1.log
    shift 2
    env "$@" "$MVN" -B -ntp -Dmaven.repo.local="$REPO" validate > "$log" 2>&1 < /dev/null
    local rc=$?
    local warnings
    warnings=$(grep -a '^\[WARNING\].*jobserver' "$log")
    if [ $rc -ne 0 ] || ! grep -aq 'BUILD SUCCESS' "$log"; then
        fail "$name" "Maven exited $rc"
    elif [ "$(printf '%s\n' "$warnings" | grep -c .)" -ne 1 ]; then
        fail "$name" "expected one jobserver warning, got: ${warnings:-none}"
    elif [[ $warnings != *"$want"* ]]; then
        fail "$name" "the warning does not say '$want': $warnings"
    elif grep -aEq '^[[:space:]]+at [a-zA-Z_$.]+\(|Exception in thread' "$log"; then
        fail "$name" "a stack trace in the log"
    else
        echo "ok $name" >> "$RESULTS"
    fi
}

# What is queued in a pipe or FIFO, read without waiting through a new description of fd $1.
queued() {
    dd if="/proc/self/fd/$1" iflag=nonblock bs=4096 count=1 status=none 2>/dev/null
}

# Both ends of a new anonymous pipe in R and W (the write end reopened through /proc), holding $1.
new_pipe() {
    exec {R}< <(:)
    exec {W}> "/proc/self/fd/$R"
    printf '%s' "$1" >&"$W"
}

# NAME FD EXPECTED: the pipe or FIFO behind FD still holds exactly EXPECTED.
still_holds() {
    local got
    got=$(queued "$2")
    if [ "$got" = "$3" ]; then echo "ok $1 (holds '$3')" >> "$RESULTS"; else fail "$1" "holds '$got', not '$3'"; fi
}

# Fingerprints of every file a build could touch through a wrong fd or path: the victims, Maven's own
# jars (the JVM's fds 3 and 4 when make closed its own), the extension, and the JDK's module image.
MAVEN_HOME=$(cd "$(dirname "$(readlink -f "$MVN")")/.." && pwd)
fingerprints() {
    find "$V" "$MAVEN_HOME/boot" "$MAVEN_HOME/lib" "$REPO/io/github/jobserver" -type f -exec sha256sum {} + | sort
    find "$V" "$MAVEN_HOME/boot" "$MAVEN_HOME/lib" "$REPO/io/github/jobserver" "${JAVA_HOME:-/nonexistent}/lib/modules" \
        -exec stat -c '%n %F %s %Y %a %u' {} + 2> /dev/null | sort
}
fingerprints > "$OUT/before.txt"

auth() { echo " -j4 --jobserver-auth=$1"; }

# --- inherited fds that are not make's pipe ---
build closed-3-4 "fd 3 is" MAKEFLAGS="$(auth 3,4)" # the JVM's own files sit at 3 and 4
build closed-high "is not open" MAKEFLAGS="$(auth 1000,1001)"
build huge-fds "is not open" MAKEFLAGS="$(auth 2147483647,2147483646)"
build fds-overflow "cannot parse" MAKEFLAGS="$(auth 3,99999999999999999999)"
build negative-fds "negative fds" MAKEFLAGS="$(auth -5,-6)"
build stdin-stdout "fd 0 is a character device" MAKEFLAGS="$(auth 0,1)"
build stderr-twice "fd 2 is a regular file" MAKEFLAGS="$(auth 2,2)"
(exec 7< "$V/file" 8>> "$V/file"; build regular-file "a regular file" MAKEFLAGS="$(auth 7,8)")
(exec 7<> "$V/plus"; build regular-file-rw "a regular file" MAKEFLAGS="$(auth 7,7)")
(exec 7< /dev/null 8> /dev/null; build dev-null "character device" MAKEFLAGS="$(auth 7,8)")
(exec 7< /dev/zero 8> /dev/null; build dev-zero "character device" MAKEFLAGS="$(auth 7,8)")
(exec 7< "$V/dir"; build directory "is a directory" MAKEFLAGS="$(auth 7,7)")
(exec 7< "$V/file"; new_pipe "++"
    build file-and-pipe "a regular file" MAKEFLAGS="$(auth 7,$W)"
    still_holds file-and-pipe "$R" "++")
(new_pipe "+"; A_R=$R; A_W=$W; new_pipe "++"
    build two-pipes "different pipes" MAKEFLAGS="$(auth $A_R,$W)"
    still_holds two-pipes-a "$A_R" "+"
    still_holds two-pipes-b "$R" "++")
(new_pipe "+++"
    build swapped-ends "not open for reading" MAKEFLAGS="$(auth $W,$R)"
    still_holds swapped-ends "$R" "+++")
(new_pipe "+"
    build read-end-twice "not open for writing" MAKEFLAGS="$(auth $R,$R)"
    still_holds read-end-twice "$R" "+")
(new_pipe "+"
    build write-end-twice "not open for reading" MAKEFLAGS="$(auth $W,$W)"
    still_holds write-end-twice "$R" "+")
(exec 7< "$V/file" 8>> "$V/file"; build old-fds-flag "a regular file" MAKEFLAGS=" -j4 --jobserver-fds=7,8")
(exec 7< "$V/file"; build cargo-makeflags "a regular file" CARGO_MAKEFLAGS="$(auth 7,7)")
if [ -n "$PORT" ] && (exec 7<> "/dev/tcp/127.0.0.1/$PORT") 2> /dev/null; then
    (exec 7<> "/dev/tcp/127.0.0.1/$PORT"; build tcp-socket "is a socket" MAKEFLAGS="$(auth 7,7)")
fi

# --- FIFO paths that are not a jobserver's FIFO ---
fifo() { echo " -j4 --jobserver-auth=fifo:$1"; }
build fifo-missing "does not exist" MAKEFLAGS="$(fifo "$V/missing")"
build fifo-directory "is a directory" MAKEFLAGS="$(fifo "$V/dir")"
build fifo-regular-file "regular file" MAKEFLAGS="$(fifo "$V/file")"
build fifo-symlink-to-fifo "symbolic link" MAKEFLAGS="$(fifo "$V/link-to-fifo")"
build fifo-symlink-to-file "symbolic link" MAKEFLAGS="$(fifo "$V/link-to-file")"
build fifo-dangling-symlink "symbolic link" MAKEFLAGS="$(fifo "$V/dangling")"
build fifo-dev-null "character device" MAKEFLAGS="$(fifo /dev/null)"
build fifo-dev-zero "memory driver (1,5)" MAKEFLAGS="$(fifo /dev/zero)"
build fifo-dev-tty "is a terminal" MAKEFLAGS="$(fifo /dev/tty)"
build fifo-proc-fd "symbolic link" MAKEFLAGS="$(fifo "/proc/self/fd/$F")"
build fifo-relative "must be absolute" MAKEFLAGS="$(fifo relative-fifo)"
build fifo-empty "must be absolute" MAKEFLAGS="$(fifo '')"
build fifo-line-break "holds control characters" MAKEFLAGS="$(fifo "$V/fi
fo")"
build fifo-not-utf8 "does not exist" MAKEFLAGS="$(fifo "$V/$(printf '\377\376')")"
if [ "$ME" = 0 ]; then
    build fifo-other-user "uid 65534" MAKEFLAGS="$(fifo "$V/fifo-nobody")"
fi
still_holds fifo-cases "$F" "++"

# --- MAKEFLAGS that make never writes ---
build auth-empty "cannot parse" MAKEFLAGS="$(auth '')"
build auth-words "Windows semaphore" MAKEFLAGS="$(auth abc)"
build auth-one-fd "cannot parse" MAKEFLAGS="$(auth 7)"
build auth-three-fds "cannot parse" MAKEFLAGS="$(auth 7,8,9)"
build auth-windows-semaphore "Windows semaphore" MAKEFLAGS="$(auth gmake_semaphore_1234)"
build auth-twice "does not exist" MAKEFLAGS=" -j4 --jobserver-auth=fifo:$V/fifo --jobserver-auth=fifo:$V/missing"
build huge-makeflags "is not open" MAKEFLAGS="$(head -c 100000 /dev/zero | tr '\0' k) $(auth 1000,1001)"

fingerprints > "$OUT/after.txt"
if cmp -s "$OUT/before.txt" "$OUT/after.txt"; then
    echo "ok files unchanged ($(wc -l < "$OUT/before.txt") fingerprints)" >> "$RESULTS"
else
    fail files-unchanged "$(diff "$OUT/before.txt" "$OUT/after.txt" | head -5 | tr '\n' ' ')"
fi
