#!/bin/sh
# Makes the sample tree that find's cases run against, in directory $1 (used by record.py and FindAnsibleComparisonTest).
set -e
cd "$1"
mkdir -p sub/deep .hdir empty
printf 'hello\n' > a.txt
printf 'log line\nneedle here\n' > b.log
printf 'x\n' > .hidden
printf 'c\n' > sub/c.txt
printf 'needle\n' > sub/deep/d.txt
printf 'e\n' > .hdir/e.txt
head -c 2000 /dev/zero > big.bin
ln -s a.txt link
printf 'old\n' > old.txt
touch -d '10 days ago' old.txt
