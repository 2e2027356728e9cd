/**
 * The perl side of net-forker.ts: one small process, started once, that runs each
 * `nsenter --net=/run/netns/NS -- PROGRAM ARGS...` it is sent the way nsenter would (fork, setns(2)
 * into the namespace file, exec the program, standard input /dev/null), all at once, and reports
 * each one's exit status and output. Node then forks once per verify instead of once per probe (a
 * fork of the large Node process is most of what a ping cost netlab: issue 17), and nsenter is not
 * started per probe either.
 *
 * Requests on standard input, one a line, words separated by spaces, every field hex-encoded:
 *   `R ID NSFILE NENV KEY VALUE ... PROGRAM ARG...`   run
 *   `K ID`                                           SIGTERM to that job's process (a timeout, an abort)
 * Replies on standard output, one a line: `D ID EXIT SIGNAL STDOUT STDERR` (output hex-encoded).
 * Errors of entering or executing read as nsenter's own, with its exit codes (1, 126, 127).
 * At the end of its input it finishes the jobs still running, then exits.
 */
// no module is loaded (POSIX costs 6 ms of CPU at start, %! loads Errno): errno by number, Linux's
// on every architecture (ENOENT 2, EINTR 4); select(2) is perl's own
export const NET_FORKER_PERL = `use strict; use warnings;
my $setns = shift @ARGV;
my $unhex = sub { pack('H*', $_[0]) };
my (%jobs, %byfd);
my $input = ''; my $eof = 0;
sub start {
  my ($id, $path, $nenv, @rest) = @_;
  my @env = splice(@rest, 0, 2 * $nenv);
  my @argv = @rest;
  pipe(my $or, my $ow) or die "netlab-forker: pipe: $!\\n";
  pipe(my $er, my $ew) or die "netlab-forker: pipe: $!\\n";
  my $pid = fork() // die "netlab-forker: fork: $!\\n";
  if ($pid == 0) {
    open(STDIN, '<', '/dev/null'); open(STDOUT, '>&', $ow); open(STDERR, '>&', $ew);
    while (my ($k, $v) = splice(@env, 0, 2)) { $ENV{$k} = $v }
    open(my $ns, '<', $path) or do { print STDERR "nsenter: cannot open $path: $!\\n"; exit(1) };
    syscall($setns, fileno($ns), 0x40000000) == 0 or do { print STDERR "nsenter: reassociate to namespace 'ns/net' failed: $!\\n"; exit(1) };
    close($ns);
    { no warnings; exec { $argv[0] } @argv }
    my $code = $! == 2 ? 127 : 126;
    print STDERR "nsenter: failed to execute $argv[0]: $!\\n"; exit($code);
  }
  close($ow); close($ew);
  $jobs{$id} = { pid => $pid, open => 2, out => '', err => '' };
  $byfd{fileno($or)} = [$id, 'out', $or];
  $byfd{fileno($er)} = [$id, 'err', $er];
}
sub finish {
  my ($id) = @_;
  my $job = delete $jobs{$id};
  waitpid($job->{pid}, 0);
  my $line = join(' ', 'D', unpack('H*', $id), $? >> 8, $? & 127, unpack('H*', $job->{out}), unpack('H*', $job->{err})) . "\\n";
  while (length $line) { my $n = syswrite(STDOUT, $line) // die "netlab-forker: write: $!\\n"; substr($line, 0, $n) = '' }
}
while (!$eof || %jobs) {
  my $rin = '';
  vec($rin, 0, 1) = 1 unless $eof;
  vec($rin, $_, 1) = 1 for keys %byfd;
  my $n = select(my $rout = $rin, undef, undef, undef);
  if ($n < 0) { next if $! == 4; die "netlab-forker: select: $!\\n" }
  if (!$eof && vec($rout, 0, 1)) {
    my $got = sysread(STDIN, $input, 65536, length $input);
    $eof = 1 if !$got;
    while ($input =~ s/^([^\\n]*)\\n//) {
      my ($verb, @words) = split / /, $1, -1;
      my @fields = map { $unhex->($_) } @words;
      if ($verb eq 'R') { start(@fields) }
      elsif ($verb eq 'K') { my $job = $jobs{$fields[0]}; kill('TERM', $job->{pid}) if $job && !exists $job->{killed}; $job->{killed} = 1 if $job }
    }
  }
  for my $fd (keys %byfd) {
    next unless vec($rout, $fd, 1);
    my ($id, $which, $fh) = @{$byfd{$fd}};
    my $got = sysread($fh, $jobs{$id}{$which}, 65536, length $jobs{$id}{$which});
    next if $got || (!defined $got && $! == 4);
    delete $byfd{$fd}; close($fh);
    finish($id) if --$jobs{$id}{open} == 0;
  }
}
`;
