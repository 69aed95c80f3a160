trap '' INT TERM HUP
case $1 in -|'&3') ;; *)
  if ! true 3<>"$1" 2>/dev/null; then
    echo "jobserver: the token guardian of process $2 cannot open $1; what it holds when it dies is lost" >&2
    exit 2
  fi
  exec 3<>"$1"
  echo opened ;;
esac
ledger=$(awk '$1 == "+" { held[$2]++ } $1 == "-" && held[$2] > 0 { held[$2]-- }
  $1 == "k" { stop[$2] = 1 } $1 == "u" { delete stop[$2] }
  END { for (b in held) for (i = 0; i < held[b]; i++) printf "%s ", b; printf ":"
        for (p in stop) printf " %s", p }')
n=0 bytes=
for b in ${ledger%%:*}; do bytes="$bytes\\$(printf %o "$b")"; n=$((n + 1)); done
if [ "$n" -gt 0 ]; then
  printf "$bytes" >&3
  echo "jobserver: the guardian of process $2 gave back the $n tokens it held when it ended" >&2
fi
tree() {
  found=" $1 " new=$1
  while [ -n "$new" ] && [ -d /proc/self ]; do
    next=
    for s in /proc/[0-9]*/stat; do
      { read -r line < "$s"; } 2>/dev/null || continue
      pid=${s#/proc/} pid=${pid%/stat}
      set -- ${line##*) }
      case " $new " in *" $2 "*)
        case $found in *" $pid "*) ;; *) found="$found$pid " next="$next $pid" ;; esac ;;
      esac
    done
    new=$next
  done
  echo $found
}
guarded=$2
for p in ${ledger#*:}; do
  kill -0 "$p" 2>/dev/null || continue
  all=$(tree "$p")
  kill -TERM $all 2>/dev/null
  echo "jobserver: process $guarded ended while its child $p ran; the guardian stopped it (processes $all)" >&2
done
