#!/usr/bin/perl
# Reference for admin_run: fork+exec of `true` straight from a tiny process, N times;
# prints one latency in ms per line.
use strict; use warnings; use Time::HiRes qw(time);
my $n = shift // 200;
for (1 .. $n) {
  my $t0 = time;
  my $pid = fork // die "fork: $!";
  if ($pid == 0) { exec "true" or exit 127; }
  waitpid($pid, 0);
  printf "%.3f\n", (time - $t0) * 1000;
}
