#!/bin/sh
# Finds the jobserver peers a 2026 user has, for the ITs: GNU make >= 4.4 (a FIFO jobserver by default)
# and ninja >= 1.13 (the first ninja that reads a jobserver, FIFO only). Writes OUT as properties:
#
#   make44=/path/to/make      (empty when none was found)
#   ninja113=/path/to/ninja
#   mvnd1=/path/to/mvnd.sh    mvnd 1.0.6 (embeds Maven 3.9), mvnd2: 2.0.0-rc-3 (Maven 4), with the JVM client
#   jdk25=/path/to/jdk        a JDK 25 (the newest LTS): $JOBSERVER_JDK25, else /usr/lib/jvm/*25*
#   tracking=/path/to/tracking-jobserver   src/it/lib/tracking-jobserver.c built beside OUT (FUSE, libfuse3);
#                             empty where /dev/fuse, cc or libfuse3's development files are missing
#
# Where they come from, first found first:
#   1. $JOBSERVER_PEER_TOOLS, or a shared/tools beside this checkout or beside the checkout it was cloned
#      from: build.sh there builds GNU make 4.4.1 and ninja 1.13.2 from source once (~2 min on 2 cores, no
#      network) into $XDG_CACHE_HOME/jobserver-tools (default ~/.cache), and returns at once after that;
#   2. a make/gmake and a ninja on PATH that are new enough.
# mvnd is not on Maven Central: its distributions, built from source beside build.sh (tools/mvnd), are
# unpacked once into the same cache.
# An IT whose peer is missing records that it did not run those cases; .ci/run fails on that record.
#
#   usage: peers.sh OUT
set -eu
out=$1
root=$(cd "$(dirname "$0")/../.." && pwd)
cache=${XDG_CACHE_HOME:-${HOME:-/tmp}/.cache}/jobserver-tools

build= tools=
for dir in ${JOBSERVER_PEER_TOOLS:-} "$root/../shared/tools" \
        "$(git -C "$root" config --get remote.origin.url 2>/dev/null || true)/../shared/tools"; do
    if [ -n "$dir" ] && [ -x "$dir/build.sh" ]; then
        build=$dir/build.sh
        tools=$dir
        break
    fi
done

make44= ninja113=
if [ -n "$build" ]; then
    echo "peers.sh: building GNU make 4.4.1 and ninja 1.13.2 with $build into $cache (once)"
    paths=$("$build" "$cache")
    make44=$(echo "$paths" | sed -n 1p)
    ninja113=$(echo "$paths" | sed -n 2p)
fi

# version >= wanted, both "MAJOR.MINOR"
newer() {
    [ "$(printf '%s\n%s\n' "$2" "$1" | sort -t. -k1,1n -k2,2n | head -n 1)" = "$2" ]
}
if [ -z "$make44" ]; then
    for m in make gmake; do
        p=$(command -v "$m" 2>/dev/null) || continue
        v=$("$p" --version 2>/dev/null | sed -n '1s/^GNU Make \([0-9]*\.[0-9]*\).*/\1/p')
        if [ -n "$v" ] && newer "$v" 4.4; then make44=$p; break; fi
    done
fi
if [ -z "$ninja113" ] && p=$(command -v ninja 2>/dev/null); then
    v=$("$p" --version 2>/dev/null | sed -n '1s/^\([0-9]*\.[0-9]*\).*/\1/p')
    if [ -n "$v" ] && newer "$v" 1.13; then ninja113=$p; fi
fi

# mvnd VERSION: its mvnd.sh, unpacked from tools/mvnd once
mvnd() {
    dist=maven-mvnd-$1-linux-amd64
    [ -n "$tools" ] && [ -f "$tools/mvnd/$dist.tar.gz" ] || return 0
    if [ ! -x "$cache/$dist/bin/mvnd.sh" ]; then
        mkdir -p "$cache"
        tar -xzf "$tools/mvnd/$dist.tar.gz" -C "$cache"
    fi
    echo "$cache/$dist/bin/mvnd.sh"
}
mvnd1=$(mvnd 1.0.6)
mvnd2=$(mvnd 2.0.0-rc-3)

# a JDK whose java says version "25
jdk25=
for dir in ${JOBSERVER_JDK25:-} /usr/lib/jvm/*25*; do
    if [ -x "$dir/bin/java" ] && "$dir/bin/java" -version 2>&1 | grep -q '^[a-z]* version "25[."]'; then
        jdk25=$dir
        break
    fi
done

mkdir -p "$(dirname "$out")"

tracking=
if [ -r /dev/fuse ] && command -v cc >/dev/null 2>&1 && fuse=$(pkg-config --cflags --libs fuse3 2>/dev/null); then
    bin=$(cd "$(dirname "$out")" && pwd)/tracking-jobserver
    # $fuse unquoted: it is several compiler words
    if cc -O2 -Wall -Wextra -Werror "$root/src/it/lib/tracking-jobserver.c" -o "$bin" $fuse; then tracking=$bin; fi
fi

printf 'make44=%s\nninja113=%s\nmvnd1=%s\nmvnd2=%s\njdk25=%s\ntracking=%s\n' \
    "$make44" "$ninja113" "$mvnd1" "$mvnd2" "$jdk25" "$tracking" > "$out"
echo "peers.sh: make >= 4.4: ${make44:-none}; ninja >= 1.13: ${ninja113:-none}; mvnd: ${mvnd1:-none}, ${mvnd2:-none}; JDK 25: ${jdk25:-none}; tracking jobserver: ${tracking:-none}"
