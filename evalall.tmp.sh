#!/bin/bash
# usage: evalall.tmp.sh OUTPREFIX  -> runs three tune halves on bundled content
for h in tune tune2 tune-extra; do
  npm run -s eval -- --blind-only --half $h --kinds all --content content > /tmp/$1-$h.txt 2>&1 &
done
wait
for h in tune tune2 tune-extra; do echo "$h: $(grep -c MISS /tmp/$1-$h.txt) misses"; done
