#!/bin/sh
# wordtool: `count` counts the words on stdin; `greet NAME...` greets each name.
case "$1" in
  count)
    wc -w | tr -d ' '
    ;;
  greet)
    shift
    [ "$#" -gt 0 ] || { echo "greet: give at least one name" >&2; exit 2; }
    for name in "$@"; do echo "${GREETING}, ${name}!"; done
    ;;
  --help|"")
    echo "usage: wordtool count < file | wordtool greet NAME..."
    ;;
  *)
    echo "wordtool: unknown command: $1" >&2
    exit 2
    ;;
esac
