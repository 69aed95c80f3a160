#!/usr/bin/perl
# bench/sample.pl TOP N OUT: watches the process tree under TOP (a `make -jN`) every 100 ms until TOP
# ends, from outside the build, and writes one line to OUT:
#   peak_jobs peak_jvms peak_runnable mean_runnable peak_rss_kb samples
# jobs: N minus the tokens free in make's jobserver, seen with FIONREAD on make's own pipe or FIFO (found
# in a child's MAKEFLAGS; opened read-only through /proc/TOP/fd or the FIFO's path, never read from);
# jvms: java processes in the tree; runnable: threads in state R over the whole tree (what the 2 cores
# are asked to run at that instant); rss: the sum of the tree's resident memory.
use strict;
use warnings;
use Fcntl qw(O_RDONLY O_NONBLOCK);
use Time::HiRes qw(sleep);

my ($top, $n, $out) = @ARGV;
die "usage: sample.pl TOP N OUT\n" unless defined $out;
my $FIONREAD = 0x541B;    # Linux
my ($pool, $peak_jobs, $peak_jvms, $peak_run, $sum_run, $peak_rss, $samples) = (undef, 0, 0, 0, 0, 0, 0);

sub slurp { my ($f) = @_; open(my $h, '<', $f) or return undef; local $/; my $s = <$h>; close $h; return $s; }

# the jobserver make advertises to its children: an O_RDONLY|O_NONBLOCK description of it, or undef
sub open_pool {
    my @kids = @_;
    for my $pid (@kids) {
        my $env = slurp("/proc/$pid/environ") // next;
        my ($flags) = $env =~ /(?:^|\0)MAKEFLAGS=([^\0]*)/ or next;
        my $path;
        if ($flags =~ /--jobserver-auth=fifo:(\S+)/) { $path = $1; }
        elsif ($flags =~ /--jobserver-(?:auth|fds)=(\d+),\d+/) { $path = "/proc/$top/fd/$1"; }
        else { next; }
        sysopen(my $h, $path, O_RDONLY | O_NONBLOCK) or next;
        return $h;
    }
    return undef;
}

while (kill 0, $top) {
    my (%parent, %comm, %tree);
    opendir(my $d, "/proc") or die "sample.pl: /proc: $!\n";
    for my $pid (grep { /^\d+$/ } readdir $d) {
        my $stat = slurp("/proc/$pid/stat") // next;
        my ($name, $ppid) = $stat =~ /^\d+ \((.*)\) \S (\d+)/s or next;
        $parent{$pid} = $ppid;
        $comm{$pid} = $name;
    }
    closedir $d;
    $tree{$top} = 1;
    for (my $grew = 1; $grew;) {
        $grew = 0;
        for my $pid (keys %parent) {
            if (!$tree{$pid} && $tree{ $parent{$pid} }) { $tree{$pid} = 1; $grew = 1; }
        }
    }
    my ($jvms, $run, $rss) = (0, 0, 0);
    for my $pid (keys %tree) {
        $jvms++ if ($comm{$pid} // '') eq 'java';
        my $status = slurp("/proc/$pid/status") // next;
        $rss += $1 if $status =~ /^VmRSS:\s+(\d+)/m;
        opendir(my $t, "/proc/$pid/task") or next;
        for my $tid (grep { /^\d+$/ } readdir $t) {
            my $s = slurp("/proc/$pid/task/$tid/stat") // next;
            $run++ if $s =~ /\) R /;
        }
        closedir $t;
    }
    $pool //= open_pool(grep { $_ != $top } keys %tree);
    if ($pool) {
        my $buf = pack('i', 0);
        if (ioctl($pool, $FIONREAD, $buf)) {
            my $jobs = $n - unpack('i', $buf);
            $peak_jobs = $jobs if $jobs > $peak_jobs;
        }
    }
    $peak_jvms = $jvms if $jvms > $peak_jvms;
    $peak_run = $run if $run > $peak_run;
    $peak_rss = $rss if $rss > $peak_rss;
    $sum_run += $run;
    $samples++;
    sleep 0.1;
}
open(my $o, '>', $out) or die "sample.pl: $out: $!\n";
printf $o "%d %d %d %.2f %d %d\n", $peak_jobs, $peak_jvms, $peak_run, $samples ? $sum_run / $samples : 0, $peak_rss, $samples;
close $o;
